// Server-sent events as a test reads them, kept apart from the product's parser
// (src/status/sse-reader.ts) so that a bug there cannot hide itself: EventSource's rules for
// the events a page would see, and a stream read for a while.

/** EventSource's parse (HTML spec): CRLF, LF or a lone CR ends a line; a blank line an event. */
export function parseSse(text: string): { event: string; data: string }[] {
  const out: { event: string; data: string }[] = [];
  let event = "message";
  let data: string[] = [];
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line === "") {
      if (data.length > 0) out.push({ event, data: data.join("\n") });
      event = "message";
      data = [];
    } else if (line.startsWith("event:")) event = line.slice(6).trim();
    else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
  }
  return out;
}

/** What a (never-ending) response body sends within `ms`; the body is cancelled after. */
export async function readFor(res: Response, ms: number): Promise<string> {
  const reader = res.body!.getReader();
  let text = "";
  const deadline = Date.now() + ms;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    const next = await Promise.race([
      reader.read(),
      new Promise<null>((r) => setTimeout(() => r(null), left)),
    ]);
    if (next === null || next.done) break;
    text += new TextDecoder().decode(next.value);
  }
  await reader.cancel();
  return text;
}
