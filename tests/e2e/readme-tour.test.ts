// The newcomer's path (issue 22): every shell block of README.md and docs/*.md marked
// `<!-- runnable -->` runs as written, in order, with a fresh HOME and only the binary on PATH,
// against the locally built images (a config directory maps the catalog's images to them). Each
// line must exit 0 and print no stack trace and no Python tuple. A block marked
// `<!-- runnable: background -->` (attach, serve) keeps running through the next block and then
// gets Ctrl-C, after which it must exit 0.

import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { REPO_ROOT, sentryctlCommand, tempHome } from "../helpers/cli.ts";
import { cleanupProject, dockerAvailable } from "../helpers/docker.ts";

interface Block {
  file: string;
  background: boolean;
  lines: string[];
}

/** The runnable blocks of one Markdown file, in order. */
export function runnableBlocks(file: string, text: string): Block[] {
  const blocks: Block[] = [];
  const re = /<!-- runnable(: background)? -->\s*\n```sh\n([\s\S]*?)\n```/g;
  for (const m of text.matchAll(re)) {
    const lines = m[2]!.split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
    blocks.push({ file, background: Boolean(m[1]), lines });
  }
  return blocks;
}

function allBlocks(): Block[] {
  const docs = readdirSync(join(REPO_ROOT, "docs")).filter((f) => f.endsWith(".md")).sort();
  return ["README.md", ...docs.map((f) => `docs/${f}`)].flatMap((f) =>
    runnableBlocks(f, readFileSync(join(REPO_ROOT, f), "utf8"))
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A stack trace line, or a Python tuple such as `('127.0.0.1', 6379)`. */
const BAD_OUTPUT = /\n\s+at \S|\('\d+\.\d+\.\d+\.\d+', \d+\)/;

interface Ran {
  code: number | null;
  out: string;
}

function start(line: string, env: Record<string, string>, cwd: string) {
  // `exec`: the shell becomes the command, so a signal reaches sentryctl itself.
  const child = spawn("bash", ["-c", `exec ${line}`], { env, cwd, stdio: "pipe" });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const done = new Promise<Ran>((resolve) => child.on("close", (code) => resolve({ code, out })));
  return { child, output: () => out, done };
}

async function waitForOutput(output: () => string, child: ChildProcess, ms: number) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && child.exitCode === null) {
    if (/\S/.test(output())) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("README tour", { skip: !dockerAvailable() && "no Docker engine" }, () => {
  after(() => cleanupProject("sentry"));

  test("the runnable blocks are found (the tour is not silently empty)", () => {
    const blocks = allBlocks();
    const commands = blocks.flatMap((b) => b.lines.map((l) => l.split(/\s+/)[1]));
    for (const c of ["attach", "up", "ps", "logs", "with", "serve", "down"]) {
      assert.ok(commands.includes(c), `the tour runs '${c}'`);
    }
  });

  test("every runnable block runs as written with a fresh HOME and only the binary", async () => {
    const home = tempHome();
    const bin = join(home, "bin");
    mkdirSync(bin);
    symlinkSync(sentryctlCommand()[0]!, join(bin, "sentryctl"));
    const conf = join(home, "conf");
    mkdirSync(conf);
    const [redisPort, statusPort] = [await freePort(), await freePort()];
    writeFileSync(
      join(conf, "config.yml"),
      `system.secret-key: "${"x".repeat(50)}"\nstatus.bind: 127.0.0.1:${statusPort}\n`,
    );
    writeFileSync(
      join(conf, "sentry.conf.yml"),
      "SENTRY_DEVSERVICES:\n" +
        `  redis: {image: "sentryctl-test/redis:7", ports: {"6379/tcp": ${redisPort}}}\n`,
    );
    const env = {
      HOME: home,
      PATH: `${bin}:/usr/bin:/bin`,
      SENTRY_CONF: conf,
      CI: "true",
      NO_COLOR: "1",
    };
    const cwd = join(home, "work");
    mkdirSync(cwd);
    let background: ReturnType<typeof start> | undefined;
    for (const block of allBlocks()) {
      if (block.background) {
        assert.equal(block.lines.length, 1, `${block.file}: a background block is one command`);
        background = start(block.lines[0]!, env, cwd);
        await waitForOutput(background.output, background.child, 60_000);
        assert.equal(
          background.child.exitCode,
          null,
          `${block.lines[0]} runs: ${background.output()}`,
        );
        continue;
      }
      for (const line of block.lines) {
        const ran = await start(line, env, cwd).done;
        assert.equal(ran.code, 0, `${block.file}: ${line}\n${ran.out}`);
        assert.doesNotMatch(ran.out, BAD_OUTPUT, `${block.file}: ${line}`);
      }
      if (background) {
        background.child.kill("SIGINT");
        const ran = await background.done;
        assert.equal(ran.code, 0, `Ctrl-C ends it with 0: ${ran.out}`);
        assert.doesNotMatch(ran.out, BAD_OUTPUT);
        background = undefined;
      }
    }
  });
});
