// The product version, stamped on every resource sentryctl creates (label `.version`), and what a
// build stamped into the binary: the commit it was built from and the target it was built for.
// `scripts/compile.ts` supplies SENTRYCTL_BUILD through `bun build --define`; when the source runs
// directly (tests, `deno run`) the identifier does not exist, hence the `typeof` guard.

export const VERSION = "0.1.0";

export interface BuildInfo {
  /** Short commit hash, `-dirty` when tracked files had changes, `unknown` outside a checkout. */
  commit: string;
  /** `linux-x64`, `linux-arm64-musl`, `darwin-arm64`, …; `source` when not compiled. */
  target: string;
}

declare const SENTRYCTL_BUILD: BuildInfo | undefined;

export const BUILD: BuildInfo = typeof SENTRYCTL_BUILD === "object"
  ? SENTRYCTL_BUILD
  : { commit: "unknown", target: "source" };
