// The stack's container rule (scope.ts) and the commands that find containers through it: a
// project file's include what docker compose 1.x made (`<project>_<service>_1`, compose's labels
// only), never another project's, a one-off or a second replica; the catalog's stay by our label.

import { test } from "node:test";
import assert from "node:assert/strict";
import { FakeEngine } from "../../tests/helpers/fake-engine.ts";
import type { Writer } from "../runtime/io.ts";
import type { ResolvedService } from "../services/resolve.ts";
import { checkStack } from "./doctor.ts";
import { execIn } from "./exec.ts";
import { showLogs } from "./logs.ts";
import {
  catalogScope,
  findServiceContainer,
  listMembers,
  madeBy,
  projectFileScope,
  serviceOf,
} from "./scope.ts";
import { projectStatus } from "./service-status.ts";

const P = "reachp";
const compose = (project: string, service: string, extra: Record<string, string> = {}) => ({
  "com.docker.compose.project": project,
  "com.docker.compose.service": service,
  "com.docker.compose.container-number": "1",
  "com.docker.compose.oneoff": "False",
  ...extra,
});
const ours = (project: string, service: string) => ({
  ...compose(project, service),
  "io.sentry.sentryctl.project": project,
  "io.sentry.sentryctl.service": service,
  "io.sentry.sentryctl.config-hash": "abc",
  "io.sentry.sentryctl.owner": "up",
});

/** A project made by docker-compose 1.29 (web), one by sentryctl (api), and what is not theirs. */
function engineWithProject(): FakeEngine {
  const engine = new FakeEngine();
  engine.addContainer(`${P}_web_1`, { labels: compose(P, "web"), running: true });
  engine.log(`${P}_web_1`, "compose-made web");
  engine.addContainer(`${P}-api-1`, { labels: ours(P, "api"), running: true });
  engine.log(`${P}-api-1`, "our api");
  // Another compose project with the same service name; a one-off and a second replica of ours.
  engine.addContainer("other_web_1", { labels: compose("other", "web"), running: true });
  engine.log("other_web_1", "FOREIGN");
  engine.addContainer(`${P}_web_run_1`, {
    labels: compose(P, "web", { "com.docker.compose.oneoff": "True" }),
    running: true,
  });
  engine.log(`${P}_web_run_1`, "ONE-OFF");
  engine.addContainer(`${P}_web_2`, {
    labels: compose(P, "web", { "com.docker.compose.container-number": "2" }),
    running: true,
  });
  engine.log(`${P}_web_2`, "REPLICA");
  return engine;
}

function sink(): Writer & { text: () => string } {
  let text = "";
  return {
    write: (d: string | Uint8Array) => {
      text += typeof d === "string" ? d : new TextDecoder().decode(d);
    },
    text: () => text,
  } as Writer & { text: () => string };
}

test("serviceOf: a project file's rule is compose's labels, the catalog's is ours", () => {
  const file = projectFileScope(P);
  assert.equal(serviceOf(file, compose(P, "web")), "web");
  assert.equal(serviceOf(file, ours(P, "api")), "api");
  // compose 1.x without the number label (older files) is still replica 1.
  const { "com.docker.compose.container-number": _, ...unnumbered } = compose(P, "web");
  assert.equal(serviceOf(file, unnumbered), "web");
  assert.equal(serviceOf(file, compose("other", "web")), undefined, "another project");
  assert.equal(
    serviceOf(file, compose(P, "web", { "com.docker.compose.oneoff": "True" })),
    undefined,
    "a one-off (`docker compose run`)",
  );
  assert.equal(
    serviceOf(file, compose(P, "web", { "com.docker.compose.container-number": "2" })),
    undefined,
    "a second replica",
  );
  assert.equal(serviceOf(file, undefined), undefined);
  const catalog = catalogScope(P);
  assert.equal(serviceOf(catalog, compose(P, "web")), undefined, "compose's labels alone");
  assert.equal(serviceOf(catalog, ours(P, "api")), "api");
  assert.equal(madeBy(compose(P, "web")), "docker compose");
  assert.equal(madeBy(ours(P, "api")), "sentryctl");
  assert.equal(madeBy({}), "another tool");
});

test("listMembers and findServiceContainer find compose's container by labels, not name", async () => {
  const engine = engineWithProject();
  const file = projectFileScope(P);
  const members = await listMembers(engine, file);
  assert.deepEqual(
    members.map((m) => [m.service, m.summary.Names[0]]).sort(),
    [["api", `/${P}-api-1`], ["web", `/${P}_web_1`]],
  );
  assert.equal((await findServiceContainer(engine, file, "web"))?.Name, `/${P}_web_1`);
  assert.equal(await findServiceContainer(engine, file, "nope"), undefined);
  assert.deepEqual(
    await listMembers(engine, catalogScope(P)).then((m) => m.map((x) => x.service)),
    [
      "api",
    ],
  );
  // A stopped container of the service loses to a running one, whichever was listed first.
  const stopped = new FakeEngine();
  stopped.addContainer(`${P}-web-1`, { labels: ours(P, "web") });
  stopped.addContainer(`${P}_web_1`, { labels: compose(P, "web"), running: true });
  assert.equal((await findServiceContainer(stopped, file, "web"))?.Name, `/${P}_web_1`);
});

