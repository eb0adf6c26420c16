// Races with a concurrent run on the same project: two runs creating the same network in one
// instant, and a create that loses to another run's container of the same definition.

import type { Engine } from "../../docker/engine.ts";
import type { Clock } from "../../runtime/clock.ts";
import { poll } from "../../runtime/poll.ts";
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
  clock: Clock,
): Promise<string | undefined> {
  let mine: string | undefined = ours;
  await poll(async () => {
    const same = (await engine.listNetworks([`${owner.label}=${owner.project}`]))
      .filter((n) => n.Name === name);
    if (same.length <= 1) return true;
    const winner = same.map((n) => n.Id).sort()[0];
    if (mine && mine !== winner) {
      await engine.removeNetwork(mine);
      mine = undefined;
    }
    return undefined;
  }, { every: NETWORK_POLL_MS, attempts: NETWORK_POLLS, clock });
  return mine;
}

/** How long a duplicate network (another run's) is watched for its removal (1.5 s). */
const NETWORK_POLL_MS = 50;
const NETWORK_POLLS = 30;
/** How long a container another run is creating is waited for until it runs (10 s). */
const WINNER_POLL_MS = 100;
const WINNER_POLLS = 100;

/** After a 409 on create: the winner's id once it runs, if it is ours and alike. */
export async function awaitRaceWinner(
  engine: Engine,
  plan: ContainerPlan,
  owner: { label: string; project: string },
  signal: AbortSignal,
  clock: Clock,
): Promise<string | undefined> {
  const winner = await poll(async () => {
    const found = await engine.inspectContainer(plan.name);
    // Not visible yet is not "gone": the engine reserves the name before the create finishes.
    if (!found) return undefined;
    const labels = found.Config.Labels ?? {};
    if (labels[owner.label] !== owner.project) return { id: undefined };
    if (labels[LABELS.configHash] !== plan.configHash) return { id: undefined };
    if (found.State.Running) return { id: found.Id };
    if (found.State.Status !== "created") return { id: undefined };
    return undefined;
  }, { every: WINNER_POLL_MS, attempts: WINNER_POLLS, signal, clock }).catch((err: unknown) => {
    if (signal.aborted) return undefined; // the run is interrupted: nothing to adopt
    throw err;
  });
  return winner?.id;
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
