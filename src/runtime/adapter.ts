// The only module allowed to touch `Bun.*` / `Deno.*`. Everything else uses web standards and
// `node:` modules, so the same source runs under both runtimes (the binary is built by Bun,
// the smoke suite runs under Deno).

interface BunGlobal {
  gc?(force: boolean): void;
  version: string;
  main: string;
}
interface DenoGlobal {
  version: { deno: string };
}

const globals = globalThis as { Bun?: BunGlobal; Deno?: DenoGlobal };

export type RuntimeName = "bun" | "deno" | "node";

export function runtimeName(): RuntimeName {
  if (globals.Bun) return "bun";
  if (globals.Deno) return "deno";
  return "node";
}

export function runtimeVersion(): string {
  if (globals.Bun) return globals.Bun.version;
  if (globals.Deno) return globals.Deno.version.deno;
  return process.versions.node;
}

/**
 * Asks the runtime to collect garbage now. Bun's collector lets a long log burst's short-lived
 * buffers pile up to tens of MB before it runs; a hint every few MB keeps attach's RSS flat.
 * A no-op where the runtime offers no such hook (Deno).
 */
export function collectGarbageHint(): void {
  globals.Bun?.gc?.(true);
}
