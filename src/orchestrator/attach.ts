// `attach SERVICE` (the seed's flow): start or reuse the container, print the recent back-log
// and follow it; SIGINT/SIGTERM stops and removes the container (volumes stay) and exits 0; a
// second signal kills at once. A container that exits by itself is left stopped for `logs`,
// and its exit code becomes ours. A reused container that Docker restarts is followed across.

import type { Writer } from "../bootstrap/context.ts";
import type { DockerClient } from "../docker/client.ts";
import type { ContainerInspect } from "../docker/types.ts";
import type { ResolvedService } from "../services/resolve.ts";
import { type ContainerPlan, planContainer } from "./container-config.ts";
import { SentryctlError } from "../errors.ts";
import { ensureContainer, ensureImage, ensureNetwork, ensureVolumes } from "./ensure.ts";
import { streamLogs } from "./log-follow.ts";
import { timestampToSince } from "../docker/demux.ts";
import type { Reporter } from "./reporter.ts";

export interface SignalSource {
  on(signal: "SIGINT" | "SIGTERM" | "SIGHUP", listener: () => void): void;
  off(signal: "SIGINT" | "SIGTERM" | "SIGHUP", listener: () => void): void;
}

export interface AttachOptions {
  project: string;
  sinceUnix: number;
  stdout: Writer;
  stderr: Writer;
  report: Reporter;
  signals: SignalSource;
}

/** Exit code after a first signal was handled and the container was stopped cleanly. */
export const EXIT_STOPPED = 0;
/** Exit code after a second signal forced a kill. */
export const EXIT_KILLED = 130;

export async function attachService(
  docker: DockerClient,
  service: ResolvedService,
  opts: AttachOptions,
): Promise<number> {
  const plan = planContainer(service, { project: opts.project, foreground: true });
  // Signals before the container runs abort the set-up (exit 130) and leave nothing half-made;
  // once it runs, they stop and remove it (exit 0).
  const setup = new AbortController();
  let stopper: Stopper | undefined;
  const onSignal = () => (stopper ? stopper.signal() : setup.abort());
  const names = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
  for (const name of names) opts.signals.on(name, onSignal);
  try {
    const id = await prepareContainer(docker, plan, opts, setup.signal, service.name);
    stopper = new Stopper(docker, id, service.name, plan.stopGraceSeconds, opts.stderr);
    const exitCode = await followUntilStopped(docker, id, opts, stopper);
    if (stopper.requested) return await stopper.finished;
    return exitCode;
  } finally {
    for (const name of names) opts.signals.off(name, onSignal);
  }
}

async function prepareContainer(
  docker: DockerClient,
  plan: ContainerPlan,
  opts: AttachOptions,
  aborted: AbortSignal,
  name: string,
): Promise<string> {
  const interrupted = () =>
    new SentryctlError("aborted", `Interrupted before ${name} started`, {
      hint: "nothing was left running; run the command again to start it",
    });
  let ensured;
  let networkCreated = false;
  const volumesCreated: string[] = [];
  try {
    networkCreated = await ensureNetwork(docker, opts.project, opts.report);
    await ensureVolumes(docker, plan, opts.project, opts.report, volumesCreated);
    await ensureImage(docker, plan.body.Image, plan.platform, opts.report, aborted, name);
    if (aborted.aborted) throw interrupted();
    ensured = await ensureContainer(docker, plan, opts.report, { recreate: false });
  } catch (err) {
    // A run that fails before its container starts takes back what it created (SPEC §3).
    await removeCreated(docker, opts.project, networkCreated, volumesCreated);
    throw aborted.aborted ? interrupted() : err;
  }
  if (aborted.aborted) {
    // A container this run created goes away again; one that was already running stays.
    if (!ensured.reused) await docker.removeContainer(ensured.id, { force: true });
    throw interrupted();
  }
  return ensured.id;
}

async function removeCreated(
  docker: DockerClient,
  project: string,
  network: boolean,
  volumes: string[],
): Promise<void> {
  for (const volume of volumes) await docker.removeVolume(volume).catch(() => {});
  if (network) await docker.removeNetwork(project).catch(() => {});
}

