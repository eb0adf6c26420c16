// Starting and stopping a service's supervisor from a command: the first `up` starts it detached
// (its own session, so closing the terminal does not end it) with sentryctl's own executable, and
// every `up` tells it which programs to run; `down` shuts it down.

import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import { join } from "node:path";
import { failure } from "../../errors.ts";
import type { ProgramSpec } from "../config.ts";
import { type Answer, socketPath, tryRequest } from "./protocol.ts";

export interface LaunchInput {
  dir: string;
  /** How to run this executable again: `[binary]` or `[runtime, main.ts]`. */
  self: string[];
  programs: ProgramSpec[];
  repoDir: string;
  env: Record<string, string>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function ensureSupervisor(input: LaunchInput): Promise<Answer> {
  const req = {
    op: "ensure" as const,
    programs: input.programs,
    repoDir: input.repoDir,
    env: input.env,
  };
  const running = await tryRequest(input.dir, req);
  if (running?.ok) return running;
  mkdirSync(input.dir, { recursive: true, mode: 0o700 });
  const out = openSync(join(input.dir, "supervisor.log"), "a");
  const child = spawn(input.self[0]!, [
    ...input.self.slice(1),
    "devservices",
    "__supervise",
    input.dir,
  ], {
    detached: true,
    stdio: ["ignore", out, out],
    env: input.env,
  });
  closeSync(out);
  child.unref();
  for (let i = 0; i < 100; i++) {
    await sleep(50 + i * 5);
    const answer = await tryRequest(input.dir, req);
    if (answer?.ok) return answer;
  }
  throw failure(`The programs supervisor did not start (see ${join(input.dir, "supervisor.log")})`);
}

/** Stops every program and the supervisor; false when none was running. */
export async function stopSupervisor(dir: string): Promise<boolean> {
  const answer = await tryRequest(dir, { op: "shutdown" });
  if (!answer) return false;
  for (let i = 0; i < 400 && existsSync(socketPath(dir)); i++) await sleep(50);
  return true;
}
