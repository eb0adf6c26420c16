// A small typed Docker Engine client. Idempotent lifecycle calls treat "already done" answers
// as success (304 on start/stop, 404 on remove), because cleanup can race with Docker itself
// and Sentry's own attach handler once failed on exactly that (getsentry/sentry#19192).

import type { Readable } from "node:stream";
import type Modem from "docker-modem";
import type { Endpoint } from "./endpoint.ts";
import { apiError, dial, type DialRequest, type ModemError } from "./modem.ts";
import type {
  ContainerInspect,
  ContainerSummary,
  CreateContainerBody,
  PullProgress,
  VersionInfo,
} from "./types.ts";

export interface LogsOptions {
  follow: boolean;
  since?: number | string;
  tail?: number | "all";
  timestamps?: boolean;
  signal?: AbortSignal;
}

function statusOf(err: unknown): number | undefined {
  return (err as ModemError | undefined)?.statusCode;
}

export class DockerClient {
  constructor(readonly endpoint: Endpoint, private readonly modem: Modem) {}

  #call<T>(request: DialRequest, action: string): Promise<T> {
    return dial<T>(this.modem, request).catch((err) => {
      throw apiError(err, action);
    });
  }

  /** GET a resource; undefined when the engine answers 404. */
  async #find<T>(path: string, action: string): Promise<T | undefined> {
    try {
      return await dial<T>(this.modem, { method: "GET", path });
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw apiError(err, action);
    }
  }

  ping(signal?: AbortSignal): Promise<string> {
    return dial<string>(this.modem, { method: "GET", path: "/_ping", signal });
  }

  version(): Promise<VersionInfo> {
    return this.#call({ method: "GET", path: "/version" }, "read its version");
  }

  /** The container, or undefined when it does not exist. */
  async inspectContainer(nameOrId: string): Promise<ContainerInspect | undefined> {
    return await this.#find<ContainerInspect>(
      `/containers/${encodeURIComponent(nameOrId)}/json`,
      `inspect container '${nameOrId}'`,
    );
  }

  listContainers(labels: string[], all = true): Promise<ContainerSummary[]> {
    return this.#call(
      { method: "GET", path: "/containers/json", query: { all, filters: { label: labels } } },
      "list containers",
    );
  }

  async createContainer(
    name: string,
    body: CreateContainerBody,
    platform?: string,
  ): Promise<string> {
    const query: Record<string, unknown> = { name };
    if (platform) query.platform = platform;
    const created = await this.#call<{ Id: string }>(
      { method: "POST", path: "/containers/create", query, body, ok: [201] },
      `create container '${name}'`,
    );
    return created.Id;
  }

  startContainer(id: string): Promise<void> {
    return this.#call(
      { method: "POST", path: `/containers/${id}/start`, ok: [204, 304] },
      `start container '${id}'`,
    );
  }

  /** Stops with a grace period; already stopped (304) or gone (404) counts as stopped. */
  stopContainer(id: string, graceSeconds: number): Promise<void> {
    return this.#call(
      {
        method: "POST",
        path: `/containers/${id}/stop`,
        query: { t: graceSeconds },
        ok: [204, 304, 404],
      },
      `stop container '${id}'`,
    );
  }

  /** Removes the container; gone already (404) or being removed (409) counts as removed. */
  async removeContainer(
    id: string,
    opts: { force?: boolean; volumes?: boolean } = {},
  ): Promise<void> {
    try {
      await dial(this.modem, {
        method: "DELETE",
        path: `/containers/${id}`,
        query: { force: opts.force ?? false, v: opts.volumes ?? false },
        ok: [204, 404],
      });
    } catch (err) {
      const e = err as ModemError;
      if (
        statusOf(err) === 409 &&
        /already in progress/i.test(
          String(e.json && typeof e.json === "object" ? e.json.message : e.message),
        )
      ) return;
      throw apiError(err, `remove container '${id}'`);
    }
  }

  /** The raw (multiplexed unless TTY) log stream. */
  logs(id: string, opts: LogsOptions): Promise<Readable> {
    const query: Record<string, unknown> = {
      stdout: true,
      stderr: true,
      follow: opts.follow,
      timestamps: opts.timestamps ?? false,
    };
    if (opts.since !== undefined) query.since = opts.since;
    if (opts.tail !== undefined) query.tail = opts.tail;
    return this.#call({
      method: "GET",
      path: `/containers/${id}/logs`,
      query,
      stream: true,
      signal: opts.signal,
    }, `read logs of '${id}'`);
  }

  async networkExists(name: string): Promise<boolean> {
    return (await this.#find(
      `/networks/${encodeURIComponent(name)}`,
      `inspect network '${name}'`,
    )) !== undefined;
  }

  /** Creates a network; its id, or undefined when the engine says it exists already (409). */
  async createNetwork(name: string, labels: Record<string, string>): Promise<string | undefined> {
    try {
      const created = await dial<{ Id: string }>(this.modem, {
        method: "POST",
        path: "/networks/create",
        body: { Name: name, CheckDuplicate: true, Driver: "bridge", Labels: labels },
        ok: [201],
      });
      return created.Id;
    } catch (err) {
      // Created concurrently by another sentryctl: that is what we wanted.
      if (statusOf(err) === 409) return undefined;
      throw apiError(err, `create network '${name}'`);
    }
  }

  /** Ids of the networks named exactly `name` (Docker allows duplicates), oldest id first. */
  async networkIdsNamed(name: string): Promise<string[]> {
    const found = await this.#call<{ Id: string; Name: string; Created: string }[]>(
      { method: "GET", path: "/networks", query: { filters: { name: [name] } } },
      "list networks",
    );
    return found.filter((n) => n.Name === name)
      .sort((a, b) => a.Created.localeCompare(b.Created) || a.Id.localeCompare(b.Id))
      .map((n) => n.Id);
  }

  removeNetwork(name: string): Promise<void> {
    return this.#call(
      { method: "DELETE", path: `/networks/${encodeURIComponent(name)}`, ok: [204, 404] },
      `remove network '${name}'`,
    );
  }

  async volumeExists(name: string): Promise<boolean> {
    return (await this.#find(
      `/volumes/${encodeURIComponent(name)}`,
      `inspect volume '${name}'`,
    )) !== undefined;
  }

  createVolume(name: string, labels: Record<string, string>): Promise<void> {
    return this.#call({
      method: "POST",
      path: "/volumes/create",
      body: { Name: name, Labels: labels },
      ok: [201],
    }, `create volume '${name}'`);
  }

  removeVolume(name: string): Promise<void> {
    return this.#call(
      { method: "DELETE", path: `/volumes/${encodeURIComponent(name)}`, ok: [204, 404] },
      `remove volume '${name}'`,
    );
  }

  async imageExists(ref: string): Promise<boolean> {
    return (await this.#find(`/images/${ref}/json`, `inspect image '${ref}'`)) !== undefined;
  }

  /** Pulls an image, reporting progress; resolves when the pull has finished. */
  async pullImage(
    ref: string,
    platform: string | undefined,
    onProgress: (p: PullProgress) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    const { repo, tag } = splitImageRef(ref);
    const query: Record<string, unknown> = { fromImage: repo, tag };
    if (platform) query.platform = platform;
    const stream = await this.#call<Readable>(
      { method: "POST", path: "/images/create", query, stream: true, registryAuth: "e30=", signal },
      `pull image '${ref}'`,
    );
    let failure: string | undefined;
    let buffered = "";
    for await (const chunk of stream) {
      buffered += chunk.toString();
      let newline;
      while ((newline = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (!line) continue;
        const event = JSON.parse(line) as PullProgress;
        if (event.error) failure = event.errorDetail?.message ?? event.error;
        else onProgress(event);
      }
    }
    if (failure) {
      throw apiError({ message: failure, json: { message: failure } }, `pull image '${ref}'`);
    }
  }
}

/** `registry:5000/a/b:tag` → repo `registry:5000/a/b`, tag `tag`; digests stay on the repo. */
export function splitImageRef(ref: string): { repo: string; tag?: string } {
  if (ref.includes("@")) return { repo: ref };
  const slash = ref.lastIndexOf("/");
  const colon = ref.lastIndexOf(":");
  if (colon > slash) return { repo: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { repo: ref, tag: "latest" };
}
