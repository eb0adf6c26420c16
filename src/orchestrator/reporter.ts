// The one progress channel of the orchestrator. Execution reports two things: devservices-style
// steps (`> Creating container 'sentry_redis'`) and per-service phases (pulling, starting,
// waiting, healthy…). Each front end renders what suits it: attach prints steps on stderr, `up`
// on a pipe prints plain lines, `up` on a TTY redraws one live line per service, `--json`
// prints nothing. Progress goes to stderr so stdout stays data.

import type { PullProgress } from "../docker/types.ts";
import type { Writer } from "../runtime/io.ts";

export type Phase =
  | "pulling"
  | "creating"
  | "starting"
  | "waiting"
  | "healthy"
  | "running"
  | "reused"
  | "attached-elsewhere"
  | "stopping"
  | "removing"
  | "removed"
  | "failed"
  | "skipped";

export interface Reporter {
  step(message: string): void;
  pull(image: string, progress: PullProgress): void;
  phase(service: string, phase: Phase, detail?: string): void;
}

export const SILENT: Reporter = { step() {}, pull() {}, phase() {} };

/** Plain lines: steps as `> …`, one pull line per layer state change (readable in CI logs). */
export function lineReporter(
  out: Writer,
  opts: { quiet?: boolean; phases?: boolean } = {},
): Reporter {
  const lastStatus = new Map<string, string>();
  return {
    step(message) {
      if (!opts.quiet) out.write(`> ${message}\n`);
    },
    pull(image, p) {
      if (opts.quiet || !p.status) return;
      const key = p.id ?? image;
      if (lastStatus.get(key) === p.status) return;
      lastStatus.set(key, p.status);
      out.write(`  ${p.id ? `${p.id}: ` : ""}${p.status}\n`);
    },
    phase(service, phase, detail) {
      if (opts.quiet || !opts.phases) return;
      // Steps already say pulling/creating/starting; phases add what steps do not.
      if (["waiting", "healthy", "failed", "skipped", "attached-elsewhere"].includes(phase)) {
        out.write(`> ${service}: ${phase.replace("-", " ")}${detail ? ` (${detail})` : ""}\n`);
      }
    },
  };
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * Live lines on a terminal, like docker compose: one line per service, redrawn in place, with
 * pulled bytes while pulling. Colour only when `color`.
 */
export function ttyReporter(out: Writer, color: boolean, services: readonly string[]): Reporter {
  const state = new Map<string, { phase: string; detail?: string }>();
  for (const s of services) state.set(s, { phase: "pending" });
  const layers = new Map<string, Map<string, { current: number; total: number }>>();
  const imageOf = new Map<string, string>();
  let drawn = 0;
  let lastDraw = 0;
  const width = Math.max(8, ...services.map((s) => s.length));
  const paint = (code: number, text: string) => (color ? `\x1b[${code}m${text}\x1b[39m` : text);
  const colorFor = (phase: string) =>
    phase === "healthy" || phase === "running" || phase === "reused"
      ? 32
      : phase === "failed"
      ? 31
      : phase === "skipped" || phase === "attached-elsewhere"
      ? 33
      : 36;
  const draw = () => {
    let text = drawn > 0 ? `\x1b[${drawn}A` : "";
    for (const [service, s] of state) {
      let detail = s.detail ?? "";
      if (s.phase === "pulling") {
        const image = imageOf.get(service);
        const l = image ? layers.get(image) : undefined;
        if (l && l.size > 0) {
          let current = 0;
          let total = 0;
          for (const v of l.values()) {
            current += v.current;
            total += v.total;
          }
          detail = `${formatBytes(current)} / ${formatBytes(total)}`;
        }
      }
      text += `\x1b[2K ${service.padEnd(width)}  ${paint(colorFor(s.phase), s.phase)}${
        detail ? `  ${detail}` : ""
      }\n`;
    }
    drawn = state.size;
    lastDraw = Date.now();
    out.write(text);
  };
  return {
    step() {},
    pull(image, p) {
      if (!p.id || !p.progressDetail?.total) return;
      let l = layers.get(image);
      if (!l) layers.set(image, l = new Map());
      l.set(p.id, { current: p.progressDetail.current ?? 0, total: p.progressDetail.total });
      // Progress events come many per second per layer: redraw at most ten times a second.
      if (Date.now() - lastDraw >= 100) draw();
    },
    phase(service, phase, detail) {
      if (phase === "pulling" && detail) imageOf.set(service, detail);
      state.set(service, { phase, detail: phase === "pulling" ? undefined : detail });
      draw();
    },
  };
}
