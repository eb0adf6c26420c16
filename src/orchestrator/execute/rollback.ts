// A run that fails leaves no litter (SPEC §3): containers it created and never started, every
// container it created when interrupted, volumes it created for services that did not come up,
// and the networks it created when none of its containers runs.

import type { Engine } from "../../docker/engine.ts";
import type { Plan } from "../operations.ts";
import type { ServiceOutcome } from "./types.ts";

export async function removeContainers(engine: Engine, ids: Iterable<string>): Promise<void> {
  await Promise.all(
    [...ids].map((id) => engine.removeContainer(id, { force: true }).catch(() => {})),
  );
}

export async function removeUnused(
  engine: Engine,
  plan: Plan,
  outcomes: Map<string, ServiceOutcome>,
  volumes: Set<string>,
  networks: readonly string[],
): Promise<void> {
  const up = new Set(
    [...outcomes.values()].filter((o) =>
      o.outcome === "created" || o.outcome === "reused" || o.outcome === "attached-elsewhere"
    ).map((o) => o.service),
  );
  for (const op of plan.prelude) {
    if (
      op.op === "create-volume" && volumes.has(op.name) &&
      (op.service === undefined || !up.has(op.service))
    ) {
      await engine.removeVolume(op.name).catch(() => {});
    }
  }
  if (up.size > 0) return;
  for (const id of networks) await engine.removeNetwork(id).catch(() => {});
}
