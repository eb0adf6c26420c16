// Orphan clean-up (SPEC §4): containers of a `with`/`attach` session whose owner process is gone
// are removed by the next command that talks to Docker (and by `down --orphans`). Only this
// host's sessions are judged (src/lib/session.ts); an isolated `with` project loses its
// volumes and network too once its last container is gone. An `attach` container that has
// exited is not an orphan: attach leaves a container that exited by itself stopped on purpose,
// for `sentryctl logs` (SPEC §3), and the next attach or up replaces it anyway. One in Docker's
// `dead` state (a removal that failed half-way) or never started (attach killed between create
// and start) was not left on purpose: it is swept. A container the engine will not remove is
// reported, and the sweep (and the command that asked for it) goes on.

import type { Engine } from "../docker/engine.ts";
import { LABELS } from "../orchestrator/labels.ts";
import { isWithProject } from "./project.ts";
import { type HostView, judgeSession } from "../lib/session.ts";

export interface SweptContainer {
  name: string;
  project: string;
  reason: string;
  /** Set when the engine refused to remove it (it is still there). */
  failed?: string;
}

/** The state in which a dead attach's container was left on purpose (for `logs`). */
const LEFT_FOR_LOGS = new Set(["exited"]);

export async function sweepOrphans(
  docker: Engine,
  here: HostView,
): Promise<SweptContainer[]> {
  const sessions = await docker.listContainers([LABELS.session], true);
  const swept: SweptContainer[] = [];
  const projects = new Set<string>();
  await Promise.all(sessions.map(async (c) => {
    const verdict = judgeSession(c.Labels[LABELS.session], here);
    if (!verdict.orphan) return;
    if (c.Labels[LABELS.owner] === "attach" && LEFT_FOR_LOGS.has(c.State)) return;
    const project = c.Labels[LABELS.project] ?? "";
    const name = (c.Names[0] ?? c.Id).replace(/^\//, "");
    try {
      await docker.removeContainer(c.Id, { force: true, volumes: true });
    } catch (err) {
      const failed = err instanceof Error ? err.message : String(err);
      swept.push({ name, project, reason: verdict.reason, failed });
      return;
    }
    swept.push({ name, project, reason: verdict.reason });
    if (isWithProject(project) && c.Labels[LABELS.owner] === "with") projects.add(project);
  }));
  if (projects.size > 0) {
    // The stack code only when there is a project to remove (most sweeps find nothing).
    const { removeProject } = await import("./docker-stack.ts");
    for (const project of projects) {
      // A project of which another live session still runs containers is left alone.
      const left = await docker.listContainers([`${LABELS.project}=${project}`], true);
      if (left.length === 0) await removeProject(docker, project);
    }
  }
  return swept.sort((a, b) => (a.name < b.name ? -1 : 1));
}
