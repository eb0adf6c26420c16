// End-to-end: nothing a container prints is lost, repeated or reordered (issue 19, SPEC §9).
// A 200k-line burst through `attach` to a file, a pipe and a terminal, and through `logs -f`;
// output across a `docker restart`; Docker's own errors from `logs`. Every check compares the
// whole output with what the container printed, line by line, never a pattern.
// SENTRYCTL_E2E_BURST_RUNS (default 1) repeats each burst run.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli, sentryctlCommand, testEnv } from "../helpers/cli.ts";
import { cleanupProject, docker, runLabelled } from "../helpers/docker.ts";
import { RunningCli } from "../helpers/process.ts";

const PROJECT = `sctl-e2e-engine-${Math.random().toString(36).slice(2, 8)}`;
const IMAGE = "sentryctl-test/busybox:latest";
const LINES = 200_000;
const RUNS = Number(process.env.SENTRYCTL_E2E_BURST_RUNS ?? 1);

const SETTINGS = `
SENTRY_DEVSERVICES:
  burst:
    image: ${IMAGE}
    command: ["sh", "-c", "seq 1 ${LINES}; sleep 1"]
  again:
    image: ${IMAGE}
    command: ["sh", "-c", "seq 1 20000; echo err-$RANDOM$RANDOM >&2; trap 'exit 0' TERM; sleep 1000 & wait"]
  ticker:
    image: ${IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.1 & wait $!; done"]
`;

const conf = mkdtempSync(join(tmpdir(), "sentryctl-engine-conf-"));
writeFileSync(join(conf, "sentry.conf.yml"), SETTINGS);
const cli = (...args: string[]) => ["--config", conf, "--project", PROJECT, ...args];

/** Why `text` is not exactly the lines `1..count`, in order (undefined when it is). */
function notSequence(text: string, count: number, from = 1): string | undefined {
  const lines = text.split("\n");
  if (lines.pop() !== "") return `the last line has no newline: ${JSON.stringify(lines.at(-1))}`;
  for (let i = 0; i < Math.min(lines.length, count); i++) {
    if (lines[i] !== String(from + i)) {
      return `line ${i + 1} is ${JSON.stringify(lines[i]?.slice(0, 40))}, not ${from + i} ` +
        `(${lines.length} lines)`;
    }
  }
  return lines.length === count ? undefined : `${lines.length} lines, not ${count}`;
}

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs attach with stdout to a file, a pipe, or a terminal (`script` gives it a pty). */
function attachTo(mode: "file" | "pipe" | "tty", service: string): Promise<Finished> {
  const argv = [...sentryctlCommand(), ...cli("attach", service)];
  const dir = mkdtempSync(join(tmpdir(), "sentryctl-engine-out-"));
  const outFile = join(dir, "out");
  const errFile = join(dir, "err");
  const started = Date.now();
  let stdio: ("ignore" | "pipe" | number)[];
  let cmd: string;
  let args: string[];
  if (mode === "tty") {
    const quoted = argv.map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(" ");
    cmd = "script";
    args = ["-qefc", `${quoted} 2>'${errFile}'`, "/dev/null"];
    stdio = ["pipe", "pipe", "pipe"];
  } else {
    cmd = argv[0]!;
    args = argv.slice(1);
    stdio = ["ignore", mode === "file" ? openSync(outFile, "w") : "pipe", openSync(errFile, "w")];
  }
  const child = spawn(cmd, args, { env: testEnv(), stdio });
  const chunks: Buffer[] = [];
  child.stdout?.on("data", (d: Buffer) => chunks.push(d));
  child.stderr?.on("data", (d: Buffer) => chunks.push(d));
  const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
  return new Promise((resolve) => {
    child.on("close", (code) => {
      clearTimeout(timer);
      for (const fd of stdio) if (typeof fd === "number") closeSync(fd);
      let stdout = mode === "file"
        ? readFileSync(outFile, "latin1")
        : Buffer.concat(chunks).toString("latin1");
      // The terminal turns every "\n" into "\r\n" (onlcr).
      if (mode === "tty") stdout = stdout.replaceAll("\r\n", "\n");
      resolve({ code, stdout, stderr: readFileSync(errFile, "utf8"), ms: Date.now() - started });
    });
  });
}