test("ps, logs and exec reach the container docker compose made, never another project's", async () => {
  const engine = engineWithProject();
  const file = projectFileScope(P);
  const statuses = await projectStatus(engine, file, Date.now());
  assert.deepEqual(statuses.map((s) => [s.service, s.container, s.project]), [
    ["api", `${P}-api-1`, P],
    ["web", `${P}_web_1`, P],
  ]);

  const out = sink();
  const err = sink();
  const shown = await showLogs(engine, {
    scope: file,
    names: ["web"],
    follow: false,
    timestamps: false,
    stdout: out,
    stderr: err,
    signal: new AbortController().signal,
  });
  assert.deepEqual(shown, ["web"]);
  assert.equal(out.text(), "compose-made web\n");

  const all = sink();
  await showLogs(engine, {
    scope: file,
    names: [],
    follow: false,
    timestamps: false,
    stdout: all,
    stderr: sink(),
    signal: new AbortController().signal,
  });
  assert.equal(all.text(), "api | our api\nweb | compose-made web\n");

  const ran: string[] = [];
  engine.execResult = (c, cmd) => {
    ran.push(`${c.inspect.Name}:${cmd.join(" ")}`);
    return { code: 3, output: "from exec\n" };
  };
  const execOut = sink();
  const code = await execIn(engine, file, "web", ["echo", "hi"], {
    stdout: execOut,
    stderr: sink(),
  });
  assert.equal(code, 3);
  assert.deepEqual(ran, [`/${P}_web_1:echo hi`]);
  assert.equal(execOut.text(), "from exec\n");

  // The catalog's rule does not take compose's container for its own.
  await assert.rejects(
    execIn(engine, catalogScope(P), "web", ["true"], { stdout: sink(), stderr: sink() }),
    /Service web has no container in project 'reachp'/,
  );
});

test("logs -f picks up the compose container's restart by its labels", async () => {
  const engine = engineWithProject();
  const out = sink();
  const stop = new AbortController();
  const following = showLogs(engine, {
    scope: projectFileScope(P),
    names: ["web"],
    follow: true,
    timestamps: false,
    stdout: out,
    stderr: sink(),
    signal: stop.signal,
  });
  const until = async (what: string, fn: () => boolean) => {
    const deadline = Date.now() + 3000;
    while (!fn()) {
      if (Date.now() > deadline) throw new Error(`timed out: ${what}; got ${out.text()}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  await until("first line", () => out.text().includes("compose-made web"));
  await engine.stopContainer(`${P}_web_1`, 1);
  engine.log(`${P}_web_1`, "after restart");
  await engine.startContainer(`${P}_web_1`);
  await until("the line after the restart", () => out.text().includes("after restart"));
  stop.abort();
  await following;
  assert.doesNotMatch(out.text(), /FOREIGN|ONE-OFF|REPLICA/);
});

test("doctor: the project's containers whoever made them; a name held by another project is foreign", async () => {
  const engine = engineWithProject();
  // docker compose's web publishes the file's port: its own port, not a conflict.
  const web = engine.byName(`${P}_web_1`)!;
  web.inspect.NetworkSettings.Ports = { "80/tcp": [{ HostIp: "127.0.0.1", HostPort: "18080" }] };
  // Another compose project's container holds the name sentryctl would give api's container.
  engine.addContainer(`${P}-db-1`, { labels: compose("other", "db") });
  const service = (name: string, ports = {}): ResolvedService => ({
    name,
    containerName: `${P}-${name}-1`,
    enabled: true,
    spec: { image: "busybox", ports },
  });
  const report = await checkStack(engine, projectFileScope(P), [
    service("web", { "80/tcp": ["127.0.0.1", 18080] }),
    service("api"),
    service("db"),
  ]);
  assert.deepEqual(report.portConflicts, []);
  assert.deepEqual(report.containers, [
    { service: "api", container: `${P}-api-1`, state: "running", madeBy: "sentryctl" },
    { service: "web", container: `${P}_web_1`, state: "running", madeBy: "docker compose" },
  ]);
  assert.equal(report.foreign.length, 1);
  assert.match(report.foreign[0]!, /^reachp-db-1 \(\w{12}\) belongs to compose project 'other'/);
  assert.doesNotMatch(report.foreign.join("\n"), /not sentryctl's/);

  // The catalog's doctor keeps its words, and compose's web is not its container.
  const catalog = await checkStack(engine, catalogScope(P), [service("web")]);
  assert.deepEqual(catalog.containers.map((c) => c.service), ["api"]);
});
