// SHA-256 as hex, the one digest sentryctl computes: config hashes, lock names, host ids, the
// docker CLI's context directories. node:crypto is taken on first use
// (`process.getBuiltinModule`), not imported: in the binary a top-level import is evaluated
// when its chunk loads, and node:crypto alone was ~5 ms of `sentryctl ps`, which hashes nothing.

export function sha256Hex(data: string | Uint8Array): string {
  return process.getBuiltinModule("node:crypto").createHash("sha256").update(data).digest("hex");
}
