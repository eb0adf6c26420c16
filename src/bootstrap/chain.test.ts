import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InitializerChain } from "./chain.ts";
import { captureInputs } from "../../tests/helpers/process-inputs.ts";
import { CHAIN_LEVELS, CHAIN_STEPS } from "./steps.ts";
import type { ChainStep, StepName } from "./types.ts";

const inputs = (env: Record<string, string> = {}) => captureInputs(env);

function counting(names: StepName[], failAt?: { name: StepName; times: number }) {
  const runs: string[] = [];
  let failures = failAt?.times ?? 0;
  const steps: ChainStep[] = names.map((name) => ({
    name,
    async run(state) {
      await Promise.resolve();
      if (failAt?.name === name && failures > 0) {
        failures--;
        throw new Error(`${name} failed`);
      }
      runs.push(name);
      state.warnings.push(name);
    },
  }));
  return { steps, runs };
}

const flags = { project: "sentry", verbose: false };

describe("InitializerChain", () => {
  test("configure() twice in one process runs every step once", async () => {
    const { steps, runs } = counting(["discover", "load-settings", "bootstrap-options"]);
    const chain = new InitializerChain({ inputs: inputs(), flags }, steps);
    const first = await chain.configure();
    const second = await chain.configure();
    assert.equal(first, second);
    assert.deepEqual(runs, ["discover", "load-settings", "bootstrap-options"]);
  });

  test("through() runs only up to the step asked for, and later calls continue from there", async () => {
    const { steps, runs } = counting(["discover", "load-settings", "bootstrap-options"]);
    const chain = new InitializerChain({ inputs: inputs(), flags }, steps);
    await chain.through("discover");
    assert.deepEqual(chain.completed, ["discover"]);
    await chain.through("discover");
    await chain.configure();
    assert.deepEqual(runs, ["discover", "load-settings", "bootstrap-options"]);
  });

  test("concurrent callers share one run", async () => {
    const { steps, runs } = counting(["discover", "load-settings"]);
    const chain = new InitializerChain({ inputs: inputs(), flags }, steps);
    await Promise.all([chain.configure(), chain.through("discover"), chain.configure()]);
    assert.deepEqual(runs, ["discover", "load-settings"]);
  });

  test("a failed chain starts from scratch on the next call (Sentry sets __installed last)", async () => {
    const { steps, runs } = counting(["discover", "load-settings", "bootstrap-options"], {
      name: "load-settings",
      times: 1,
    });
    const chain = new InitializerChain({ inputs: inputs(), flags }, steps);
    await assert.rejects(chain.configure(), /load-settings failed/);
    assert.deepEqual(chain.completed, []);
    const state = await chain.configure();
    assert.deepEqual(runs, ["discover", "discover", "load-settings", "bootstrap-options"]);
    assert.deepEqual(state.warnings, ["discover", "load-settings", "bootstrap-options"]);
  });

  test("an unknown step name is a bug, not a configuration error", () => {
    const chain = new InitializerChain({ inputs: inputs(), flags }, []);
    assert.throws(() => chain.through("nope" as StepName), /unknown initializer step/);
  });
});

describe("the real steps", () => {
  test("are in Sentry's order, and every level names one of them", () => {
    assert.deepEqual(CHAIN_STEPS.map((s) => s.name), [
      "discover",
      "load-settings",
      "single-org-remap",
      "bootstrap-options",
      "logging",
      "derived-defaults",
      "validate-regions",
      "legacy-settings",
      "validate-options",
      "validate-snuba",
      "configure-sdk",
      "setup-services",
      "csrf-trusted-origins",
    ]);
    for (const step of Object.values(CHAIN_LEVELS)) {
      assert.ok(CHAIN_STEPS.some((s) => s.name === step), step);
    }
  });

  test("the docker level loads settings and runs no validator", async () => {
    const conf = mkdtempSync(join(tmpdir(), "sentryctl-conf-"));
    // Would fail validate-options (wrong type) and legacy-settings (no key): never reached.
    writeFileSync(join(conf, "config.yml"), "mail.port: 'x'\n");
    writeFileSync(join(conf, "sentry.conf.yml"), "SENTRY_DEVSERVICES: {redis: null}\n");
    const chain = new InitializerChain({ inputs: inputs(), flags: { ...flags, config: conf } });
    const state = await chain.throughLevel("docker");
    assert.deepEqual(state.settings.SENTRY_DEVSERVICES, { redis: null });
    assert.deepEqual(chain.completed, ["discover", "load-settings"]);
    assert.equal(state.services, undefined);
  });

  test("without a config directory the whole chain passes with an ephemeral secret key", async () => {
    const io = inputs();
    const chain = new InitializerChain({ inputs: io, flags });
    const state = await chain.configure();
    const key = (state.settings.SENTRY_OPTIONS as Record<string, string>)["system.secret-key"]!;
    assert.equal(key.length, 50);
    assert.equal(state.settings.SECRET_KEY, key);
    assert.deepEqual(state.origins.options.get("system.secret-key"), { kind: "ephemeral" });
    assert.ok(state.services);
    assert.deepEqual(io.err, []);
  });
});
