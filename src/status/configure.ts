// From the effective settings to the status server's start options: the bind address
// (`--bind`/`--status=ADDR` > `status.bind`), the state directory, the enabled services, the
// extra allowed Host names. Shared by `serve` and `attach --status`.

import type { Engine } from "../docker/engine.ts";
import { containerNameFor, resolveServices } from "../services/resolve.ts";
import type { ConfigState } from "../settings/state.ts";
import { parseBind } from "./bind.ts";
import { stateDirFor } from "../settings/state-dir.ts";
import type { StartOptions } from "./start.ts";
import type { Clock } from "../runtime/clock.ts";

export const DEFAULT_BIND = "127.0.0.1:8990";

export function statusStartOptions(
  state: ConfigState,
  inputs: { env: Record<string, string | undefined>; home: string; cwd?: string; clock?: Clock },
  project: string,
  bindValue: string | undefined,
  docker: Engine | undefined,
): StartOptions {
  const options = (state.settings.SENTRY_OPTIONS ?? {}) as Record<string, unknown>;
  const bind = parseBind(
    bindValue && bindValue !== "" ? bindValue : String(options["status.bind"] ?? DEFAULT_BIND),
  );
  const services = resolveServices(state.settings, options, inputs.env, project);
  const allowed = options["status.allowed-hosts"];
  return {
    bind,
    stateDir: stateDirFor(state.location, inputs.home),
    project,
    serviceNames: [...services.values()].filter((s) => s.enabled).map((s) => s.name),
    serviceImages: Object.fromEntries([...services.values()].map((s) => [s.name, s.spec.image])),
    services,
    containerName: (name) => containerNameFor(project, name),
    allowedHosts: Array.isArray(allowed) ? allowed.map(String) : [],
    docker,
    env: inputs.env,
    cwd: inputs.cwd,
    clock: inputs.clock,
  };
}
