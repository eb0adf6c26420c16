// The fake engine's container lifecycle: inspect, list, create, start (with host-port
// conflicts), stop, kill, restart, remove, and files delivered with putArchive.

import type {
  ContainerInspect,
  ContainerSummary,
  CreateContainerBody,
} from "../../../src/docker/types.ts";
import { engineError, FakeEngineState, matchesLabels, newId } from "./state.ts";

/** Reads the regular files of a ustar archive (what src/lib/tar.ts writes). */
export function readTar(tar: Uint8Array): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const text = new TextDecoder();
  for (let offset = 0; offset + 512 <= tar.length;) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, len: number) =>
      text.decode(header.subarray(start, start + len)).replace(/\0.*$/s, "");
    const name = field(0, 100);
    const prefix = field(345, 155);
    const size = parseInt(field(124, 12), 8);
    const type = field(156, 1);
    const path = prefix ? `${prefix}/${name}` : name;
    if (type === "0") files.set(path, tar.slice(offset + 512, offset + 512 + size));
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

export class FakeContainers extends FakeEngineState {
  inspectContainer(nameOrId: string): Promise<ContainerInspect | undefined> {
    this.maybeFail("inspectContainer");
    const c = this.find(nameOrId);
    return Promise.resolve(c ? structuredClone(c.inspect) : undefined);
  }

  listContainers(labels: string[], all = true): Promise<ContainerSummary[]> {
    this.maybeFail("listContainers");
    const out: ContainerSummary[] = [];
    for (const c of this.containers.values()) {
      if (!all && !c.inspect.State.Running) continue;
      if (!matchesLabels(c.inspect.Config.Labels ?? {}, labels)) continue;
      out.push({
        Id: c.inspect.Id,
        Names: [c.inspect.Name],
        Image: c.inspect.Config.Image,
        State: c.inspect.State.Status,
        Status: c.inspect.State.Running ? "Up" : "Exited",
        Labels: { ...(c.inspect.Config.Labels ?? {}) },
        Ports: Object.entries(c.inspect.NetworkSettings.Ports ?? {}).flatMap(([key, bs]) =>
          (bs ?? []).map((b) => ({
            IP: b.HostIp,
            PrivatePort: Number(key.split("/")[0]),
            PublicPort: Number(b.HostPort),
            Type: key.split("/")[1] ?? "tcp",
          }))
        ),
        Created: 0,
      });
    }
    return Promise.resolve(out);
  }

  createContainer(name: string, body: CreateContainerBody): Promise<string> {
    this.maybeFail("createContainer");
    this.calls.push(`create ${name}`);
    if (this.find(name)) {
      return Promise.reject(engineError("conflict", `name ${name} in use`, 409));
    }
    if (!this.images.has(body.Image)) {
      return Promise.reject(engineError("not_found", `No such image: ${body.Image}`, 404));
    }
    const id = newId();
    const c = this.make(id, name, structuredClone(body));
    this.containers.set(id, c);
    this.emit(c, "create");
    return Promise.resolve(id);
  }

  startContainer(id: string): Promise<void> {
    this.maybeFail("startContainer");
    const c = this.find(id);
    if (!c) return Promise.reject(engineError("not_found", `No such container: ${id}`, 404));
    this.calls.push(`start ${c.inspect.Name.slice(1)}`);
    if (c.inspect.State.Running) return Promise.resolve();
    for (const other of this.containers.values()) {
      if (other === c || !other.inspect.State.Running) continue;
      for (const [key, bindings] of Object.entries(c.inspect.HostConfig.PortBindings ?? {})) {
        for (const b of bindings ?? []) {
          const taken = b.HostPort !== "" &&
            Object.values(other.inspect.NetworkSettings.Ports ?? {}).flat()
              .some((o) => o?.HostPort === b.HostPort);
          if (taken) {
            return Promise.reject(
              engineError("server", `Bind for 127.0.0.1:${b.HostPort} failed (${key})`, 500),
            );
          }
        }
      }
    }
    this.setRunning(c, true);
    this.emit(c, "start");
    return Promise.resolve();
  }

  stopContainer(id: string, _graceSeconds = 10): Promise<void> {
    this.maybeFail("stopContainer");
    const c = this.find(id);
    if (!c) return Promise.resolve();
    this.calls.push(`stop ${c.inspect.Name.slice(1)}`);
    if (c.inspect.State.Running) {
      this.emit(c, "kill");
      this.setRunning(c, false, 0);
      this.emit(c, "die");
      this.emit(c, "stop");
    }
    return Promise.resolve();
  }

  killContainer(id: string): Promise<void> {
    this.maybeFail("killContainer");
    const c = this.find(id);
    if (c?.inspect.State.Running) {
      this.calls.push(`kill ${c.inspect.Name.slice(1)}`);
      this.emit(c, "kill");
      this.setRunning(c, false, 137);
      this.emit(c, "die");
    }
    return Promise.resolve();
  }

  async restartContainer(id: string, graceSeconds: number): Promise<void> {
    await this.stopContainer(id, graceSeconds);
    await this.startContainer(id);
  }

  removeContainer(id: string, opts: { force?: boolean } = {}): Promise<void> {
    this.maybeFail("removeContainer");
    const c = this.find(id);
    if (!c) return Promise.resolve();
    if (c.inspect.State.Running && !opts.force) {
      return Promise.reject(engineError("conflict", "container is running", 409));
    }
    this.calls.push(`remove ${c.inspect.Name.slice(1)}`);
    if (c.inspect.State.Running) this.setRunning(c, false, 137);
    this.containers.delete(c.inspect.Id);
    this.emit(c, "destroy");
    return Promise.resolve();
  }

  putArchive(containerId: string, destDir: string, tar: Uint8Array): Promise<void> {
    this.maybeFail("putArchive");
    const c = this.find(containerId);
    if (!c) return Promise.reject(engineError("not_found", "No such container", 404));
    this.calls.push(`put-archive ${c.inspect.Name.slice(1)}`);
    for (const [path, content] of readTar(tar)) {
      c.files.set(`${destDir.replace(/\/$/, "")}/${path}`, content);
    }
    return Promise.resolve();
  }
}
