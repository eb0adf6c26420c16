// End-to-end: devservices' programs get SENTRY_SPOTLIGHT and a local SENTRY_DSN when a status
// server answers (SPEC §7a), as `with`/`run` do. A running `serve` (its address recorded in the
// state directory, a random port), then `devservices up` of a mode with two supervised programs
// that print their env: one sends an envelope to the SENTRY_SPOTLIGHT it was given (it must land
// in the inbox), the other sets its own SENTRY_DSN in `environment` (it must win). `devservices
// serve` (the devserver, in the foreground) gets them too; with no server answering, nothing.

import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { devservicesRepo } from "../helpers/devservices-repo.ts";
import { RunningCli } from "../helpers/process.ts";

const CONFIG = `x-sentry-service-config:
  version: 0.1
  service_name: spotprog
  dependencies:
    sender: {description: Prints its env and sends an envelope}
    own: {description: Sets its own SENTRY_DSN}
  modes:
    default: [sender, own]
x-programs:
  sender:
    command: node show-env.mjs sender send
  own:
    command: node show-env.mjs own
    environment: {SENTRY_DSN: "https://own@o1.ingest.example/7"}
  devserver:
    command: node show-env.mjs devserver
services: {}
`;

// Prints the two variables; with `send`, posts an event envelope to SENTRY_SPOTLIGHT as an SDK's
// spotlight option does; then stays up (a supervised program is long-running).
const SHOW_ENV = `const [name, send] = process.argv.slice(2);
console.log(name + " SPOT=" + (process.env.SENTRY_SPOTLIGHT ?? "-"));
console.log(name + " DSN=" + (process.env.SENTRY_DSN ?? "-"));
if (send) {
  const id = "5e".repeat(16);
  const body = JSON.stringify({ event_id: id }) + "\\n" + JSON.stringify({ type: "event" }) +
    "\\n" + JSON.stringify({ event_id: id, message: "sent by a supervised program", level: "info" }) + "\\n";
  const res = await fetch(process.env.SENTRY_SPOTLIGHT, {
    method: "POST",
    headers: { "content-type": "application/x-sentry-envelope" },
    body,
  });
  console.log(name + " posted " + res.status);
}
if (name !== "devserver") setInterval(() => {}, 60_000);
`;

const { work, state, env, dev, stopPrograms } = devservicesRepo({
  prefix: "spotmisc-e2e-prog-",
  name: "spotprog",
  config: CONFIG,
  files: { "show-env.mjs": SHOW_ENV },
});
mkdirSync(state, { recursive: true });
writeFileSync(join(state, "sentry.conf.yml"), "{}\n");

const logFile = (program: string) => join(state, "programs", "spotprog", `${program}.log`);

async function logOf(program: string, until: RegExp): Promise<string> {
  for (let i = 0; i < 150; i++) {
    const text = existsSync(logFile(program)) ? readFileSync(logFile(program), "utf8") : "";
    if (until.test(text)) return text;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`${program}'s log never matched ${until}`);
}

let serve: RunningCli | undefined;

after(async () => {
  await stopPrograms();
  if (serve && serve.child.exitCode === null) {
    serve.signal("SIGTERM");
    await serve.exited;
  }
  rmSync(work, { recursive: true, force: true });
});

test("supervised programs and the devserver get the running serve's Spotlight and DSN", async () => {
  serve = new RunningCli(["serve", "--bind", "127.0.0.1:0"], env);
  await serve.waitFor(/Token file: .+\n/, 30_000);
  const base = /Status server on (http:\/\/[^/]+)\//.exec(serve.stdout)![1]!;
  const dsn = `${base.replace("://", "://sentryctl@")}/1`;
  const token = readFileSync(join(state, "status-token"), "utf8").trim();

  const up = await dev(["up"]);
  assert.equal(up.code, 0, up.stderr);
  const sender = await logOf("sender", /sender posted \d+/);
  assert.match(sender, new RegExp(`^sender SPOT=${base}/stream$`, "m"));
  assert.match(sender, new RegExp(`^sender DSN=${dsn}$`, "m"));
  assert.match(sender, /^sender posted 200$/m);
  // What the program sent through SENTRY_SPOTLIGHT is in the inbox.
  const res = await fetch(`${base}/api/0/events/`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const titles = ((await res.json()) as { title: string }[]).map((i) => i.title);
  assert.ok(titles.includes("sent by a supervised program"), JSON.stringify(titles));

  // A program's own environment wins over what is exported.
  const own = await logOf("own", /own DSN=/);
  assert.match(own, new RegExp(`^own SPOT=${base}/stream$`, "m"));
  assert.match(own, /^own DSN=https:\/\/own@o1\.ingest\.example\/7$/m);

  // The devserver in the foreground; a user's SENTRY_SPOTLIGHT is kept.
  const fg = await dev(["serve"], { SENTRY_SPOTLIGHT: "http://127.0.0.1:1/stream" });
  assert.equal(fg.code, 0, fg.stderr);
  assert.match(fg.stdout, /^devserver SPOT=http:\/\/127\.0\.0\.1:1\/stream\r?$/m);
  assert.match(fg.stdout, new RegExp(`^devserver DSN=${dsn}\\r?$`, "m"));

  const down = await dev(["down"]);
  assert.equal(down.code, 0, down.stderr);

  // No server answering (serve stopped, its record removed; status.bind names a closed port, so
  // another server on the default port cannot answer): nothing is exported.
  serve.signal("SIGTERM");
  assert.equal((await serve.exited).code, 0);
  writeFileSync(join(state, "config.yml"), "status.bind: '127.0.0.1:9'\n");
  const none = await dev(["serve"]);
  assert.equal(none.code, 0, none.stderr);
  assert.match(none.stdout, /^devserver SPOT=-\r?$/m);
  assert.match(none.stdout, /^devserver DSN=-\r?$/m);
});
