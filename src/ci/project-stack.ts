// `with` on a project file (SPEC §3a, §4): the file's services converge through the project path
// (orchestrator/project/lifecycle.ts), so every compose key (build, env_file, depends_on
// conditions, secrets…) works as in `up`. An isolated run is a copy of the file's project under
// the run's own name: compose's resource names follow it (`<with-project>-<service>-1`,
// `<with-project>_default`), `container_name:` is dropped (it would collide with the file's own
// project), ports are ephemeral on 127.0.0.1, nothing restarts, and the containers carry owner
// `with` and the session label, so teardown and the orphan sweep find them by our labels.

import type { LoadedProject } from "../compose/types.ts";
import type { Engine } from "../docker/engine.ts";
import { projectUp } from "../orchestrator/project/lifecycle.ts";
import type { Reporter } from "../orchestrator/reporter.ts";
import type { Stack as OrchestratorStack } from "../orchestrator/stack-model.ts";
import { freePort } from "../runtime/free-port.ts";
import { advertisedPorts, isolate, publishedPorts, removeProject } from "./docker-stack.ts";
import type { ServiceEndpoint } from "./env.ts";
import type { StackRequest, StackRunner } from "./with.ts";

/** The file's project under another name, without fixed container names. */
export function isolatedCopy(project: LoadedProject, name: string): LoadedProject {
  const services = Object.fromEntries(
    Object.entries(project.model.services).map(([n, svc]) => {
      const { container_name: _dropped, ...rest } = svc;
      return [n, rest];
    }),
  );
  const renamed = <T extends { name: string; external?: boolean }>(
    entries: Record<string, T>,
  ): Record<string, T> =>
    Object.fromEntries(
      Object.entries(entries).map(([key, v]) => [
        key,
        // The file's own `<project>_<key>` resources become the run's; an external one or one
        // with its own `name:` is shared, as compose shares it between projects.
        v.external || v.name !== `${project.name}_${key}` ? v : { ...v, name: `${name}_${key}` },
      ]),
    );
  return {
    ...project,
    name,
    model: {
      ...project.model,
      name,
      services,
      networks: renamed(project.model.networks),
      volumes: renamed(project.model.volumes),
    },
  };
}

/** Ephemeral loopback ports and no restart policy for every container of an isolated run. */
async function isolateStack(stack: OrchestratorStack): Promise<OrchestratorStack> {
  const services = await Promise.all(stack.services.map(async (s) => {
    const pinned = new Map<string, number>();
    for (const port of advertisedPorts(s.container)) pinned.set(port, await freePort());
    return { ...s, container: isolate(s.container, pinned) };
  }));
  return { ...stack, services };
}

export class ProjectFileStack implements StackRunner {
  constructor(
    private readonly engine: Engine,
    /** The file's project (`--reuse`) and, for an isolated run, what is copied. */
    private readonly project: LoadedProject,
    private readonly report: Reporter,
  ) {}

  async up(req: StackRequest): Promise<ServiceEndpoint[]> {
    const project = req.isolated ? isolatedCopy(this.project, req.project) : this.project;
    const { result, stack } = await projectUp(this.engine, project, {
      names: req.services,
      recreate: false,
      pull: "missing",
      wait: true,
      build: false,
      timeoutSeconds: req.timeoutSeconds,
      dryRun: false,
      owner: req.isolated ? "with" : "up",
      session: req.isolated ? req.session : undefined,
      reporter: this.report,
      signal: req.signal,
      adjust: req.isolated ? isolateStack : undefined,
      lock: !req.isolated,
    });
    const ids = new Map([...(result?.outcomes ?? new Map())].map(([n, o]) => [n, o.id]));
    return await Promise.all(stack.services.map(async (s) => {
      const id = ids.get(s.name);
      const inspect = id ? await this.engine.inspectContainer(id) : undefined;
      const declared = Object.keys(s.container.body.HostConfig.PortBindings ?? {});
      return { service: s.name, ports: inspect ? publishedPorts(inspect, declared) : [] };
    }));
  }

  async teardown(project: string): Promise<void> {
    await removeProject(this.engine, project);
  }
}
