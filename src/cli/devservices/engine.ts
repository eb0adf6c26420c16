// The engine for a devservices command, connected once and only when a step needs it.

import type { Engine } from "../../docker/engine.ts";
import type { DevContext } from "./context.ts";

export function engineFor(ctx: DevContext): () => Promise<Engine> {
  let engine: Promise<Engine> | undefined;
  return () => {
    engine ??= import("../../docker/connect.ts").then((m) =>
      m.connectDocker(ctx.inputs.env, ctx.inputs.home)
    );
    return engine;
  };
}
