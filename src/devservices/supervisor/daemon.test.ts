import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import type { ProgramSpec } from "../config.ts";
import { TestSignals } from "../../../tests/helpers/process-inputs.ts";
import { runDaemon } from "./daemon.ts";
import { type Answer, request, socketPath } from "./protocol.ts";

const root = mkdtempSync(join(tmpdir(), "devsvc-sup-"));
after(() => rmSync(root, { recursive: true, force: true }));

function spec(name: string, command: string, autorestart = true): ProgramSpec {
  return { name, command, autorestart, environment: { PROGRAM_NAME: name } };
}

async function until(dir: string, ok: (a: Answer) => boolean, ms = 10_000): Promise<Answer> {
  const deadline = Date.now() + ms;
  for (;;) {
    const a = await request(dir, { op: "status" });
    if (ok(a)) return a;
    if (Date.now() > deadline) assert.fail(`condition not met: ${JSON.stringify(a.programs)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test("runs programs in the repo directory, restarts a killed one, hands one over, shuts down", async () => {
  const dir = join(root, "svc");
  const repo = mkdtempSync(join(root, "repo-"));
  const daemon = runDaemon({
    dir,
    signals: new TestSignals(),
    backoffMs: 50,
    stableMs: 60_000,
    stopGraceMs: 2000,
  });
  for (let i = 0; i < 100 && !existsSync(socketPath(dir)); i++) {
    await new Promise((r) => setTimeout(r, 20));
  }
  const first = await request(dir, {
    op: "ensure",
    repoDir: repo,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
    programs: [
      spec("worker", 'echo "worker in $(pwd) as $PROGRAM_NAME"; exec sleep 60'),
      spec("once", "echo done", false),
    ],
  });
  assert.ok(first.ok);
  const running = await until(
    dir,
    (a) =>
      a.programs!.find((p) => p.name === "worker")!.state === "running" &&
      a.programs!.find((p) => p.name === "once")!.state === "exited",
  );
  const worker = running.programs!.find((p) => p.name === "worker")!;
  assert.ok(worker.pid && alive(worker.pid));
  await until(dir, () => readFileSync(join(dir, "worker.log"), "utf8").includes("worker in"));
  assert.match(
    readFileSync(join(dir, "worker.log"), "utf8"),
    new RegExp(`worker in ${repo} as worker`),
  );
  assert.match(
    readFileSync(join(dir, "once.log"), "utf8"),
    /done\n\[supervisor\] exited \(code 0\); autorestart is off/,
  );

  // A killed program comes back as a new process.
  process.kill(worker.pid!, "SIGKILL");
  const restarted = await until(dir, (a) => {
    const w = a.programs!.find((p) => p.name === "worker")!;
    return w.state === "running" && w.pid !== worker.pid && w.restarts === 1;
  });
  const second = restarted.programs!.find((p) => p.name === "worker")!;
  assert.match(readFileSync(join(dir, "worker.log"), "utf8"), /exited \(SIGKILL\); restarting in/);

  // Handed over for the foreground: stopped, not restarted, until started again.
  await request(dir, { op: "stop", program: "worker", foreground: true });
  assert.equal(alive(second.pid!), false);
  await new Promise((r) => setTimeout(r, 300));
  const held = await request(dir, { op: "status" });
  assert.equal(held.programs!.find((p) => p.name === "worker")!.state, "foreground");
  await request(dir, { op: "start", program: "worker" });
  const back = await until(
    dir,
    (a) => a.programs!.find((p) => p.name === "worker")!.state === "running",
  );
  const third = back.programs!.find((p) => p.name === "worker")!.pid!;

  const unknown = await request(dir, { op: "stop", program: "nope" });
  assert.deepEqual(unknown, { ok: false, error: "Program nope is not supervised" });

  await request(dir, { op: "shutdown" });
  await daemon;
  assert.equal(alive(third), false, "shutdown stops the programs");
  assert.equal(existsSync(socketPath(dir)), false);
});

test("SIGTERM arriving through the signals it was given stops every program and the daemon", async () => {
  const dir = join(root, "signalled");
  const repo = mkdtempSync(join(root, "repo-"));
  const signals = new TestSignals();
  const daemon = runDaemon({ dir, signals, stopGraceMs: 2000 });
  for (let i = 0; i < 100 && !existsSync(socketPath(dir)); i++) {
    await new Promise((r) => setTimeout(r, 20));
  }
  await request(dir, {
    op: "ensure",
    repoDir: repo,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
    programs: [spec("worker", "exec sleep 60")],
  });
  const running = await until(dir, (a) => a.programs![0]!.state === "running");
  const pid = running.programs![0]!.pid!;
  signals.raise("SIGHUP"); // ignored: the daemon outlives its terminal
  assert.ok((await request(dir, { op: "status" })).ok);
  signals.raise("SIGTERM");
  await daemon;
  assert.equal(alive(pid), false, "the program was stopped");
  assert.equal(existsSync(socketPath(dir)), false, "the control socket is gone");
  assert.equal(signals.listenerCount("SIGTERM"), 0, "no listener left behind");
});
