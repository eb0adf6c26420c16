// Progress lines in Sentry's devservices style (`> Creating container 'sentry_redis'`), sent to
// stderr so a command's stdout stays the service's own output.

import type { Writer } from "../bootstrap/context.ts";
import type { PullProgress } from "../docker/types.ts";

export interface Reporter {
  step(message: string): void;
  pull(image: string, progress: PullProgress): void;
}

export function lineReporter(out: Writer, quiet = false): Reporter {
  const lastStatus = new Map<string, string>();
  return {
    step(message) {
      if (!quiet) out.write(`> ${message}\n`);
    },
    pull(image, p) {
      if (quiet || !p.status) return;
      // One line per layer state change, not per byte: readable in CI logs.
      const key = p.id ?? image;
      if (lastStatus.get(key) === p.status) return;
      lastStatus.set(key, p.status);
      out.write(`  ${p.id ? `${p.id}: ` : ""}${p.status}\n`);
    },
  };
}
