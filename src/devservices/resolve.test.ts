import assert from "node:assert/strict";
import { test } from "node:test";
import { type DevservicesConfig, parseConfig, type RemoteConfig } from "./config.ts";
import { planDocument, resolvePlan } from "./resolve.ts";

function remote(repo: string, mode?: string) {
  return {
    repo_name: repo,
    branch: "main",
    repo_link: `file:///src/${repo}`,
    ...(mode ? { mode } : {}),
  };
}

function make(
  name: string,
  deps: Record<string, unknown>,
  modes: Record<string, string[]>,
  services: string[] = [],
  programs: string[] = [],
): DevservicesConfig {
  const dependencies: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(deps)) {
    dependencies[k] = v === undefined ? { description: k } : { description: k, remote: v };
  }
  return parseConfig(
    {
      "x-sentry-service-config": { version: 0.1, service_name: name, dependencies, modes },
      "x-programs": Object.fromEntries(programs.map((p) => [p, { command: `run ${p}` }])),
      services: Object.fromEntries(services.map((s) => [s, { image: "busybox" }])),
    },
    `/code/${name}`,
    `/code/${name}/devservices/config.yml`,
  );
}

const kafka = make("kafka", { kafka: undefined }, { default: ["kafka"] }, ["kafka"]);
const snub = make(
  "snub",
  { kafka: remote("shared-kafka"), api: undefined, consumer: undefined },
  { default: ["kafka"], containerized: ["kafka", "api"], extra: ["kafka", "api", "consumer"] },
  ["api", "consumer"],
);
const app = make(
  "app",
  {
    redis: undefined,
    worker: undefined,
    kafka: remote("shared-kafka"),
    snub: remote("snub", "containerized"),
    "snub-extra": remote("snub", "extra"),
  },
  {
    default: ["redis", "snub", "kafka", "worker"],
    minimal: ["redis"],
    both: ["snub", "snub-extra"],
  },
  ["redis"],
  ["worker", "devserver"],
);

function loader(repos: Record<string, DevservicesConfig>, seen: string[] = []) {
  return (r: RemoteConfig) => {
    seen.push(r.repoName);
    const c = repos[r.repoName];
    return c ? Promise.resolve(c) : Promise.reject(new Error(`no ${r.repoName}`));
  };
}

const REPOS = { "shared-kafka": kafka, snub };

test("a mode's projects, dependencies first; a shared dependency once", async () => {
  const plan = await resolvePlan({ root: app, mode: "default", loadRemote: loader(REPOS) });
  assert.deepEqual(planDocument(plan), {
    projects: [
      { name: "kafka", mode: "default", services: ["kafka"], programs: [] },
      { name: "snub", mode: "containerized", services: ["api"], programs: [] },
      { name: "app", mode: "default", services: ["redis"], programs: ["worker"] },
    ],
  });
  assert.deepEqual(plan.projects.map((p) => p.kind), ["remote", "remote", "root"]);
  assert.deepEqual(plan.projects[2]!.dependsOn, ["snub", "kafka"]);
});

test("a mode with no remote dependency plans only its own project", async () => {
  const seen: string[] = [];
  const plan = await resolvePlan({ root: app, mode: "minimal", loadRemote: loader(REPOS, seen) });
  assert.deepEqual(planDocument(plan).projects.map((p) => p.name), ["app"]);
  assert.deepEqual(seen, [], "nothing outside the mode is loaded");
});

test("one repo reached in two modes is one project with both modes' services", async () => {
  const plan = await resolvePlan({ root: app, mode: "both", loadRemote: loader(REPOS) });
  const doc = planDocument(plan);
  assert.deepEqual(doc.projects.map((p) => p.name), ["kafka", "snub", "app"]);
  assert.deepEqual(doc.projects[1], {
    name: "snub",
    mode: "containerized,extra",
    services: ["api", "consumer"],
    programs: [],
  });
});

test("a cycle between projects is refused, naming it", async () => {
  const loopy = make("kafka", { back: remote("app-repo") }, { default: ["back"] });
  const root = make("app", { k: remote("shared-kafka") }, { default: ["k"] });
  await assert.rejects(
    resolvePlan({
      root,
      mode: "default",
      loadRemote: loader({ "shared-kafka": loopy, "app-repo": root }),
    }),
    { message: "Cycle detected in the dependency graph: app -> kafka -> app" },
  );
});

test("a remote mode that does not exist: devservices' message", async () => {
  const root = make("app", { s: remote("snub", "nope") }, { default: ["s"] });
  await assert.rejects(
    resolvePlan({ root, mode: "default", loadRemote: loader(REPOS) }),
    {
      message:
        "ModeDoesNotExistError: Mode 'nope' does not exist for service 'snub'.\nAvailable modes: default, containerized, extra",
    },
  );
});

test("a dependency toggled local: its checkout (with programs), or skipped with --exclude-local", async () => {
  const localSnub = make(
    "snub",
    { kafka: remote("shared-kafka"), api: undefined, devserver: undefined },
    { default: ["kafka"], containerized: ["kafka", "devserver"] },
    ["api"],
    ["devserver"],
  );
  const local = await resolvePlan({
    root: app,
    mode: "default",
    loadRemote: loader(REPOS),
    localRuntime: new Set(["snub"]),
    loadLocal: () => Promise.resolve(localSnub),
  });
  const snubProject = local.projects.find((p) => p.name === "snub")!;
  assert.equal(snubProject.kind, "local");
  assert.deepEqual(snubProject.programs, ["devserver"]);
  const warnings: string[] = [];
  const excluded = await resolvePlan({
    root: app,
    mode: "default",
    loadRemote: loader(REPOS),
    localRuntime: new Set(["snub"]),
    excludeLocal: true,
    warn: (l) => warnings.push(l),
  });
  assert.deepEqual(excluded.projects.map((p) => p.name), ["kafka", "app"]);
  assert.deepEqual(warnings, ["Skipping 'snub' as it is set to run locally"]);
});
