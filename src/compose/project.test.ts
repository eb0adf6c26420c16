import { test } from "node:test";
import assert from "node:assert/strict";
import { normalizeProjectName } from "./project.ts";
import { selectStackSource } from "./select.ts";
import { load, loadError, memFs } from "../../tests/helpers/compose-project.ts";

test("merge: later files win for values and map entries; lists append, volumes by target", async () => {
  const base = [
    "services:",
    "  web:",
    "    image: web:1",
    "    command: [a, b]",
    "    environment: {A: '1', B: '1'}",
    "    labels: [x=1]",
    "    ports: ['80:80']",
    "    volumes: ['./one:/data', 'v:/v']",
    "    depends_on: [db]",
    "    healthcheck: {test: [CMD, a], interval: 5s}",
    "    profiles: [p1]",
    "    build: {context: ., args: {X: '1', Y: '1'}}",
    "  db: {image: db}",
    "volumes: {v: {}}",
  ].join("\n");
  const over = [
    "services:",
    "  web:",
    "    image: web:2",
    "    command: c",
    "    environment: [B=2, C=2]",
    "    ports: ['80:80', '81:81']",
    "    volumes: ['./two:/data']",
    "    depends_on: {db: {condition: service_healthy}}",
    "    healthcheck: {test: [CMD, b]}",
    "    profiles: [p2]",
    "    build: {args: {Y: '2'}}",
    "  extra: {image: e}",
  ].join("\n");
  const p = await load(base, {
    files: ["/p/compose.yml", "/p/override.yml"],
    others: { "/p/override.yml": over },
    profiles: ["*"],
  });
  const web = p.model.services.web!;
  assert.equal(web.image, "web:2");
  assert.deepEqual(web.command, ["c"]);
  assert.deepEqual(web.environment, { A: "1", B: "2", C: "2" });
  assert.deepEqual(web.labels, { x: "1" });
  assert.deepEqual(web.ports?.map((x) => x.published), ["80", "81"]);
  assert.deepEqual(web.volumes?.map((v) => `${v.source}:${v.target}`), ["/p/two:/data", "v:/v"]);
  assert.deepEqual(web.depends_on, { db: { condition: "service_healthy", required: true } });
  assert.deepEqual(web.healthcheck, { test: ["CMD", "b"], interval: "5s" });
  assert.deepEqual(web.profiles, ["p2"]);
  assert.deepEqual(web.build, {
    context: "/p",
    dockerfile: "Dockerfile",
    args: { X: "1", Y: "2" },
  });
  assert.deepEqual(Object.keys(p.model.services).sort(), ["db", "extra", "web"]);
  assert.deepEqual(p.configFiles, ["/p/compose.yml", "/p/override.yml"]);
});

test("an error in the second file names that file", async () => {
  const msg = await loadError("services: {a: {image: x}}\n", {
    files: ["/p/compose.yml", "/p/o.yml"],
    others: { "/p/o.yml": "services:\n  a:\n    depends_on: [ghost]\n" },
  });
  assert.match(msg, /^\/p\/o\.yml:3:\d+: service 'a' depends on undefined service 'ghost'/);
});

test("project name: --project > env > .env > name: > service_name > directory", async () => {
  const file = "name: Top\nx-sentry-service-config: {service_name: Svc}\nservices: {}\n";
  const env = { COMPOSE_PROJECT_NAME: "fromenv" };
  const others = { "/p/.env": "COMPOSE_PROJECT_NAME=fromdotenv\n" };
  assert.equal((await load(file, { env, others, projectName: "flag" })).name, "flag");
  assert.equal((await load(file, { env, others })).name, "fromenv");
  assert.equal((await load(file, { others })).name, "fromdotenv");
  assert.match(
    await loadError(file),
    /project name 'Top' \(from the top-level 'name:'\) is not valid/,
  );
  assert.equal((await load("name: top\n")).name, "top");
  const svc = await load("x-sentry-service-config: {service_name: My.Svc}\n");
  assert.deepEqual([svc.name, svc.nameSource], ["mysvc", "x-sentry-service-config.service_name"]);
  const dir = await load("services: {}\n", {
    files: ["/work/My Project!/compose.yml"],
    others: { "/work/My Project!/compose.yml": "services: {}\n" },
  });
  assert.equal(dir.name, "myproject");
  assert.equal(normalizeProjectName("__Odd-Name_1"), "odd-name_1");
});

test(".env beside the file, --env-file instead, the environment first", async () => {
  const file = "services:\n  s:\n    image: ${IMG}:${TAG:-latest}\n";
  const others = { "/p/.env": "IMG=from-dotenv\nTAG=1\n", "/p/alt.env": "IMG=alt\n" };
  assert.equal((await load(file, { others })).model.services.s!.image, "from-dotenv:1");
  assert.equal(
    (await load(file, { others, env: { IMG: "env" } })).model.services.s!.image,
    "env:1",
  );
  assert.equal(
    (await load(file, { others, envFile: "alt.env" })).model.services.s!.image,
    "alt:latest",
  );
  assert.match(
    await loadError(file, { envFile: "nope.env" }),
    /env file \/p\/nope\.env does not exist/,
  );
  assert.match(
    await loadError(file, { others: { "/p/.env": "IMG='x\n" } }),
    /\/p\/\.env:1:1: unterminated single quote/,
  );
});

