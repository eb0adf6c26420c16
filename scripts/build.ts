// Builds the single binary dist/sentryctl for this machine (`npm run build`), offline. The flags
// live in scripts/compile.ts, shared with `npm run release`.

import { mkdirSync, statSync } from "node:fs";
import { commitId, compile, hostTarget } from "./compile.ts";

mkdirSync("dist", { recursive: true });
try {
  compile({ outfile: "dist/sentryctl", build: { commit: commitId(), target: hostTarget() } });
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
const size = statSync("dist/sentryctl").size;
console.log(`dist/sentryctl: ${(size / 1024 / 1024).toFixed(1)} MiB`);
