// The engine calls that take over the HTTP connection (exec start, attach) or read a long log
// stream with the lean reader (raw-stream.ts): only where that reader can reach the engine
// (unix sockets, plain TCP); elsewhere the client has no such calls and callers fall back.

import type { Readable } from "node:stream";
import type { Endpoint } from "./endpoint.ts";
import type { Engine } from "./engine.ts";
import { rawGet, rawStreamSupported, rawUpgrade } from "./raw-stream.ts";
import { apiError } from "./transport.ts";

const enc = encodeURIComponent;

/** `startExecAttached` and `attachOutput` of an endpoint, both undefined where unsupported. */
export function hijackedCalls(
  endpoint: Endpoint,
): Pick<Engine, "startExecAttached" | "attachOutput"> {
  if (!rawStreamSupported(endpoint)) return {};
  return {
    startExecAttached: (execId, tty, signal) =>
      rawUpgrade(endpoint, `/exec/${enc(execId)}/start`, signal, { Detach: false, Tty: tty })
        .catch((err) => {
          throw apiError(err, `start exec '${execId}'`);
        }),
    // Live output only (no replay): it is opened before the container starts.
    attachOutput: (id, signal) =>
      rawUpgrade(endpoint, `/containers/${enc(id)}/attach?stream=1&stdout=1&stderr=1`, signal)
        .then((body) => body as unknown as Readable)
        .catch((err) => {
          throw apiError(err, `attach to '${id}'`);
        }),
  };
}

/** A container's log stream through the lean reader. */
export function leanLogs(
  endpoint: Endpoint,
  id: string,
  query: Record<string, unknown>,
  signal: AbortSignal | undefined,
): Promise<Readable> {
  const search = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  return rawGet(endpoint, `/containers/${enc(id)}/logs?${search}`, signal)
    .then((body) => body as unknown as Readable)
    .catch((err) => {
      throw apiError(err, `read logs of '${id}'`);
    });
}
