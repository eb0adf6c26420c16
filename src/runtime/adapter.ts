// The only module allowed to touch `Bun.*` / `Deno.*`. Everything else uses web standards and
// `node:` modules, so the same source runs under both runtimes (the binary is built by Bun,
// the smoke suite runs under Deno).

interface BunGlobal {
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
