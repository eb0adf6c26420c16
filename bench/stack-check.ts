// What a bench of `up` must see before a time counts (SPEC §9: a figure counts only when the
// outcome is complete): every expected service's container running, the ones with a healthcheck
// healthy in Docker's eyes, the published ports answering their own protocol, and (for a warm
// run) the same containers as before. The pure part (`problemsOf`, `summarise`) is unit-tested in
// stack-check.test.ts; the engine part talks to the Engine API over the local socket, so polling
// costs a bench milliseconds, not a `docker` CLI start each time.

import { connect } from "node:net";

/** One container of a project as the engine lists it. */
export interface ContainerFact {
  id: string;
  service: string;
  state: string;
  /** "healthy", "unhealthy", "starting", or undefined when it has no healthcheck. */
  health?: string;
}

/** What a complete outcome is for one stack. */
export interface Expectation {
  services: readonly string[];
  /** Services whose Docker health status must be "healthy". */
  healthy: readonly string[];
  /** Checks of published ports from the host, by a name shown in the problems. */
  ports: readonly PortCheck[];
}

export interface PortCheck {
  name: string;
  port: number;
  kind: "redis" | "memcached" | "http" | "echo";
  /** For http: the body the page must start with. */
  body?: string;
}

export interface Observation {
  containers: readonly ContainerFact[];
  /** Port check name → passed. */
  answers: Readonly<Record<string, boolean>>;
}

export interface ProblemOptions {
  /** Also require Docker's health verdicts (Expectation.healthy). */
  health: boolean;
  /** For a warm run: the container ids the cold run left, by service. */
  sameAs?: ReadonlyMap<string, string>;
}

/** Everything that keeps the outcome from being complete; empty when it is. */
export function problemsOf(exp: Expectation, obs: Observation, opts: ProblemOptions): string[] {
  const problems: string[] = [];
  const byService = new Map<string, ContainerFact[]>();
  for (const c of obs.containers) {
    byService.set(c.service, [...(byService.get(c.service) ?? []), c]);
  }
  for (const s of exp.services) {
    const found = byService.get(s) ?? [];
    if (found.length === 0) {
      problems.push(`${s}: no container`);
      continue;
    }
    if (found.length > 1) problems.push(`${s}: ${found.length} containers`);
    const c = found[0]!;
    if (c.state !== "running") problems.push(`${s}: ${c.state}`);
    if (opts.health && exp.healthy.includes(s) && c.health !== "healthy") {
      problems.push(`${s}: health ${c.health ?? "none"}`);
    }
    const before = opts.sameAs?.get(s);
    if (before !== undefined && before !== c.id) problems.push(`${s}: recreated`);
  }
  for (const service of byService.keys()) {
    if (!exp.services.includes(service)) problems.push(`${service}: unexpected container`);
  }
  for (const p of exp.ports) {
    if (obs.answers[p.name] !== true) problems.push(`${p.name}: port ${p.port} not answering`);
  }
  return problems;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export interface Verdict {
  ratio: number;
  target: number;
  /** "met", "missed", or "no figure" when either side has no counted round. */
  result: "met" | "missed" | "no figure";
}

/** Ours against theirs (medians), judged against a target ratio (lower is better). */
export function judge(ours: readonly number[], theirs: readonly number[], target: number): Verdict {
  const ratio = median(ours) / median(theirs);
  if (!Number.isFinite(ratio) || ours.length === 0 || theirs.length === 0) {
    return { ratio: NaN, target, result: "no figure" };
  }
  return { ratio, target, result: ratio <= target ? "met" : "missed" };
}

/** Times above a floor, paired by round (a round without all three is left out). */
export function aboveFloor(
  times: readonly (number | undefined)[],
  floors: readonly (number | undefined)[],
): number[] {
  const out: number[] = [];
  times.forEach((t, i) => {
    const f = floors[i];
    if (t !== undefined && f !== undefined) out.push(t - f);
  });
  return out;
}

export function formatVerdict(label: string, v: Verdict): string {
  if (v.result === "no figure") return `${label}: no figure (a side has no complete round)`;
  return `${label}: ${v.ratio.toFixed(2)}x (target <= ${v.target}x): ${v.result}`;
}

// ---- the engine and the host side ----

/** The local engine the benches talk to. */
export const SOCKET = "/var/run/docker.sock";

/** One Engine API call over the local socket (Bun's fetch speaks HTTP over a unix socket). */
export async function api(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`http://docker${path}`, {
    method,
    unix: SOCKET,
    headers: body === undefined ? undefined : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  } as RequestInit);
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

const PROJECT_LABEL = "com.docker.compose.project";
const SERVICE_LABEL = "com.docker.compose.service";

function labelFilter(label: string, value: string): string {
  return encodeURIComponent(JSON.stringify({ label: [`${label}=${value}`] }));
}

interface ListedContainer {
  Id: string;
  State: string;
  Status: string;
  Labels: Record<string, string>;
}

/** The containers carrying a project label (compose's, or another label given). */
export async function containersOf(
  project: string,
  label = PROJECT_LABEL,
): Promise<ContainerFact[]> {
  const list = await api(
    "GET",
    `/containers/json?all=1&filters=${labelFilter(label, project)}`,
  ) as ListedContainer[];
  return list.map((c) => ({
    id: c.Id,
    service: c.Labels[SERVICE_LABEL] ?? c.Labels["io.sentry.sentryctl.service"] ?? "?",
    state: c.State,
    health: /\((healthy|unhealthy|health: starting)\)/.exec(c.Status)?.[1]?.replace(
      "health: ",
      "",
    ),
  }));
}

/** Removes a project's containers (with their anonymous volumes), networks and volumes. */
export async function removeProject(project: string, label = PROJECT_LABEL): Promise<void> {
  const filter = labelFilter(label, project);
  const containers = await api("GET", `/containers/json?all=1&filters=${filter}`) as {
    Id: string;
  }[];
  await Promise.all(
    containers.map((c) => api("DELETE", `/containers/${c.Id}?force=1&v=1`).catch(() => {})),
  );
  const networks = await api("GET", `/networks?filters=${filter}`) as { Id: string }[];
  for (const n of networks) await api("DELETE", `/networks/${n.Id}`).catch(() => {});
  const volumes = await api("GET", `/volumes?filters=${filter}`) as {
    Volumes: { Name: string }[] | null;
  };
  for (const v of volumes.Volumes ?? []) {
    await api("DELETE", `/volumes/${encodeURIComponent(v.Name)}`).catch(() => {});
  }
}

/** Sends `line` over TCP and resolves with the first line of the answer ("" on none). */
function ask(port: number, line: string, timeoutMs = 1000): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    let got = "";
    const done = (answer: string) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => done(""), timeoutMs);
    socket.on("connect", () => socket.write(line));
    socket.on("data", (d) => {
      got += String(d);
      if (got.includes("\n")) done(got.split(/\r?\n/)[0]!);
    });
    socket.on("error", () => done(""));
    socket.on("close", () => done(got.split(/\r?\n/)[0] ?? ""));
  });
}

