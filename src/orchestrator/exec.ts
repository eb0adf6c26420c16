// `exec`: a command in a service's running container, stdio attached (SPEC §3). With input, the
// exec runs over a hijacked connection: our stdin is sent as it comes and its end becomes the
// command's end-of-file; with a terminal on both ends the command gets a TTY sized like ours.
// Without input (or on an endpoint that cannot be hijacked: TLS, ssh) the output is the
// response body. Either way output is relayed frame by frame and the exit code is polled; a
// command that stops reading its input ends normally, with its own exit code.

import type { Engine, ExecStream } from "../docker/engine.ts";
import { FrameDecoder } from "../docker/demux.ts";
import { failure } from "../errors.ts";
import { type Clock, realClock } from "../runtime/clock.ts";
import type { Writer } from "../runtime/io.ts";
import { poll } from "../runtime/poll.ts";
import { containerName } from "./observe.ts";
import { findServiceContainer, type StackScope } from "./scope.ts";

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
  /** Whose containers (./scope.ts): a project file's include what docker compose made. */
  scope: StackScope,
  service: string,
  cmd: string[],
  out: { stdout: Writer; stderr: Writer },
  opts: { signal?: AbortSignal; input?: ExecInput; clock?: Clock } = {},
): Promise<number> {
  const { signal, input } = opts;
  const clock = opts.clock ?? realClock;
  // Found by the stack's labels, never by name: a container of another project may hold it.
  const inspect = await findServiceContainer(engine, scope, service);
  if (!inspect) {
    throw failure(`Service ${service} has no container in project '${scope.project}'`, {
      hint: `start it with 'sentryctl up ${service}'`,
    });
  }
  const name = containerName(inspect);
  if (!inspect.State.Running) {
    throw failure(`Container '${name}' is not running (${inspect.State.Status})`, {
      hint: `start it with 'sentryctl up ${service}'`,
    });
  }
  const startAttached = input && engine.startExecAttached;
  const tty = Boolean(startAttached && input.tty);
  const execId = await engine.createExec(inspect.Id, {
    cmd,
    output: true,
    stdin: Boolean(startAttached),
    tty,
  });
  let stream: AsyncIterable<Uint8Array>;
  let stopResizing = () => {};
  let watcher = { stop: () => {}, closed: () => false };
  if (input && startAttached) {
    const exec = await startAttached(execId, tty, signal);
    stopResizing = forwardInput(engine, execId, exec, input, tty);
    // A command that ended without reading its input (or never started: 126/127) may leave the
    // connection open while our unsent input waits in it: once the engine reports the exit,
    // take what output is still coming for a moment, then close the connection ourselves.
    watcher = closeAfterExit(engine, execId, exec, clock);
    stream = exec;
  } else {
    stream = (await engine.startExec(execId, signal)) as AsyncIterable<Uint8Array>;
  }
  try {
    const decoder = new FrameDecoder(tty);
    for await (const chunk of stream) {
      for (const frame of decoder.push(chunk)) {
        (frame.stream === "stderr" ? out.stderr : out.stdout).write(frame.payload);
      }
    }
  } catch (err) {
    // A command that exits without reading all its input (`true < big-file`, `head -c 10`)
    // leaves our unsent input in the engine's socket, which then resets the connection: that
    // is the end of its output, not a failure. Its exit code says how it went.
    if (!(input && startAttached && (isConnectionReset(err) || watcher.closed()))) throw err;
  } finally {
    stopResizing();
    watcher.stop();
  }
  const code = await poll(async () => {
    const info = await engine.inspectExec(execId);
    return !info.Running && info.ExitCode !== null ? info.ExitCode : undefined;
  }, { every: EXIT_CODE_POLL_MS, attempts: EXIT_CODE_POLLS, clock });
  if (code !== undefined) return code;
  throw failure(`The command in '${name}' did not report an exit code`);
}

/** After the output ends, the exit code may trail it: looked for this often, this many times. */
const EXIT_CODE_POLL_MS = 20;
const EXIT_CODE_POLLS = 100;
/** How often the exit is polled while output streams, and how long output may trail it. */
const EXIT_POLL_MS = 200;
const TRAILING_OUTPUT_MS = 500;

/** Polls the exec; once it has exited, closes the connection after a moment. */
export function closeAfterExit(
  engine: Pick<Engine, "inspectExec">,
  execId: string,
  exec: Pick<ExecStream, "destroy">,
  clock: Clock,
): { stop(): void; closed(): boolean } {
  const stopping = new AbortController();
  let closed = false;
  void (async () => {
    const exited = await poll(async () => {
      const info = await engine.inspectExec(execId).catch(() => undefined);
      return info && !info.Running && info.ExitCode !== null ? true : undefined;
    }, { every: EXIT_POLL_MS, pauseFirst: true, signal: stopping.signal, clock });
    if (!exited) return;
    await clock.sleep(TRAILING_OUTPUT_MS, stopping.signal);
    closed = true;
    exec.destroy();
  })().catch(() => {}); // stopped: the output ended by itself
  return {
    stop: () => stopping.abort(),
    closed: () => closed,
  };
}

function isConnectionReset(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return code === "ECONNRESET" || code === "EPIPE";
}

/**
 * Sends our input to the exec, and keeps a TTY exec's size in step with our terminal; answers
 * a function that stops following the size. Not awaited: the command may end before its input
 * does (`exec redis redis-cli ping` at a terminal).
 */
function forwardInput(
  engine: Engine,
  execId: string,
  exec: ExecStream,
  input: ExecInput,
  tty: boolean,
): () => void {
  void (async () => {
    for await (const chunk of input.chunks) await exec.send(chunk);
  })().catch(() => {}).finally(() => exec.endInput());
  const resizeExec = engine.resizeExec;
  if (!tty || !input.size || !resizeExec) return () => {};
  const resize = () => {
    const size = input.size!();
    if (size) resizeExec.call(engine, execId, size.rows, size.cols).catch(() => {});
  };
  resize();
  return input.onResize?.(resize) ?? (() => {});
}
