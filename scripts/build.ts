// Builds the single binary dist/sentryctl with `bun build --compile` (offline). The binary must
// not pick up a `.env` or `bunfig.toml` from the user's working directory (SPEC §1).

import { spawnSync } from "node:child_process";
import { mkdirSync, statSync } from "node:fs";

const args = [
  "build",
  "--compile",
  "--minify",
  "--bytecode",
  "--format=esm",
  "--no-compile-autoload-dotenv",
  "--no-compile-autoload-bunfig",
  "--no-compile-autoload-tsconfig",
  "--no-compile-autoload-package-json",
  "main.ts",
  "--outfile",
  "dist/sentryctl",
];
mkdirSync("dist", { recursive: true });
const result = spawnSync(process.execPath, args, { stdio: "inherit" });
if (result.status !== 0) process.exit(result.status ?? 1);
const size = statSync("dist/sentryctl").size;
console.log(`dist/sentryctl: ${(size / 1024 / 1024).toFixed(1)} MiB`);
