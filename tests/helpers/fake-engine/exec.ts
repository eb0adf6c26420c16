// The fake engine's exec: a command in a running container ends with what `execResult` scripts
// (exit code and output), delivered as one multiplexed frame. The last of the fake engine's
// parts, so this is where the whole implements the Engine interface.

import { PassThrough, type Readable } from "node:stream";
import type { Engine, ExecOptions } from "../../../src/docker/engine.ts";
import type { ExecInspect } from "../../../src/docker/types.ts";
import { FakeNetworks } from "./networks.ts";
import { engineError, newId } from "./state.ts";

export class FakeEngine extends FakeNetworks implements Engine {
  createExec(containerId: string, opts: ExecOptions): Promise<string> {
    this.maybeFail("createExec");
    const c = this.find(containerId);
    if (!c) return Promise.reject(engineError("not_found", "No such container", 404));
    if (!c.inspect.State.Running) {
      return Promise.reject(
        engineError("conflict", `Container ${containerId} is not running`, 409),
      );
    }
    const id = newId();
    this.execs.push(opts.cmd);
    const result = this.execResult(c, opts.cmd);
    const { code, output } = typeof result === "number" ? { code: result, output: "" } : result;
    this.execRecords.set(id, { ID: id, Running: false, ExitCode: code, output });
    return Promise.resolve(id);
  }

  startExecDetached(_execId: string): Promise<void> {
    this.maybeFail("startExecDetached");
    return Promise.resolve();
  }

  startExec(execId: string): Promise<Readable> {
    this.maybeFail("startExec");
    const e = this.execRecords.get(execId);
    if (!e) return Promise.reject(engineError("not_found", "No such exec", 404));
    const out = new PassThrough();
    if (e.output) {
      const payload = Buffer.from(e.output);
      const header = Buffer.alloc(8);
      header[0] = 1;
      header.writeUInt32BE(payload.length, 4);
      out.write(Buffer.concat([header, payload]));
    }
    out.end();
    return Promise.resolve(out);
  }

  inspectExec(execId: string): Promise<ExecInspect> {
    this.maybeFail("inspectExec");
    const e = this.execRecords.get(execId);
    if (!e) return Promise.reject(engineError("not_found", "No such exec", 404));
    return Promise.resolve({ ID: e.ID, Running: e.Running, ExitCode: e.ExitCode });
  }
}
