// ANSI colour codes in log text rendered safely: SGR sequences (colours 30–37/90–97, their
// backgrounds, bold, reset) become spans with fixed classes; every other escape sequence is
// dropped; all text is escaped. Nothing from the input reaches an attribute.

import { esc } from "./escape.ts";

// deno-lint-ignore no-control-regex
const SEQUENCE = /\u001b\[([0-9;]*)([A-Za-z])|\u001b[^[]?/g;

interface Style {
  fg?: number;
  bg?: number;
  bold: boolean;
}

function classes(s: Style): string {
  const out: string[] = [];
  if (s.fg !== undefined) out.push(`ansi-fg-${s.fg}`);
  if (s.bg !== undefined) out.push(`ansi-bg-${s.bg}`);
  if (s.bold) out.push("ansi-bold");
  return out.join(" ");
}

function apply(style: Style, params: string): Style {
  const next = { ...style };
  const codes = params === "" ? [0] : params.split(";").map((p) => Number(p));
  for (const c of codes) {
    if (c === 0) Object.assign(next, { fg: undefined, bg: undefined, bold: false });
    else if (c === 1) next.bold = true;
    else if (c === 22) next.bold = false;
    else if (c >= 30 && c <= 37) next.fg = c - 30;
    else if (c >= 90 && c <= 97) next.fg = c - 90 + 8;
    else if (c === 39) next.fg = undefined;
    else if (c >= 40 && c <= 47) next.bg = c - 40;
    else if (c >= 100 && c <= 107) next.bg = c - 100 + 8;
    else if (c === 49) next.bg = undefined;
  }
  return next;
}

export function ansiToHtml(input: string): string {
  let out = "";
  let style: Style = { bold: false };
  let last = 0;
  const push = (chunk: string) => {
    if (chunk === "") return;
    const cls = classes(style);
    out += cls ? `<span class="${cls}">${esc(chunk)}</span>` : esc(chunk);
  };
  for (const m of input.matchAll(SEQUENCE)) {
    push(input.slice(last, m.index));
    last = m.index! + m[0].length;
    if (m[2] === "m") style = apply(style, m[1] ?? "");
  }
  push(input.slice(last));
  return out;
}
