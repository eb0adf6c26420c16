// The programs supervisor: one detached process per service (started by `up`, it outlives the
// terminal) that runs the mode's x-programs in the repo directory, each in its own process group
// with stdout/stderr appended to `<dir>/<program>.log`, restarts a program that dies (when
// `autorestart`, with exponential back-off that resets after a run of 10 s), and answers the
// control socket (protocol.ts). It stops everything and exits on `shutdown` or SIGTERM.

import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import type { Signals } from "../../runtime/io.ts";
import type { ProgramSpec } from "../config.ts";
import {
  type Answer,
  type ProgramState,
  type ProgramStatus,
  type Request,
  socketPath,
  tryRequest,
} from "./protocol.ts";

export interface DaemonOptions {
  dir: string;
  /** Where SIGTERM/SIGINT (shut down) and SIGHUP (ignored) arrive: the process's, from the edge. */
  signals: Signals;
  now?: () => number;
  /** First restart delay; doubles per quick death up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** A run at least this long resets the back-off. */
  stableMs?: number;
  /** SIGTERM, then SIGKILL after this long. */
  stopGraceMs?: number;
}

class Program {
  state: ProgramState = "stopped";
  child?: ChildProcess;
  startedAt?: number;
  restarts = 0;
  quickDeaths = 0;
  lastExit?: ProgramStatus["lastExit"];
  timer?: ReturnType<typeof setTimeout>;
  exited?: Promise<void>;

  constructor(
    public spec: ProgramSpec,
    public repoDir: string,
    public env: Record<string, string>,
    readonly log: string,
    readonly opts: Required<Omit<DaemonOptions, "dir" | "signals">>,
  ) {}

  note(line: string) {
    try {
      const fd = openSync(this.log, "a");
      writeSync(fd, `[supervisor] ${line}\n`);
      closeSync(fd);
    } catch {
      // The log is best effort; the program's state is still tracked.
    }
  }

  start() {
    clearTimeout(this.timer);
    const fd = openSync(this.log, "a");
    const child = spawn("/bin/sh", ["-c", this.spec.command], {
      cwd: this.repoDir,
      env: { ...this.env, ...this.spec.environment },
      stdio: ["ignore", fd, fd],
      // Its own process group: stopping it stops what the shell started too.
      detached: true,
    });
    closeSync(fd);
    this.child = child;
    this.state = "running";
    this.startedAt = this.opts.now();
    this.exited = new Promise((done) => {
      child.on("error", (err) => {
        this.note(`could not start '${this.spec.command}': ${err.message}`);
      });
      child.on("exit", (code, signal) => {
        this.onExit(child, code, signal);
        done();
      });
    });
  }

  onExit(child: ChildProcess, code: number | null, signal: string | null) {
    if (this.child !== child) return;
    const now = this.opts.now();
    this.child = undefined;
    this.lastExit = { code, signal, at: now };
    if (this.state !== "running") return; // stopped on purpose
    if (!this.spec.autorestart) {
      this.state = "exited";
      this.note(`exited (${signal ?? `code ${code}`}); autorestart is off`);
      return;
    }
    const ran = now - (this.startedAt ?? now);
    this.quickDeaths = ran >= this.opts.stableMs ? 0 : this.quickDeaths + 1;
    const delay = Math.min(
      this.opts.maxBackoffMs,
      this.quickDeaths === 0 ? 0 : this.opts.backoffMs * 2 ** (this.quickDeaths - 1),
    );
    this.state = "backoff";
    this.note(`exited (${signal ?? `code ${code}`}); restarting in ${delay / 1000}s`);
    this.timer = setTimeout(() => {
      if (this.state !== "backoff") return;
      this.restarts++;
      this.start();
    }, delay);
  }

