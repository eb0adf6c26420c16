// The supervisor's control protocol: one JSON request and one JSON answer per connection on a
// unix socket in the state directory (`<state>/programs/<service>/supervisor.sock`), and the
// client side of it. Plain data, so `status`, `down`, `foreground` and tests all speak it.

import { createConnection } from "node:net";
import { join } from "node:path";
import type { ProgramSpec } from "../config.ts";

export type ProgramState = "starting" | "running" | "backoff" | "stopped" | "exited" | "foreground";

export interface ProgramStatus {
  name: string;
  state: ProgramState;
  pid?: number;
  /** Epoch ms the current process started. */
  startedAt?: number;
  restarts: number;
  lastExit?: { code: number | null; signal: string | null; at: number };
  log: string;
}

export type Request =
  | { op: "status" }
  /** Run these programs (start the missing ones; the others keep running). */
  | { op: "ensure"; programs: ProgramSpec[]; repoDir: string; env: Record<string, string> }
  | { op: "stop"; program: string; foreground?: boolean }
  | { op: "start"; program: string }
  /** Stop every program and exit. */
  | { op: "shutdown" };

export interface Answer {
  ok: boolean;
  error?: string;
  pid?: number;
  programs?: ProgramStatus[];
}

export function socketPath(dir: string): string {
  return join(dir, "supervisor.sock");
}

/** One request; rejects when nothing listens (no supervisor) or on timeout. */
export function request(dir: string, req: Request, timeoutMs = 15_000): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(socketPath(dir));
    let data = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error("the supervisor did not answer in time"));
    }, timeoutMs);
    socket.setEncoding("utf8");
    socket.on("connect", () => socket.write(JSON.stringify(req) + "\n"));
    socket.on("data", (chunk) => (data += chunk));
    socket.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on("end", () => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(data) as Answer);
      } catch {
        reject(new Error("the supervisor gave no answer"));
      }
    });
  });
}

/** The supervisor's answer, or undefined when none runs for this directory. */
export async function tryRequest(dir: string, req: Request): Promise<Answer | undefined> {
  try {
    return await request(dir, req);
  } catch {
    return undefined;
  }
}