describe("output is complete and in order", { timeout: 600_000 }, () => {
  before(() => cleanupProject(PROJECT));
  after(async () => {
    await RunningCli.killAll();
    cleanupProject(PROJECT);
  });

  for (const mode of ["file", "pipe", "tty"] as const) {
    test(`attach of a ${LINES}-line burst to a ${mode}: every line, in order`, async () => {
      for (let run = 0; run < RUNS; run++) {
        const done = await attachTo(mode, "burst");
        assert.equal(done.code, 0, done.stderr);
        assert.equal(notSequence(done.stdout, LINES), undefined, `run ${run + 1}`);
        assert.match(done.stderr, /exited with code 0/);
        console.log(`attach → ${mode}: ${LINES} lines in ${done.ms} ms`);
        docker(["rm", "-f", `${PROJECT}_burst`]);
      }
    });
  }

  test(`logs -f of a ${LINES}-line burst: every line, in order`, async () => {
    const name = `${PROJECT}_logsburst`;
    // One of ours by label, created stopped so that `logs -f` is following when it starts.
    const created = docker([
      "create",
      "--name",
      name,
      "--label",
      `io.sentry.sentryctl.project=${PROJECT}`,
      "--label",
      "io.sentry.sentryctl.service=logsburst",
      IMAGE,
      "sh",
      "-c",
      `sleep 1; seq 1 ${LINES}; sleep 1000`,
    ]);
    assert.equal(created.code, 0, created.stderr);
    for (let run = 0; run < RUNS; run++) {
      const logs = new RunningCli(cli("logs", "-f", "--tail", "all", "logsburst"));
      await new Promise((r) => setTimeout(r, 300));
      if (run === 0) assert.equal(docker(["start", name]).code, 0);
      const deadline = Date.now() + 90_000;
      const expected = Array.from({ length: LINES }, (_, i) => `${i + 1}\n`).join("").length;
      while (logs.stdout.length < expected && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
      }
      await new Promise((r) => setTimeout(r, 300)); // anything more would be a repeat
      logs.signal("SIGINT");
      const exit = await logs.exited;
      assert.equal(notSequence(exit.stdout, LINES), undefined, `run ${run + 1}: ${exit.stderr}`);
    }
  });

  test("attach across `docker restart` during its output: both runs whole, nothing twice", async () => {
    const run = new RunningCli(cli("attach", "again"));
    await run.waitFor(/^20000$/m, 60_000);
    await run.waitFor(/err-\d+/, 10_000);
    const restarted = docker(["restart", "-t", "1", `${PROJECT}_again`]);
    assert.equal(restarted.code, 0, restarted.stderr);
    // The second run prints the same 20000 lines again and a new stderr marker.
    await run.waitFor(/err-\d+[\s\S]*err-\d+/, 60_000);
    const deadline = Date.now() + 60_000;
    while (run.stdout.split("\n").length < 40_001 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 500));
    run.signal("SIGINT");
    const exit = await run.exited;
    assert.equal(exit.code, 0, exit.stderr);
    const once = Array.from({ length: 20000 }, (_, i) => `${i + 1}\n`).join("");
    assert.equal(
      exit.stdout === once + once,
      true,
      `stdout is twice 1..20000 (${exit.stdout.split("\n").length - 1} lines; ${
        notSequence(exit.stdout, 40000)
      })`,
    );
    const markers = exit.stderr.match(/^err-\d+$/gm) ?? [];
    assert.equal(markers.length, 2, exit.stderr);
    assert.notEqual(markers[0], markers[1]);
  });

  test("attach follows a `docker restart -t 1` of the container it created", async () => {
    const run = new RunningCli(cli("attach", "ticker"));
    await run.waitFor(/^tick 3$/m, 30_000);
    const restarted = docker(["restart", "-t", "1", `${PROJECT}_ticker`]);
    assert.equal(restarted.code, 0, restarted.stderr);
    // The restarted container counts from 1 again; attach must still be there to show it.
    await run.waitFor(/tick 1\n(?:tick \d+\n)*tick 1\n(?:tick \d+\n)*tick 3\n/, 30_000);
    run.signal("SIGINT");
    const exit = await run.exited;
    assert.equal(exit.code, 0, exit.stderr);
    assert.doesNotMatch(exit.stderr, /exited with code/);
    assert.match(exit.stderr, /Removing ticker/);
    // Each run's ticks are consecutive: none lost, none repeated.
    const runs = exit.stdout.split(/(?=^tick 1$)/m).filter(Boolean);
    assert.equal(runs.length, 2, exit.stdout);
    for (const r of runs) {
      const n = r.trimEnd().split("\n").length;
      const want = Array.from({ length: n }, (_, i) => `tick ${i + 1}\n`).join("");
      assert.equal(r, want);
    }
  });

  /** A container of ours by label (as `up` would label it), created with extra docker flags. */
  function ours(service: string, flags: string[], script: string): string {
    return runLabelled(PROJECT, service, { image: IMAGE, command: ["sh", "-c", script], flags });
  }

  test("logs of a container whose log driver cannot be read: Docker's reason, not silence", async () => {
    const name = ours("nolog", ["--log-driver", "none"], "echo hidden; sleep 100");
    const peer = docker(["logs", name]);
    assert.notEqual(peer.code, 0, "docker itself refuses");
    const r = await runCli(cli("logs", "nolog"));
    assert.notEqual(r.code, 0, r.stderr);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /does not support reading/);
    const f = await runCli(cli("logs", "-f", "nolog"), { timeoutMs: 20_000 });
    assert.notEqual(f.code, 0, f.stderr);
    assert.equal(f.signal, null, "-f does not hang on it");
    assert.match(f.stderr, /does not support reading/);
  });

  test("logs of a TTY container: every line, no timestamps unless asked", async () => {
    const name = ours("tty", ["-t"], "for i in 1 2 3 4 5 6 7 8; do echo line $i; done; sleep 100");
    const lines = Array.from({ length: 8 }, (_, i) => `line ${i + 1}\r\n`).join("");
    const deadline = Date.now() + 20_000;
    while (!docker(["logs", name]).stdout.includes("line 8") && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const r = await runCli(cli("logs", "tty"));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, lines);
    const stamped = await runCli(cli("logs", "--timestamps", "tty"));
    const got = stamped.stdout.split("\n").filter(Boolean);
    assert.equal(got.length, 8, stamped.stdout);
    got.forEach((l, i) =>
      assert.match(l, new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\S+ line ${i + 1}\\r$`))
    );
  });
});
