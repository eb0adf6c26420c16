import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { FakeEngine } from "../../tests/helpers/fake-engine.ts";
import type { ResolvedService } from "../services/resolve.ts";
import { attachService } from "./attach.ts";
import { SILENT } from "./reporter.ts";

const service: ResolvedService = {
  name: "printer",
  containerName: "p_printer",
  enabled: true,
  spec: { image: "busybox:1" },
};

function collector() {
  const parts: string[] = [];
  return {
    write(d: string | Uint8Array) {
      parts.push(typeof d === "string" ? d : Buffer.from(d).toString());
      return true;
    },
    text: () => parts.join(""),
  };
}

/** An engine whose containers print `lines` the instant they start (a burst). */
function burstingEngine(lines: string[]): FakeEngine {
  const engine = new FakeEngine();
  engine.images.set("busybox:1", { Id: "sha256:b", RepoTags: ["busybox:1"] });
  engine.emitter.on("event", (e: { Action: string; Actor: { ID: string } }) => {
    if (e.Action !== "start") return;
    for (const line of lines) engine.log(e.Actor.ID, line);
    // Exits on its own a moment later.
    setTimeout(() => engine.exit(e.Actor.ID, 7), 50);
  });
  return engine;
}

function run(engine: FakeEngine, stdout = collector(), stderr = collector()) {
  return attachService(engine, service, {
    project: "p",
    sinceUnix: Math.floor(Date.now() / 1000),
    stdout,
    stderr,
    report: SILENT,
    signals: new EventEmitter() as never,
    exitNow: () => {},
  });
}

describe("attachService", () => {
  test("attaches before it starts the container: what it prints at once is all shown", async () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `line ${i + 1}`);
    const engine = burstingEngine(lines);
    const out = collector();
    const err = collector();
    const code = await run(engine, out, err);
    assert.equal(code, 7, err.text());
    assert.equal(out.text(), lines.map((l) => `${l}\n`).join(""));
    const order = engine.calls.filter((c) => /^(create|attach|start) /.test(c));
    assert.deepEqual(order, ["create p_printer", "attach p_printer", "start p_printer"]);
  });

  test("without the attach endpoint (TLS) the logs API shows the created container's whole log", async () => {
    const lines = ["one", "two", "three"];
    const engine = burstingEngine(lines);
    (engine as { attachOutput: unknown }).attachOutput = undefined;
    const out = collector();
    const code = await run(engine, out);
    assert.equal(code, 7);
    assert.equal(out.text(), "one\ntwo\nthree\n");
  });
});
