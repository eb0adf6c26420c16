// `devservices status [SERVICE] [--json]`: the tree of a running service: each project it
// reaches, its containers (state, health, ports, uptime) and its programs (pid, uptime, restarts).

import type { Engine } from "../../docker/engine.ts";
import { composeServiceOf, nameOf, projectContainers } from "../../devservices/containers.ts";
import { programsDir, stateDir } from "../../devservices/paths.ts";
import { DevservicesState } from "../../devservices/state.ts";
import { tryRequest } from "../../devservices/supervisor/protocol.ts";
import type { DevContext } from "./context.ts";
import { engineFor } from "./engine.ts";
import { replan } from "./replan.ts";
import { loadTarget } from "./up.ts";

interface ContainerRow {
  service: string;
  container: string | null;
  state: string;
  health: string | null;
  ports: string[];
  uptime_seconds: number | null;
}

interface ProgramRow {
  name: string;
  state: string;
  pid: number | null;
  uptime_seconds: number | null;
  restarts: number;
}

async function containerRows(
  engine: Engine,
  project: string,
  services: string[],
  now: number,
): Promise<ContainerRow[]> {
  const found = await projectContainers(engine, project);
  return await Promise.all(services.map(async (service) => {
    const c = found.find((x) => composeServiceOf(x) === service);
    if (!c) {
      return {
        service,
        container: null,
        state: "missing",
        health: null,
        ports: [],
        uptime_seconds: null,
      };
    }
    const inspect = await engine.inspectContainer(c.Id);
    const started = inspect?.State?.StartedAt ? Date.parse(inspect.State.StartedAt) : NaN;
    const running = c.State === "running";
    return {
      service,
      container: nameOf(c),
      state: c.State,
      health: inspect?.State?.Health?.Status ?? null,
      ports: (c.Ports ?? []).filter((p) => p.PublicPort).map((p) =>
        `${p.IP ?? "0.0.0.0"}:${p.PublicPort}->${p.PrivatePort}/${p.Type}`
      ),
      uptime_seconds: running && Number.isFinite(started)
        ? Math.max(0, Math.round((now - started) / 1000))
        : null,
    };
  }));
}

function duration(seconds: number | null): string {
  if (seconds === null) return "-";
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${seconds % 60}s`;
  return `${Math.floor(seconds / 3600)}h${Math.floor((seconds % 3600) / 60)}m`;
}

export async function status(ctx: DevContext): Promise<number> {
  const service = await loadTarget(ctx, "status");
  const { env, home } = ctx.inputs;
  const state = new DevservicesState(stateDir(env, home));
  const entry = state.active().get(service.serviceName);
  if (!entry) {
    ctx.warn(`Status unavailable. ${service.serviceName} is not running standalone`);
    return 0;
  }
  const plan = await replan(ctx, service, entry.modes, state);
  const engine = engineFor(ctx);
  const now = ctx.inputs.clock.now();
  const projects = await Promise.all(plan.projects.map(async (p) => {
    const containers = p.services.length > 0
      ? await containerRows(await engine(), p.name, p.services, now)
      : [];
    const answer = p.programs.length > 0
      ? await tryRequest(programsDir(state.dir, p.name), { op: "status" })
      : undefined;
    const programs: ProgramRow[] = p.programs.map((name) => {
      const s = answer?.programs?.find((x) => x.name === name);
      return {
        name,
        state: s?.state ?? "stopped",
        pid: s?.pid ?? null,
        uptime_seconds: s?.startedAt ? Math.max(0, Math.round((now - s.startedAt) / 1000)) : null,
        restarts: s?.restarts ?? 0,
      };
    });
    return {
      name: p.name,
      kind: p.kind,
      mode: p.modes.join(","),
      depends_on: p.dependsOn,
      containers,
      programs,
    };
  }));
  if (ctx.values.json) {
    const doc = { service: service.serviceName, modes: entry.modes, projects };
    ctx.inputs.stdout.write(JSON.stringify(doc, null, 2) + "\n");
    return 0;
  }
  const out: string[] = [`${service.serviceName} (modes: ${entry.modes.join(", ")})`];
  projects.forEach((p, i) => {
    const last = i === projects.length - 1;
    out.push(`${last ? "└─" : "├─"} ${p.name} [${p.kind}, mode ${p.mode}]`);
    const rows = [
      ...p.containers.map((c) =>
        `${c.service}  ${c.container ?? "-"}  ${c.state}${c.health ? ` (${c.health})` : ""}  ${
          c.ports.join(", ") || "-"
        }  up ${duration(c.uptime_seconds)}`
      ),
      ...p.programs.map((g) =>
        `program ${g.name}  ${g.state}  pid ${g.pid ?? "-"}  up ${
          duration(g.uptime_seconds)
        }  restarts ${g.restarts}`
      ),
    ];
    rows.forEach((row, j) => {
      out.push(`${last ? "   " : "│  "}${j === rows.length - 1 ? "└─" : "├─"} ${row}`);
    });
  });
  ctx.inputs.stdout.write(out.join("\n") + "\n");
  return 0;
}
