// `with --dry-run [--json]`: what `with` would start and export, without touching Docker.
// The JSON shape is schemas/with-dry-run.schema.json. Ephemeral host ports are not known
// before the engine assigns them, so their variables are listed with a null value.

import { dependenciesOf } from "../services/graph.ts";
import type { ResolvedService } from "../services/resolve.ts";
import { portHost, portNumber } from "../services/resolve.ts";
import { type PublishedPort, serviceEnv } from "./env.ts";

export interface DryRunInput {
  project: string;
  isolated: boolean;
  keep: boolean;
  timeoutSeconds: number;
  /** The services to start, in start order (src/ci/docker-stack.ts `selectWith`). */
  chosen: readonly ResolvedService[];
  command: string[];
}

export interface DryRunDocument {
  project: string;
  isolated: boolean;
  keep: boolean;
  timeout: number;
  services: {
    name: string;
    image: string;
    /** Services it starts after. */
    after: string[];
    ports: { container: string; host: string; hostPort: number | null }[];
  }[];
  env: Record<string, string | null>;
  command: string[];
}

const UNKNOWN = 65535;

export function dryRunDocument(input: DryRunInput): DryRunDocument {
  const services: DryRunDocument["services"] = [];
  let env: Record<string, string | null> = {};
  const names = new Set(input.chosen.map((s) => s.name));
  for (const service of input.chosen) {
    const { name, spec } = service;
    const ports = Object.entries(spec.ports ?? {}).map(([k, v]) => ({
      container: k.includes("/") ? k : `${k}/tcp`,
      host: input.isolated ? "127.0.0.1" : portHost(v),
      hostPort: input.isolated ? null : Number(portNumber(v)),
    }));
    services.push({ name, image: spec.image, after: dependenciesOf(service, names), ports });
    // Compute the variables with a stand-in port, then blank what depends on it.
    const published: PublishedPort[] = ports.map((p) => ({
      containerPort: p.container,
      hostIp: p.host,
      hostPort: p.hostPort ?? UNKNOWN,
    }));
    for (const [k, v] of Object.entries(serviceEnv([{ service: name, ports: published }]))) {
      env[k] = input.isolated && v.includes(String(UNKNOWN)) ? null : v;
    }
  }
  env = Object.fromEntries(Object.entries(env).sort(([a], [b]) => (a < b ? -1 : 1)));
  return {
    project: input.project,
    isolated: input.isolated,
    keep: input.keep,
    timeout: input.timeoutSeconds,
    services,
    env,
    command: input.command,
  };
}

export function dryRunText(doc: DryRunDocument): string {
  const lines = [
    `project: ${doc.project}${
      doc.isolated
        ? " (isolated, removed at exit" + (doc.keep ? " unless --keep" : "") + ")"
        : " (reused)"
    }`,
  ];
  for (const s of doc.services) {
    const ports = s.ports.map((p) => `${p.host}:${p.hostPort ?? "<ephemeral>"}->${p.container}`)
      .join(", ");
    const after = s.after.length > 0 ? ` (after ${s.after.join(", ")})` : "";
    lines.push(`start: ${s.name}${after} ${s.image}${ports ? ` ${ports}` : ""}`);
  }
  for (const [k, v] of Object.entries(doc.env)) {
    lines.push(`export ${k}=${v ?? "<assigned at start>"}`);
  }
  if (doc.command.length > 0 && doc.command[0]) lines.push(`run: ${doc.command.join(" ")}`);
  return `${lines.join("\n")}\n`;
}
