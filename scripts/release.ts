// `npm run release`: cross-compiles sentryctl for every target and lays out what gets published
// (SPEC §1a):
//   dist/release/v<version>/sentryctl-<target>.tar.gz + SHA256SUMS, and an identical latest/
//   dist/release/install.sh        scripts/install.sh, to serve beside them
//   dist/npm/sentryctl/            the launcher package (optionalDependencies on the next ones)
//   dist/npm/<target>/             @sentryctl/<target>, holding bin/sentryctl
// Reproducible: same commit and Bun version → same bytes (archive mtime = commit time, see
// scripts/release/tar.ts). Options: `--targets linux-x64,…` (a subset), `--out DIR` (instead of
// dist/). Bun downloads each target's runtime once into its cache (~/.bun/install/cache).

import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createHash } from "node:crypto";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { commitId, compile, sourceDateEpoch, type Target, TARGETS } from "./compile.ts";
import { type TarEntry, tarGz } from "./release/tar.ts";
import { VERSION } from "../src/version.ts";

const NPM_SCOPE = "@sentryctl";

function parseArgs(argv: string[]): { targets: Target[]; out: string } {
  let targets: Target[] = [...TARGETS];
  let out = "dist";
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--out" && argv[i + 1]) out = resolve(argv[++i]!);
    else if (a === "--targets" && argv[i + 1]) {
      const names = argv[++i]!.split(",");
      const bad = names.filter((n) => !(TARGETS as readonly string[]).includes(n));
      if (bad.length) throw new Error(`unknown target ${bad.join(", ")}; known: ${TARGETS}`);
      targets = names as Target[];
    } else throw new Error(`usage: bun scripts/release.ts [--targets a,b] [--out DIR]`);
  }
  return { targets, out };
}

function sha256(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

function writeJson(path: string, value: unknown): void {
  writeFileSync(path, JSON.stringify(value, null, 2) + "\n");
}

/** npm's os/cpu/libc for a target, so npm installs only the matching package. */
function platformFields(target: Target): Record<string, string[]> {
  const [os, cpu, libc] = target.split("-") as [string, string, string | undefined];
  const fields: Record<string, string[]> = { os: [os], cpu: [cpu] };
  if (os === "linux") fields.libc = [libc === "musl" ? "musl" : "glibc"];
  return fields;
}

function main(): void {
  // Paths below are relative to the repository root, wherever this was started from.
  const argv = process.argv.slice(2);
  const parsed = parseArgs(argv);
  process.chdir(fileURLToPath(new URL("..", import.meta.url)));
  const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
  if (pkg.version !== VERSION) {
    throw new Error(`package.json version ${pkg.version} ≠ src/version.ts VERSION ${VERSION}`);
  }
  const { targets, out } = parsed;
  const commit = commitId();
  if (commit.endsWith("-dirty")) {
    console.warn(`warning: uncommitted changes; the binaries will say commit ${commit}`);
  }
  const mtime = sourceDateEpoch();
  const versionDir = join(out, "release", `v${VERSION}`);
  const latestDir = join(out, "release", "latest");
  const npmDir = join(out, "npm");
  for (const d of [versionDir, latestDir, npmDir]) rmSync(d, { recursive: true, force: true });
  mkdirSync(versionDir, { recursive: true });
  mkdirSync(latestDir, { recursive: true });

  // Shipped beside the binary when the repository has them.
  const extras: TarEntry[] = ["LICENSE", "README.md"].filter((f) => existsSync(f)).map((f) => ({
    name: f,
    mode: 0o644,
    data: readFileSync(f),
  }));
  const readme = (title: string) =>
    `# ${title}\n\nThe sentryctl binary${title === "sentryctl" ? "" : ` for ${title}`}, ` +
    `version ${VERSION} (commit ${commit}). See https://www.npmjs.com/package/sentryctl.\n`;

  const sums: string[] = [];
  for (const target of targets) {
    const started = Date.now();
    const pkgDir = join(npmDir, target);
    const binary = join(pkgDir, "bin", "sentryctl");
    mkdirSync(join(pkgDir, "bin"), { recursive: true });
    compile({ outfile: binary, target, build: { commit, target }, quiet: true });
    chmodSync(binary, 0o755);
    const data = readFileSync(binary);
    const archiveName = `sentryctl-${target}.tar.gz`;
    const archive = tarGz([{ name: "sentryctl", mode: 0o755, data }, ...extras], mtime);
    writeFileSync(join(versionDir, archiveName), archive);
    sums.push(`${sha256(archive)}  ${archiveName}`);

    writeJson(join(pkgDir, "package.json"), {
      name: `${NPM_SCOPE}/${target}`,
      version: VERSION,
      description: `The sentryctl binary for ${target}`,
      ...platformFields(target),
      license: "Apache-2.0",
      files: ["bin/sentryctl", "README.md", "LICENSE"],
      preferUnplugged: true,
    });
    writeFileSync(join(pkgDir, "README.md"), readme(target));
    copyFileSync("LICENSE", join(pkgDir, "LICENSE"));
    const mib = (n: number) => (n / 1024 / 1024).toFixed(1);
    console.log(
      `${target}: binary ${mib(data.length)} MiB, ${archiveName} ${mib(archive.length)} MiB ` +
        `(${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );
  }
  sums.sort((a, b) => a.slice(66).localeCompare(b.slice(66)));
  writeFileSync(join(versionDir, "SHA256SUMS"), sums.join("\n") + "\n");
  for (const f of [...targets.map((t) => `sentryctl-${t}.tar.gz`), "SHA256SUMS"]) {
    copyFileSync(join(versionDir, f), join(latestDir, f));
  }

  // Served beside the version directories: `curl -fsSL <release URL>/install.sh | sh`.
  copyFileSync("scripts/install.sh", join(out, "release", "install.sh"));
  chmodSync(join(out, "release", "install.sh"), 0o755);

  const main = join(npmDir, "sentryctl");
  mkdirSync(join(main, "bin"), { recursive: true });
  copyFileSync("scripts/release/npm-launcher.cjs", join(main, "bin", "sentryctl.js"));
  chmodSync(join(main, "bin", "sentryctl.js"), 0o755);
  writeJson(join(main, "package.json"), {
    name: "sentryctl",
    version: VERSION,
    description: "One binary that runs a Sentry-style development stack as Docker containers",
    bin: { sentryctl: "bin/sentryctl.js" },
    license: "Apache-2.0",
    files: ["bin/sentryctl.js", "README.md", "LICENSE"],
    engines: { node: ">=18" },
    optionalDependencies: Object.fromEntries(
      targets.map((t) => [`${NPM_SCOPE}/${t}`, VERSION]),
    ),
  });
  writeFileSync(join(main, "README.md"), readme("sentryctl"));
  copyFileSync("LICENSE", join(main, "LICENSE"));
  console.log(`${versionDir}/SHA256SUMS, ${latestDir}/, ${npmDir}/ (commit ${commit})`);
}

try {
  main();
} catch (e) {
  console.error(`release: ${(e as Error).message}`);
  process.exit(1);
}
