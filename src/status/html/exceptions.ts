// An error's exceptions with their stack frames (newest call first, as Sentry shows them; the
// newest in-app frame starts expanded; registers on the crashing frame).

import { exceptionValues } from "../shapes.ts";
import { isRecord, list, optText, rec, text } from "../values.ts";
import { esc } from "./escape.ts";
import { renderFrame, type WireFrame } from "./frame.ts";

function arch(e: Record<string, unknown>): string | undefined {
  return optText(rec(rec(e.contexts).device).arch);
}

function renderException(
  ex: Record<string, unknown>,
  a: string | undefined,
  n: number,
): string {
  const stack = rec(ex.stacktrace);
  const frames = list(stack.frames).filter(isRecord) as WireFrame[];
  const registers = isRecord(stack.registers) ? stack.registers : undefined;
  const ordered = [...frames].reverse();
  const open = ordered.findIndex((f) => f.in_app === true);
  const expandAt = open === -1 ? 0 : open;
  const items = ordered.map((f, i) =>
    renderFrame(f, {
      expanded: i === expandAt,
      registers: i === 0 ? registers : undefined,
      arch: a,
      onlyFrame: frames.length === 1,
    }, n * 1000 + i)
  );
  return `<section class="exception"><h3>${esc(optText(ex.type) ?? "Error")}</h3>` +
    `<p>${esc(text(ex.value))}</p>` +
    (items.length > 0
      ? `<ol class="frames">${items.join("")}</ol>`
      : `<p class="muted">No stack trace.</p>`) +
    `</section>`;
}

/** The exceptions of an event, the outermost first (as Sentry lists a chain). */
export function exceptionsHtml(e: Record<string, unknown>): string {
  const a = arch(e);
  return exceptionValues(e).map((ex, i) => renderException(ex, a, i)).reverse().join("");
}
