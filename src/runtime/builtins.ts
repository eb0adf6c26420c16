// Runtime built-ins that short commands should not pay for: loaded on first use through
// `process.getBuiltinModule` (Bun, Deno, Node ≥ 22.3) instead of a top-level import. In the
// binary every top-level `node:` import of a loaded chunk is evaluated up front, and node:crypto
// alone (it builds the stream classes) was ~5 ms of `sentryctl ps`.

export function crypto(): typeof import("node:crypto") {
  return process.getBuiltinModule("node:crypto");
}
