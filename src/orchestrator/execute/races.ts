// Races with a concurrent run on the same project: two runs creating the same network in one
// instant, and a create that loses to another run's container of the same definition.

import type { Engine } from "../../docker/engine.ts";
import type { ContainerPlan } from "../container-config.ts";
import { LABELS } from "../labels.ts";

/**
 * Two runs can create the project network in the same instant and Docker keeps both. The lowest
 * id wins in every run; a run whose network lost removes it and uses the winner. Returns our
 * network's id if it is the one that stays.
 */
export async function settleNetwork(
  engine: Engine,
  name: string,
  owner: { label: string; project: string },
  ours: string,
  sleep: (ms: number) => Promise<void>,
): Promise<string | undefined> {
  let mine: string | undefined = ours;
  for (let i = 0; i < 30; i++) {
    const same = (await engine.listNetworks([`${owner.label}=${owner.project}`]))
      .filter((n) => n.Name === name);
    if (same.length <= 1) return mine;
    const winner = same.map((n) => n.Id).sort()[0];
    if (mine && mine !== winner) {
      await engine.removeNetwork(mine);
      mine = undefined;
    }
    await sleep(50);
  }
  return mine;
}

/** After a 409 on create: the winner's id once it runs, if it is ours and alike. */
export async function awaitRaceWinner(
  engine: Engine,
  plan: ContainerPlan,
  owner: { label: string; project: string },
  signal: AbortSignal,
  sleep: (ms: number) => Promise<void>,
): Promise<string | undefined> {
  for (let i = 0; i < 100 && !signal.aborted; i++) {
    const found = await engine.inspectContainer(plan.name);
    // Not visible yet is not "gone": the engine reserves the name before the create finishes.
    if (found) {
      const labels = found.Config.Labels ?? {};
      if (labels[owner.label] !== owner.project) return undefined;
      if (labels[LABELS.configHash] !== plan.configHash) return undefined;
      if (found.State.Running) return found.Id;
      if (found.State.Status !== "created") return undefined;
    }
    await sleep(100);
  }
  return undefined;
}

/** A container of ours, only created, with the definition we want: a concurrent run's. */
export async function isConcurrentCreate(
  engine: Engine,
  id: string,
  expect: ContainerPlan,
): Promise<boolean> {
  const found = await engine.inspectContainer(id);
  return found?.State.Status === "created" &&
    found.Config.Labels?.[LABELS.configHash] === expect.configHash;
}
