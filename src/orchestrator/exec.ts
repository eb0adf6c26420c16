// `exec`: a command in a service's running container, output relayed frame by frame (no
// hijacked stream: the output is the response body), exit code polled from the exec.

import type { Engine } from "../docker/engine.ts";
import { FrameDecoder } from "../docker/demux.ts";
import { failure } from "../errors.ts";
import type { Writer } from "../runtime/io.ts";
import { LABELS } from "./labels.ts";

export async function execIn(
  engine: Engine,
  project: string,
  service: string,
  cmd: string[],
  out: { stdout: Writer; stderr: Writer },
  signal?: AbortSignal,
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
  const execId = await engine.createExec(inspect.Id, { cmd, output: true });
  const stream = await engine.startExec(execId, signal);
  const decoder = new FrameDecoder(inspect.Config.Tty);
  for await (const chunk of stream as AsyncIterable<Uint8Array>) {
    for (const frame of decoder.push(chunk)) {
      (frame.stream === "stderr" ? out.stderr : out.stdout).write(frame.payload);
    }
  }
  for (let i = 0; i < 100; i++) {
    const info = await engine.inspectExec(execId);
    if (!info.Running && info.ExitCode !== null) return info.ExitCode;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw failure(`The command in '${name}' did not report an exit code`);
}