/** Runs the stop-then-remove sequence once; a second request escalates to a kill. */
class Stopper {
  requested = false;
  #count = 0;
  #resolve!: (code: number) => void;
  readonly finished = new Promise<number>((resolve) => (this.#resolve = resolve));
  readonly #abort = new AbortController();

  constructor(
    private readonly docker: DockerClient,
    private readonly id: string,
    private readonly name: string,
    private readonly graceSeconds: number,
    private readonly stderr: Writer,
  ) {}

  get abortSignal(): AbortSignal {
    return this.#abort.signal;
  }

  signal(): void {
    this.#count++;
    this.requested = true;
    if (this.#count === 1) void this.#stop();
    else if (this.#count === 2) void this.#kill();
  }

  async #stop(): Promise<void> {
    this.stderr.write(`Stopping ${this.name}\n`);
    try {
      await this.docker.stopContainer(this.id, this.graceSeconds);
      if (this.#count > 1) return; // the kill path finishes up
      this.stderr.write(`Removing ${this.name}\n`);
      await this.docker.removeContainer(this.id, { force: true });
      this.#abort.abort();
      this.#resolve(EXIT_STOPPED);
    } catch (err) {
      if (this.#count > 1) return;
      this.stderr.write(`error: could not stop ${this.name}: ${(err as Error).message}\n`);
      this.#abort.abort();
      this.#resolve(1);
    }
  }

  async #kill(): Promise<void> {
    this.stderr.write(`Killing ${this.name}\n`);
    try {
      await this.docker.removeContainer(this.id, { force: true });
    } catch (err) {
      this.stderr.write(`error: could not remove ${this.name}: ${(err as Error).message}\n`);
    }
    this.#abort.abort();
    this.#resolve(EXIT_KILLED);
  }
}

async function followUntilStopped(
  docker: DockerClient,
  id: string,
  opts: AttachOptions,
  stopper: Stopper,
): Promise<number> {
  let inspect = await docker.inspectContainer(id);
  const raw = inspect?.Config.Tty ?? false;
  let after: string | undefined;
  let since: number | string = opts.sinceUnix;
  for (;;) {
    after = await streamLogs(docker, id, raw, opts, {
      since,
      after,
      showTimestamps: false,
      follow: true,
      signal: stopper.abortSignal,
    });
    if (stopper.requested) return EXIT_STOPPED;
    inspect = await waitForSettledState(docker, id, stopper);
    if (stopper.requested) return EXIT_STOPPED;
    if (!inspect) {
      opts.stderr.write(`Container for ${id.slice(0, 12)} was removed\n`);
      return 1;
    }
    if (inspect.State.Running) {
      // Docker restarted it (restart policy of a reused container): keep following.
      if (after) since = timestampToSince(after);
      continue;
    }
    const code = inspect.State.ExitCode;
    const detail = inspect.State.OOMKilled
      ? " (out of memory)"
      : inspect.State.Error
      ? ` (${inspect.State.Error})`
      : "";
    opts.stderr.write(
      `> Container '${
        inspect.Name.replace(/^\//, "")
      }' exited with code ${code}${detail}; left stopped for 'sentryctl logs'\n`,
    );
    return code;
  }
}

/** After the log stream ends: waits out a restart in progress and returns the state. */
async function waitForSettledState(
  docker: DockerClient,
  id: string,
  stopper: Stopper,
): Promise<ContainerInspect | undefined> {
  for (let i = 0; i < 600; i++) {
    const inspect = await docker.inspectContainer(id);
    if (!inspect || stopper.requested) return inspect;
    const s = inspect.State;
    if (s.Running && !s.Restarting) return inspect;
    // Exited for good unless a restart policy is about to bring it back.
    const policy = inspect.HostConfig.RestartPolicy?.Name ?? "no";
    if (!s.Restarting && (policy === "no" || policy === "" || (s.Status === "exited" && i > 20))) {
      return inspect;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return docker.inspectContainer(id);
}