test("unset variables: empty string and one warning per variable", async () => {
  const p = await load(
    "services:\n  s:\n    image: x${NOPE}\n    command: [$NOPE, $$NOPE, '${OTHER:-ok}']\n",
  );
  assert.equal(p.model.services.s!.image, "x");
  assert.deepEqual(p.model.services.s!.command, ["", "$NOPE", "ok"]);
  assert.deepEqual(p.warnings, [
    '/p/compose.yml:3: the "NOPE" variable is not set; defaulting to a blank string',
  ]);
});

test("profiles: from --profile, else COMPOSE_PROFILES (env, then .env); named services always in", async () => {
  const file = [
    "services:",
    "  base: {image: b}",
    "  dbg: {image: d, profiles: [debug], depends_on: [helper]}",
    "  helper: {image: h, profiles: [tools]}",
    "  other: {image: o, profiles: [other]}",
  ].join("\n");
  const names = async (extra: Parameters<typeof load>[1]) =>
    Object.keys((await load(file, extra)).model.services).sort();
  assert.deepEqual(await names({}), ["base"]);
  assert.deepEqual(
    await names({ profiles: ["debug"] }),
    ["base", "dbg", "helper"],
    "a dependency comes along",
  );
  assert.deepEqual(await names({ env: { COMPOSE_PROFILES: "other,tools" } }), [
    "base",
    "helper",
    "other",
  ]);
  assert.deepEqual(await names({ others: { "/p/.env": "COMPOSE_PROFILES=other\n" } }), [
    "base",
    "other",
  ]);
  assert.deepEqual(await names({ services: ["dbg"] }), ["base", "dbg", "helper"]);
  assert.deepEqual(await names({ profiles: ["*"] }), ["base", "dbg", "helper", "other"]);
  const p = await load(file, { profiles: ["debug"] });
  assert.deepEqual(p.disabledServices, ["other"]);
  assert.deepEqual(p.profiles, ["debug"]);
  assert.match(await loadError(file, { services: ["ghost"] }), /no such service: 'ghost'/);
});

test("stack source: -f, else ./devservices/config.yml, else the catalog", async () => {
  const fs = memFs({ "/repo/devservices/config.yml": "services: {}\n" });
  assert.deepEqual(await selectStackSource({ files: ["a.yml", "/b.yml"], cwd: "/repo", fs }), {
    kind: "files",
    files: ["/repo/a.yml", "/b.yml"],
    via: "flag",
  });
  assert.deepEqual(await selectStackSource({ cwd: "/repo", fs }), {
    kind: "files",
    files: ["/repo/devservices/config.yml"],
    via: "devservices",
  });
  assert.deepEqual(await selectStackSource({ cwd: "/elsewhere", fs }), { kind: "catalog" });
});

test("--project-directory: relative paths and .env resolve against it", async () => {
  const p = await load("services:\n  s:\n    image: ${IMG}\n    volumes: [./c:/c]\n", {
    projectDirectory: "/other",
    others: { "/other/.env": "IMG=dir\n" },
  });
  assert.equal(p.workingDir, "/other");
  assert.equal(p.model.services.s!.image, "dir");
  assert.equal(p.model.services.s!.volumes![0]!.source, "/other/c");
  assert.equal(p.name, "other");
});

test("a missing project file is a configuration error", async () => {
  assert.match(
    await loadError("", { files: ["/p/nope.yml"] }),
    /project file \/p\/nope\.yml does not exist/,
  );
});

test("override files: !reset removes what earlier files set, !override replaces it whole", async () => {
  const base = [
    "services:",
    "  web:",
    "    image: w",
    "    ports: ['80:80']",
    "    environment: {A: '1', B: '1'}",
    "    depends_on: [db]",
    "  db: {image: d}",
    "  gone: {image: g}",
  ].join("\n");
  const over = [
    "services:",
    "  web:",
    "    ports: !reset []",
    "    environment: !override {C: '3'}",
    "    depends_on: !reset null",
    "  gone: !reset",
  ].join("\n");
  const p = await load(base, {
    files: ["/p/compose.yml", "/p/o.yml"],
    others: { "/p/o.yml": over },
  });
  const web = p.model.services.web!;
  assert.equal(web.ports, undefined);
  assert.deepEqual(web.environment, { C: "3" });
  assert.equal(web.depends_on, undefined);
  assert.equal(web.image, "w");
  assert.deepEqual(Object.keys(p.model.services).sort(), ["db", "web"]);
});
