// End-to-end: devservices' supervised programs (SPEC §3b) with the compiled binary invoked
// through a link named `devservices`: `up` starts a detached supervisor that outlives it, a
// killed program is restarted, `status --json` shows pid/uptime/restarts, `logs` prefixes program
// output, `foreground` takes a program over and hands it back, `down` stops everything.
// No containers: the mode lists only programs.

import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, test } from "node:test";
import { devservicesRepo } from "../helpers/devservices-repo.ts";

// Program text goes through compose's interpolation (as under docker compose): scripts keep '$'.
const { work, repo, dev, supervisorPid, stopPrograms } = devservicesRepo({
  prefix: "devsvc-e2e-prog-",
  name: "progapp",
  config: `x-sentry-service-config:
  version: 0.1
  service_name: progapp
  dependencies:
    worker: {description: A worker}
    ticker: {description: Prints ticks}
  modes:
    default: [worker]
    both: [worker, ticker]
x-programs:
  worker:
    command: sh worker.sh
    environment: {GREETING: hello}
  ticker:
    command: sh ticker.sh
  devserver:
    command: echo devserver-args
services: {}
`,
  files: {
    "worker.sh": 'echo "worker $$ in $(pwd) says $GREETING"\nexec sleep "${WORKER_SLEEP:-300}"\n',
    "ticker.sh": "while true; do echo tick; sleep 0.5; done\n",
  },
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

after(async () => {
  await stopPrograms();
  rmSync(work, { recursive: true, force: true });
});

interface Status {
  service: string;
  modes: string[];
  projects: {
    name: string;
    programs: {
      name: string;
      state: string;
      pid: number | null;
      restarts: number;
      uptime_seconds: number | null;
    }[];
  }[];
}

async function status(): Promise<Status> {
  const r = await dev(["status", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Status;
}

async function program(name: string, ok: (p: Status["projects"][0]["programs"][0]) => boolean) {
  for (let i = 0; i < 100; i++) {
    const p = (await status()).projects[0]!.programs.find((x) => x.name === name)!;
    if (ok(p)) return p;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`${name} never reached the expected state`);
}

test("programs: up, restart on death, status, logs, foreground, down", async () => {
  const up = await dev(["up", "--mode", "both"]);
  assert.equal(up.code, 0, up.stderr);
  assert.match(up.stderr, /Starting 'progapp' in mode: 'both'/);
  assert.match(up.stderr, /progapp started\n$/);
  const supervisor = supervisorPid()!;
  assert.ok(supervisor && alive(supervisor), "the supervisor outlives `up`");

  const first = await program("worker", (p) => p.state === "running" && p.pid !== null);
  assert.ok(alive(first.pid!));
  await program("ticker", (p) => p.state === "running");
  const doc = await status();
  assert.deepEqual(doc.modes, ["both"]);
  assert.equal(doc.service, "progapp");

  // Killed: restarted by the supervisor as a new process.
  process.kill(first.pid!, "SIGKILL");
  const second = await program("worker", (p) => p.state === "running" && p.pid !== first.pid);
  assert.equal(second.restarts, 1);

  const logs = await dev(["logs"]);
  assert.equal(logs.code, 0, logs.stderr);
  assert.match(logs.stdout, new RegExp(`^worker \\| worker \\d+ in ${repo} says hello$`, "m"));
  assert.match(logs.stdout, /^ticker \| tick$/m);
  assert.equal(logs.stdout.match(/^worker \| worker \d+ in/gm)!.length, 2, "both runs logged");

  // foreground: the supervised one stops, ours runs (WORKER_SLEEP=0 ends it), then it is back.
  const fg = await dev(["foreground", "worker"], { WORKER_SLEEP: "0" });
  assert.equal(fg.code, 0, fg.stderr);
  assert.match(fg.stdout, /worker \d+ in .* says hello/);
  assert.match(fg.stderr, /Stopping worker in supervisor\nStarting worker in foreground\n/);
  assert.match(fg.stderr, /Restarting worker in background/);
  assert.equal(alive(second.pid!), false, "the supervised run was stopped");
  const third = await program("worker", (p) => p.state === "running" && p.pid !== second.pid);
  assert.equal(third.restarts, 1, "a hand-back is not a restart");

  const serve = await dev(["serve", "--port", "8000"]);
  assert.equal(serve.code, 0);
  assert.match(serve.stdout, /devserver-args --port 8000/);

  const ls = await dev(["ls"]);
  assert.match(
    ls.stdout,
    /^Running services:\n- progapp\n {2}modes: \['both'\]\n {2}status: started\n/,
  );

  const down = await dev(["down"]);
  assert.equal(down.code, 0, down.stderr);
  assert.match(down.stderr, /progapp stopped\n$/);
  assert.equal(alive(third.pid!), false);
  for (let i = 0; i < 50 && alive(supervisor); i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(alive(supervisor), false, "the supervisor is gone");
  const again = await dev(["down"]);
  assert.equal(again.code, 0, "nothing to do exits 0");
  assert.match(again.stderr, /progapp is not running/);
  const st = await dev(["status"]);
  assert.equal(st.code, 0);
  assert.match(st.stderr, /Status unavailable\. progapp is not running standalone/);
});
