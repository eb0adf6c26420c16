// `devservices logs [SERVICE]`: the last lines of every container (with timestamps, as
// devservices' `docker compose logs --timestamps -n 100`) and program of the running service,
// each line prefixed with its source; then, as devservices does, the health-check log of every
// container that is not healthy.

import { FrameDecoder } from "../../docker/demux.ts";
import { composeServiceOf, nameOf, projectContainers } from "../../devservices/containers.ts";
import { programsDir, stateDir } from "../../devservices/paths.ts";
import { DevservicesState } from "../../devservices/state.ts";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { DevContext } from "./context.ts";
import { engineFor } from "./engine.ts";
import { replan } from "./replan.ts";
import { loadTarget } from "./up.ts";

function lastLines(text: string, n: number): string[] {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines.slice(-n);
}

export async function logs(ctx: DevContext): Promise<number> {
  const service = await loadTarget(ctx, "logs");
  const { env, home } = ctx.inputs;
  const state = new DevservicesState(stateDir(env, home));
  const entry = state.active().get(service.serviceName);
  if (!entry) {
    ctx.warn(`${service.serviceName} is not running`);
    return 0;
  }
  const tail = ctx.values.tail === undefined ? 100 : Number(ctx.values.tail);
  const plan = await replan(ctx, service, entry.modes, state);
  const out: string[] = [];
  const unhealthy: string[] = [];
  const engine = engineFor(ctx);
  for (const project of plan.projects) {
    if (project.services.length > 0) {
      const docker = await engine();
      const containers = (await projectContainers(docker, project.name))
        .filter((c) => project.services.includes(composeServiceOf(c)));
      for (const c of containers) {
        const stream = await docker.logs(c.Id, { follow: false, tail, timestamps: true });
        const decoder = new FrameDecoder();
        const text = new TextDecoder();
        let body = "";
        for await (const chunk of stream) {
          for (const frame of decoder.push(chunk as Uint8Array)) body += text.decode(frame.payload);
        }
        for (const line of lastLines(body, tail)) out.push(`${nameOf(c)} | ${line}`);
        const inspect = await docker.inspectContainer(c.Id);
        const health = inspect?.State?.Health;
        if (health && health.Status !== "healthy") {
          unhealthy.push(`${nameOf(c)} (${health.Status}):`);
          for (const h of (health.Log ?? []).slice(-5)) {
            unhealthy.push(`  ${h.End} exit ${h.ExitCode}: ${h.Output.trim()}`);
          }
        }
      }
    }
    for (const program of project.programs) {
      let text = "";
      try {
        text = readFileSync(join(programsDir(state.dir, project.name), `${program}.log`), "utf8");
      } catch {
        continue;
      }
      for (const line of lastLines(text, tail)) out.push(`${program} | ${line}`);
    }
  }
  if (unhealthy.length > 0) out.push("=== Container health ===", ...unhealthy);
  ctx.inputs.stdout.write(out.length ? out.join("\n") + "\n" : "");
  return 0;
}