/** One port check: the service behind the port answers its own protocol, not just a connect. */
export async function answers(p: PortCheck): Promise<boolean> {
  switch (p.kind) {
    case "redis":
      return (await ask(p.port, "PING\r\n")) === "+PONG";
    case "memcached":
      return (await ask(p.port, "version\r\n")).startsWith("VERSION ");
    case "echo":
      return (await ask(p.port, "hello\n")) === "hello";
    case "http": {
      try {
        const res = await fetch(`http://127.0.0.1:${p.port}/`, {
          signal: AbortSignal.timeout(1000),
        });
        const text = await res.text();
        return res.status === 200 && text.startsWith(p.body ?? "");
      } catch {
        return false;
      }
    }
  }
}

export async function observe(
  project: string,
  exp: Expectation,
  label?: string,
): Promise<Observation> {
  const [containers, results] = await Promise.all([
    containersOf(project, label),
    Promise.all(exp.ports.map(answers)),
  ]);
  return {
    containers,
    answers: Object.fromEntries(exp.ports.map((p, i) => [p.name, results[i]!])),
  };
}

/**
 * Polls every `everyMs` until the outcome has no problem or `deadlineMs` passed; resolves with
 * the last problems (empty when complete).
 */
export async function pollUntil(
  project: string,
  exp: Expectation,
  opts: ProblemOptions & { everyMs: number; deadlineMs: number; label?: string },
): Promise<string[]> {
  const end = performance.now() + opts.deadlineMs;
  for (;;) {
    const problems = problemsOf(exp, await observe(project, exp, opts.label), opts);
    if (problems.length === 0 || performance.now() > end) return problems;
    await new Promise((r) => setTimeout(r, opts.everyMs));
  }
}

/** A host port nothing listens on (so the bench's published ports do not collide). */
export async function freePort(avoid: ReadonlySet<number>): Promise<number> {
  const { createServer } = await import("node:net");
  for (let i = 0; i < 50; i++) {
    const port = 20000 + Math.floor(Math.random() * 20000);
    if (avoid.has(port)) continue;
    const ok = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
    if (ok) return port;
  }
  throw new Error("no free port found in 50 tries");
}
