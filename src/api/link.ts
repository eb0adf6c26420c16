// Sentry's cursor pagination: a `Link` header with `rel="previous"` and `rel="next"` entries,
// each carrying `results="true|false"` and `cursor="…"`. The next page exists when the next
// link says `results="true"` (or, for servers without that attribute, when it is present).

export interface LinkEntry {
  url: string;
  params: Record<string, string>;
}

/** Parses an RFC 8288 `Link` header value into its entries. */
export function parseLinkHeader(header: string | null | undefined): LinkEntry[] {
  if (!header) return [];
  const entries: LinkEntry[] = [];
  // <url>; k="v"; k2=v2, <url2>; …  (commas inside quoted values or <> are not separators)
  const re = /<([^>]*)>((?:\s*;\s*[^;,=\s]+\s*(?:=\s*(?:"[^"]*"|[^;,]*))?)*)/g;
  for (const m of header.matchAll(re)) {
    const params: Record<string, string> = {};
    for (const p of m[2]!.matchAll(/;\s*([^;,=\s]+)\s*(?:=\s*(?:"([^"]*)"|([^;,]*)))?/g)) {
      params[p[1]!.toLowerCase()] = (p[2] ?? p[3] ?? "").trim();
    }
    entries.push({ url: m[1]!, params });
  }
  return entries;
}

/** The URL of the next page, or undefined on the last one. */
export function nextPageUrl(header: string | null | undefined): string | undefined {
  const next = parseLinkHeader(header).find((e) => e.params.rel?.split(/\s+/).includes("next"));
  if (!next) return undefined;
  if (next.params.results !== undefined && next.params.results !== "true") return undefined;
  return next.url;
}
