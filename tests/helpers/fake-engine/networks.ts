// The fake engine's networks and volumes: created once by name, listed by label, removed
// without complaint when absent (as the Engine's conventions say).

import type { NetworkInspect, VolumeInspect } from "../../../src/docker/types.ts";
import { FakeImages } from "./images.ts";
import { matchesLabels, newId } from "./state.ts";

export class FakeNetworks extends FakeImages {
  connectNetwork(network: string, containerId: string, _aliases: string[]): Promise<void> {
    this.calls.push(`connect ${network} ${containerId.slice(0, 12)}`);
    return Promise.resolve();
  }

  inspectNetwork(name: string): Promise<NetworkInspect | undefined> {
    this.maybeFail("inspectNetwork");
    return Promise.resolve(this.networks.get(name));
  }

  listNetworks(labels: string[]): Promise<NetworkInspect[]> {
    return Promise.resolve(
      [...this.networks.values()].filter((n) => matchesLabels(n.Labels ?? {}, labels)),
    );
  }

  createNetwork(name: string, labels: Record<string, string>): Promise<string | undefined> {
    this.maybeFail("createNetwork");
    this.calls.push(`create-network ${name}`);
    if (this.networks.has(name)) return Promise.resolve(undefined);
    const id = newId();
    this.networks.set(name, { Id: id, Name: name, Labels: { ...labels } });
    return Promise.resolve(id);
  }

  removeNetwork(nameOrId: string): Promise<void> {
    for (const [name, n] of this.networks) {
      if (name === nameOrId || n.Id === nameOrId) {
        this.calls.push(`remove-network ${name}`);
        this.networks.delete(name);
      }
    }
    return Promise.resolve();
  }

  inspectVolume(name: string): Promise<VolumeInspect | undefined> {
    this.maybeFail("inspectVolume");
    return Promise.resolve(this.volumes.get(name));
  }

  listVolumes(labels: string[]): Promise<VolumeInspect[]> {
    return Promise.resolve(
      [...this.volumes.values()].filter((v) => matchesLabels(v.Labels ?? {}, labels)),
    );
  }

  createVolume(name: string, labels: Record<string, string>): Promise<void> {
    this.maybeFail("createVolume");
    this.calls.push(`create-volume ${name}`);
    if (!this.volumes.has(name)) this.volumes.set(name, { Name: name, Labels: { ...labels } });
    return Promise.resolve();
  }

  removeVolume(name: string): Promise<void> {
    this.maybeFail("removeVolume");
    this.calls.push(`remove-volume ${name}`);
    this.volumes.delete(name);
    return Promise.resolve();
  }
}
