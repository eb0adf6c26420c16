// The isolated project of one `with` run: `sentry-with-<8 hex>` (SPEC §4). Random rather than
// derived from the pid, so two runs on different hosts sharing one engine never meet.

export const WITH_PROJECT_PREFIX = "sentry-with-";

export function newWithProject(
  random: (n: number) => Uint8Array = (n) => process.getBuiltinModule("node:crypto").randomBytes(n),
): string {
  const bytes = random(4);
  return WITH_PROJECT_PREFIX + [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export function isWithProject(name: string): boolean {
  return /^sentry-with-[0-9a-f]{8}$/.test(name);
}
