// One stack frame's Context, rendered like Sentry's frame Context (sentry-runner.md §8.3):
// numbered source lines in an <ol start=…> with the active line highlighted (collapsed: only
// the active line; expanded: all), the frame's variables (keys in reverse order, secrets
// masked only when equal to an entry of Sentry's default scrubbed-fields list), registers in
// architecture order with a hex/decimal toggle for all and one per register, and Sentry's rule
// for a frame with nothing to show: the notation "No additional details are available for this
// frame." only when it is the trace's only frame, else nothing. Any JSON type is tolerated.

import { list, text } from "../values.ts";
import { esc, isSecretKey } from "./escape.ts";
import { registerNotations, sortedRegisters } from "./registers.ts";

/** A frame as SDKs send it (snake_case, the event payload's shape). */
export interface WireFrame {
  filename?: string;
  abs_path?: string;
  function?: string;
  module?: string;
  package?: string;
  lineno?: number;
  colno?: number;
  pre_context?: string[];
  context_line?: string;
  post_context?: string[];
  vars?: Record<string, unknown> | null;
  in_app?: boolean;
  instruction_addr?: string;
}

export const EMPTY_FRAME_NOTATION = "No additional details are available for this frame.";

/** `[lineNo, code]` pairs around the frame, as Sentry's UI builds `frame.context`. */
export function contextLines(frame: WireFrame): [number, string][] {
  if (typeof frame.lineno !== "number" || typeof frame.context_line !== "string") return [];
  const pre = list(frame.pre_context);
  const post = list(frame.post_context);
  const first = frame.lineno - pre.length;
  return [...pre, frame.context_line, ...post].map((code, i) => [first + i, text(code)]);
}

function renderValue(key: string, value: unknown): string {
  if (isSecretKey(key)) return "[Filtered]";
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value, (k, v) => (k && isSecretKey(k) ? "[Filtered]" : v)) ?? "";
  } catch {
    return text(value);
  }
}

function renderSource(lines: [number, string][], active: number | undefined): string {
  const rows = lines.map(([no, code]) => {
    const m = /^(\s*)(.*?)$/m.exec(code.replace(/\r?\n/g, "")) ?? ["", "", code];
    const isActive = no === active;
    return `<li class="expandable${isActive ? " active" : ""}" value="${no}">` +
      `<span class="lineno">${no}</span><span class="ws">${esc(m[1])}</span>` +
      `<span class="contextline">${esc(m[2])}</span></li>`;
  });
  const start = lines[0]?.[0] ?? 0;
  return `<ol start="${start}" class="source">${rows.join("")}</ol>`;
}

function renderVars(vars: Record<string, unknown>): string {
  const keys = Object.keys(vars).reverse();
  const rows = keys.map((k) =>
    `<tr><th>${esc(k)}</th><td><code>${esc(renderValue(k, vars[k]))}</code></td></tr>`
  );
  return `<table class="vars"><tbody>${rows.join("")}</tbody></table>`;
}

function renderRegisters(registers: Record<string, unknown>, arch: string | undefined): string {
  const cells = sortedRegisters(registers, arch).map(([name, value]) => {
    const n = registerNotations(value);
    const shown = n
      ? `<button type="button" class="reg-value" title="Click: hex/decimal" data-hex="${
        esc(n.hex)
      }" data-dec="${esc(n.dec)}">${esc(n.hex)}</button>`
      : `<code class="reg-value">${esc(value)}</code>`;
    return `<div class="reg"><span class="reg-name">${esc(name)}</span> ${shown}</div>`;
  });
  return `<div class="registers"><div class="registers-head"><h4>Registers</h4>` +
    `<button type="button" class="reg-toggle" data-mode="hex">Show decimal</button></div>` +
    `<div class="reg-grid">${cells.join("")}</div></div>`;
}

export interface FrameRenderOptions {
  expanded: boolean;
  registers?: Record<string, unknown>;
  arch?: string;
  /** Whether this is the trace's only frame (the notation shows only then). */
  onlyFrame?: boolean;
}

/** The frame's title line: file, function and position. */
export function frameTitle(frame: WireFrame): string {
  const file = frame.filename ?? frame.abs_path ?? frame.module ?? frame.package ??
    frame.instruction_addr ?? "<unknown>";
  const fn = frame.function !== undefined && frame.function !== null && frame.function !== ""
    ? ` in <span class="fn">${esc(frame.function)}</span>`
    : "";
  const pos = typeof frame.lineno === "number"
    ? ` at line <span class="pos">${frame.lineno}${
      typeof frame.colno === "number" ? `:${frame.colno}` : ""
    }</span>`
    : "";
  return `<span class="file">${esc(file)}</span>${fn}${pos}`;
}

/** The Context body of one frame (inside the frame's box). */
export function renderFrameContext(frame: WireFrame, opts: FrameRenderOptions): string {
  const lines = contextLines(frame);
  const vars = frame.vars && typeof frame.vars === "object" && !Array.isArray(frame.vars) &&
      Object.keys(frame.vars).length > 0
    ? frame.vars
    : null;
  const regs = opts.registers && Object.keys(opts.registers).length > 0 ? opts.registers : null;
  if (lines.length === 0 && !vars && !regs) {
    return opts.onlyFrame === false
      ? `<div class="context empty"></div>`
      : `<div class="context empty"><p class="empty-notation">${EMPTY_FRAME_NOTATION}</p></div>`;
  }
  return `<div class="context${opts.expanded ? " expanded" : ""}">` +
    (lines.length > 0 ? renderSource(lines, frame.lineno) : "") +
    (vars ? renderVars(vars) : "") +
    (regs ? renderRegisters(regs, opts.arch) : "") +
    `</div>`;
}

/** A whole frame: a clickable title that toggles the Context between collapsed and expanded. */
export function renderFrame(frame: WireFrame, opts: FrameRenderOptions, index: number): string {
  return `<li class="frame${frame.in_app ? " in-app" : ""}${opts.expanded ? " expanded" : ""}" ` +
    `id="frame-${index}"><button type="button" class="frame-title" aria-expanded="${opts.expanded}">` +
    `${frameTitle(frame)}</button>${renderFrameContext(frame, opts)}</li>`;
}
