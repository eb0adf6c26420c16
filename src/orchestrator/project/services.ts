// A project file's services as the catalog's ServiceSet, for the commands that look at, enter
// or follow containers (`ps`, `logs`, `exec`, `healthcheck`, `attach`, `with`, `serve`,
// `doctor`): names, container names (`<project>-<service>-1`), images, probes and dependencies.
// Creating containers goes through ./stack.ts instead, which keeps every compose key.

import type { LoadedProject } from "../../compose/types.ts";
import type { ResolvedService, ServiceSet } from "../../services/resolve.ts";
import type { PortValue } from "../../services/spec.ts";
import { containerNameOf, imageOf } from "./container.ts";
import { probeOf } from "./probe.ts";
import { dependencyOrder } from "./stack.ts";

export function projectServices(p: LoadedProject): ServiceSet {
  const out: ServiceSet = new Map();
  for (const name of dependencyOrder(p)) {
    const svc = p.model.services[name]!;
    const ports: Record<string, PortValue> = {};
    for (const port of svc.ports ?? []) {
      if (!port.published) continue;
      ports[`${port.target}/${port.protocol}`] = [port.host_ip ?? "0.0.0.0", port.published];
    }
    const service: ResolvedService = {
      name,
      containerName: containerNameOf(p.name, name, svc),
      enabled: true,
      spec: {
        image: imageOf(p.name, name, svc),
        command: svc.command,
        entrypoint: svc.entrypoint,
        ports,
        healthcheck: probeOf(svc.healthcheck),
        depends_on: Object.keys(svc.depends_on ?? {}).filter((d) => p.model.services[d]),
      },
    };
    out.set(name, service);
  }
  return out;
}
