// `exec`: a command in a service's running container, stdio attached (SPEC §3). With input, the
// exec runs over a hijacked connection: our stdin is sent as it comes and its end becomes the
// command's end-of-file; with a terminal on both ends the command gets a TTY sized like ours.
// Without input (or on an endpoint that cannot be hijacked: TLS, ssh) the output is the
// response body. Either way output is relayed frame by frame and the exit code is polled.

import type { Engine, ExecStream } from "../docker/engine.ts";
import { FrameDecoder } from "../docker/demux.ts";
import { failure } from "../errors.ts";
import type { Writer } from "../runtime/io.ts";
import { LABELS } from "./labels.ts";

/** What the command reads: our stdin, and whether it is a terminal (then so is the command's). */
export interface ExecInput {
  chunks: AsyncIterable<Uint8Array>;
  tty: boolean;
  /** The terminal's size now, and a subscription to its changes (TTY only). */
  size?(): { rows: number; cols: number } | undefined;
  onResize?(listener: () => void): () => void;
}

export async function execIn(
  engine: Engine,
  project: string,
  service: string,
  cmd: string[],
  out: { stdout: Writer; stderr: Writer },
  signal?: AbortSignal,
  input?: ExecInput,
): Promise<number> {
  const name = `${project}_${service}`;
  const inspect = await engine.inspectContainer(name);
  if (!inspect || inspect.Config.Labels?.[LABELS.project] !== project) {
    throw failure(`Service ${service} has no container in project '${project}'`, {
      hint: `start it with 'sentryctl up ${service}'`,
    });
  }
  if (!inspect.State.Running) {
    throw failure(`Container '${name}' is not running (${inspect.State.Status})`, {
      hint: `start it with 'sentryctl up ${service}'`,
    });
  }
  const attach = input !== undefined && engine.startExecAttached !== undefined &&
    engine.endpoint.protocol !== "https" && engine.endpoint.protocol !== "ssh";
  const tty = attach && input.tty;
  const execId = await engine.createExec(inspect.Id, { cmd, output: true, stdin: attach, tty });
  const stream = attach
    ? await engine.startExecAttached!(execId, tty, signal)
    : await engine.startExec(execId, signal);
  if (!stream) throw failure(`Cannot attach to the command in '${name}'`);
  let stopResizing = () => {};
  if (attach) {
    const exec = stream as ExecStream;
    if (tty && input.size && engine.resizeExec) {
      const resize = () => {
        const size = input.size!();
        if (size) engine.resizeExec!(execId, size.rows, size.cols).catch(() => {});
      };
      resize();
      stopResizing = input.onResize?.(resize) ?? stopResizing;
    }
    // Not awaited: the command may end before its input does (`exec redis redis-cli ping`).
    void (async () => {
      for await (const chunk of input.chunks) await exec.send(chunk);
    })().catch(() => {}).finally(() => exec.endInput());
  }
  try {
    const decoder = new FrameDecoder(tty);
    for await (const chunk of stream as AsyncIterable<Uint8Array>) {
      for (const frame of decoder.push(chunk)) {
        (frame.stream === "stderr" ? out.stderr : out.stdout).write(frame.payload);
      }
    }
  } finally {
    stopResizing();
  }
  for (let i = 0; i < 100; i++) {
    const info = await engine.inspectExec(execId);
    if (!info.Running && info.ExitCode !== null) return info.ExitCode;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw failure(`The command in '${name}' did not report an exit code`);
}