  async stop(next: ProgramState = "stopped") {
    clearTimeout(this.timer);
    this.state = next;
    const child = this.child;
    if (!child?.pid) return;
    const group = -child.pid;
    const kill = (sig: NodeJS.Signals) => {
      try {
        process.kill(group, sig);
      } catch {
        // Already gone.
      }
    };
    kill("SIGTERM");
    const killer = setTimeout(() => kill("SIGKILL"), this.opts.stopGraceMs);
    await this.exited;
    clearTimeout(killer);
    this.child = undefined;
  }

  status(): ProgramStatus {
    return {
      name: this.spec.name,
      state: this.state,
      pid: this.child?.pid,
      startedAt: this.child ? this.startedAt : undefined,
      restarts: this.restarts,
      lastExit: this.lastExit,
      log: this.log,
    };
  }
}

export async function runDaemon(options: DaemonOptions): Promise<void> {
  const opts = {
    now: options.now ?? Date.now,
    backoffMs: options.backoffMs ?? 1000,
    maxBackoffMs: options.maxBackoffMs ?? 30_000,
    stableMs: options.stableMs ?? 10_000,
    stopGraceMs: options.stopGraceMs ?? 10_000,
  };
  const dir = options.dir;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = socketPath(dir);
  if (await tryRequest(dir, { op: "status" })) {
    throw new Error(`a supervisor already runs for ${dir}`);
  }
  rmSync(path, { force: true }); // a stale socket of a supervisor that died
  const programs = new Map<string, Program>();
  let finish!: () => void;
  const finished = new Promise<void>((r) => (finish = r));

  const shutdown = async () => {
    await Promise.all([...programs.values()].map((p) => p.stop()));
    server.close();
    rmSync(path, { force: true });
    rmSync(join(dir, "supervisor.pid"), { force: true });
    finish();
  };

  const handle = async (req: Request): Promise<Answer> => {
    switch (req.op) {
      case "status":
        break;
      case "ensure":
        for (const spec of req.programs) {
          let p = programs.get(spec.name);
          if (!p) {
            p = new Program(spec, req.repoDir, req.env, join(dir, `${spec.name}.log`), opts);
            programs.set(spec.name, p);
          } else {
            Object.assign(p, { spec, repoDir: req.repoDir, env: req.env });
          }
          if (p.state !== "running" && p.state !== "backoff" && p.state !== "foreground") {
            p.start();
          }
        }
        break;
      case "stop":
      case "start": {
        const p = programs.get(req.program);
        if (!p) return { ok: false, error: `Program ${req.program} is not supervised` };
        if (req.op === "stop") await p.stop(req.foreground ? "foreground" : "stopped");
        else if (p.state !== "running" && p.state !== "backoff") p.start();
        break;
      }
      case "shutdown":
        queueMicrotask(() => void shutdown());
        return { ok: true, pid: process.pid, programs: [] };
    }
    return { ok: true, pid: process.pid, programs: [...programs.values()].map((p) => p.status()) };
  };

  const server: Server = createServer((socket) => {
    let buffer = "";
    socket.setEncoding("utf8");
    socket.on("error", () => {});
    socket.on("data", (chunk) => {
      buffer += chunk;
      const nl = buffer.indexOf("\n");
      if (nl < 0) return;
      let req: Request;
      try {
        req = JSON.parse(buffer.slice(0, nl)) as Request;
      } catch {
        socket.end(JSON.stringify({ ok: false, error: "bad request" }));
        return;
      }
      handle(req).then(
        (answer) => socket.end(JSON.stringify(answer)),
        (err: Error) => socket.end(JSON.stringify({ ok: false, error: err.message })),
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(path, () => resolve());
  });
  writeFileSync(join(dir, "supervisor.pid"), String(process.pid));
  const onSignal = () => void shutdown();
  const ignore = () => {};
  const { signals } = options;
  signals.on("SIGTERM", onSignal);
  signals.on("SIGINT", onSignal);
  signals.on("SIGHUP", ignore); // outlives the terminal it was started from
  await finished;
  signals.off("SIGTERM", onSignal);
  signals.off("SIGINT", onSignal);
  signals.off("SIGHUP", ignore);
}
