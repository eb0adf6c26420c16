// An error as Markdown for an AI assistant ("copy as Markdown" on the event page; also what
// `tail --format md` and MCP answers can reuse): title, where, the stack with the active source
// lines, breadcrumbs, tags and the request. Plain text: the caller escapes it for HTML.

import type { StoredItem } from "./item-types.ts";
import { exceptionValues } from "./shapes.ts";
import { isRecord, list, num, optText, rec, text } from "./values.ts";

function fence(body: string): string {
  // A fence longer than any backtick run inside, so the content cannot close it.
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const f = "`".repeat(longest + 1);
  return `${f}\n${body}\n${f}`;
}

function frameLine(f: Record<string, unknown>): string {
  const file = optText(f.filename) ?? optText(f.abs_path) ?? optText(f.module) ?? "<unknown>";
  const fn = optText(f.function) ?? "?";
  const line = num(f.lineno);
  const col = num(f.colno);
  return `${fn} (${file}${line !== undefined ? `:${line}` : ""}${
    col !== undefined ? `:${col}` : ""
  })${f.in_app === true ? " [in app]" : ""}`;
}

export function errorMarkdown(it: StoredItem): string {
  const e = rec(it.payload);
  const out: string[] = [`# ${it.title.replace(/\s+/g, " ")}`, ""];
  const meta: string[] = [`- kind: ${it.kind}`, `- level: ${it.level ?? "error"}`];
  if (it.platform) meta.push(`- platform: ${it.platform}`);
  if (it.release) meta.push(`- release: ${it.release}`);
  if (it.environment) meta.push(`- environment: ${it.environment}`);
  meta.push(`- event id: ${it.id}`, `- time: ${new Date(it.timestamp).toISOString()}`);
  out.push(...meta, "");
  for (const ex of [...exceptionValues(e)].reverse()) {
    out.push(`## ${optText(ex.type) ?? "Error"}: ${text(ex.value)}`, "");
    const frames = list(rec(ex.stacktrace).frames).filter(isRecord).reverse();
    if (frames.length === 0) continue;
    const lines: string[] = [];
    for (const f of frames) {
      lines.push(`at ${frameLine(f)}`);
      if (typeof f.context_line === "string" && f.in_app === true) {
        lines.push(`    > ${f.context_line.trim()}`);
      }
    }
    out.push(fence(lines.join("\n")), "");
  }
  const crumbs = list(isRecord(e.breadcrumbs) ? e.breadcrumbs.values : e.breadcrumbs)
    .filter(isRecord);
  if (crumbs.length > 0) {
    out.push("## Breadcrumbs", "");
    for (const b of crumbs.slice(-20)) {
      out.push(`- ${optText(b.category) ?? optText(b.type) ?? "default"}: ${text(b.message, 500)}`);
    }
    out.push("");
  }
  const tags = Array.isArray(e.tags)
    ? e.tags.filter((t) => Array.isArray(t)).map((t) => [text(t[0]), text(t[1])])
    : Object.entries(rec(e.tags)).map(([k, v]) => [k, text(v)]);
  if (tags.length > 0) {
    out.push("## Tags", "", ...tags.map(([k, v]) => `- ${k}: ${v}`), "");
  }
  if (isRecord(e.request)) {
    out.push("## Request", "", `${optText(e.request.method) ?? "GET"} ${text(e.request.url)}`, "");
  }
  return out.join("\n");
}
