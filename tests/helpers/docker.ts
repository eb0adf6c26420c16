// Docker CLI helpers for end-to-end tests: inspect what sentryctl made, and clean up by label
// (never by name) even when a test failed.

import { spawnSync } from "node:child_process";

export function docker(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync("docker", args, { encoding: "utf8" });
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

export function inspect<T = any>(
  kind: "container" | "volume" | "network",
  name: string,
): T | undefined {
  const r = docker([kind, "inspect", name]);
  if (r.code !== 0) return undefined;
  return (JSON.parse(r.stdout) as T[])[0];
}

/** Removes every container, volume and network labelled with sentryctl's project. */
export function cleanupProject(project: string): void {
  removeLabelled(`label=io.sentry.sentryctl.project=${project}`);
}

/** Removes every container, volume and network docker compose labelled with the project. */
export function cleanupComposeProject(project: string): void {
  removeLabelled(`label=com.docker.compose.project=${project}`);
}

/** Ids of every container (running or not) docker compose labelled with the project. */
export function composeContainers(project: string): string[] {
  return (docker(["ps", "-aq", "--filter", `label=com.docker.compose.project=${project}`]).stdout ??
    "").split("\n").filter(Boolean);
}

/** Removes every container, volume and network matching a `label=…` filter. */
function removeLabelled(label: string): void {
  const ids = (args: string[]) => (docker(args).stdout ?? "").split("\n").filter(Boolean);
  const containers = ids(["ps", "-aq", "--filter", label]);
  if (containers.length > 0) docker(["rm", "-f", "-v", ...containers]);
  const volumes = ids(["volume", "ls", "-q", "--filter", label]);
  if (volumes.length > 0) docker(["volume", "rm", "-f", ...volumes]);
  const networks = ids(["network", "ls", "-q", "--filter", label]);
  if (networks.length > 0) docker(["network", "rm", ...networks]);
}

export function dockerAvailable(): boolean {
  return docker(["info", "--format", "{{.ServerVersion}}"]).code === 0;
}

/**
 * Runs `<project>_<service>` detached, labelled as sentryctl's `up` labels it (so commands take
 * it for the service), with extra `docker run` flags; returns its name. Throws with Docker's words.
 */
export function runLabelled(
  project: string,
  service: string,
  opts: { image: string; command: string[]; flags?: string[] },
): string {
  const name = `${project}_${service}`;
  const r = docker([
    "run",
    "-d",
    "--name",
    name,
    "--label",
    `io.sentry.sentryctl.project=${project}`,
    "--label",
    `io.sentry.sentryctl.service=${service}`,
    ...(opts.flags ?? []),
    opts.image,
    ...opts.command,
  ]);
  if (r.code !== 0) throw new Error(`docker run ${name}: ${r.stderr}`);
  return name;
}
