// The engine's newline-delimited JSON answers (pull progress, build output, events), and the failures Docker reports inside a 200 answer (a registry or network
// failing mid-pull, a build step exiting non-zero). Apart from client.ts so the client stays a
// list of endpoints.

import type { Readable } from "node:stream";
import { SentryctlError } from "../errors.ts";
import { apiError } from "./transport.ts";
import type { BuildEvent, EngineEvent, PullProgress } from "./types.ts";

/** Splits a stream of newline-delimited JSON objects (pull progress, events). */
export async function* jsonLines<T>(stream: AsyncIterable<Uint8Array | string>): AsyncIterable<T> {
  let buffered = "";
  const decoder = new TextDecoder();
  for await (const chunk of stream) {
    buffered += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    let newline;
    while ((newline = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (line) yield JSON.parse(line) as T;
    }
  }
  if (buffered.trim()) yield JSON.parse(buffered) as T;
}

/** Passes pull progress on; throws the failure a 200 answer carried. */
export async function readPullProgress(
  stream: Readable,
  ref: string,
  onProgress: (p: PullProgress) => void,
): Promise<void> {
  let failure: string | undefined;
  try {
    for await (const event of jsonLines<PullProgress>(stream)) {
      if (event.error) failure = event.errorDetail?.message ?? event.error;
      else onProgress(event);
    }
  } catch (err) {
    throw apiError(err, `pull image '${ref}'`);
  }
  if (failure) {
    // Reported inside a 200 answer: the registry or the network failed mid-pull.
    throw new SentryctlError("docker_api", `Docker could not pull image '${ref}': ${failure}`, {
      reason: "server",
    });
  }
}

/** Passes build output on; throws the build's own failure (it arrives inside a 200 answer). */
export async function readBuildProgress(
  stream: Readable,
  what: string,
  onProgress: (line: string) => void,
): Promise<void> {
  let failure: string | undefined;
  try {
    for await (const event of jsonLines<BuildEvent>(stream)) {
      if (event.error) failure = event.errorDetail?.message ?? event.error;
      else if (event.stream) onProgress(event.stream);
    }
  } catch (err) {
    throw apiError(err, what);
  }
  if (failure) {
    throw new SentryctlError("docker_api", `Docker could not ${what}: ${failure.trim()}`, {
      reason: "bad_request",
    });
  }
}

/** Container events until the stream ends; an abort ends it quietly. */
export async function* readEvents(
  stream: Readable,
  signal: AbortSignal,
): AsyncIterable<EngineEvent> {
  try {
    for await (const event of jsonLines<EngineEvent>(stream)) yield event;
  } catch (err) {
    if (!signal.aborted) throw apiError(err, "read events");
  }
}

/** `registry:5000/a/b:tag` → repo `registry:5000/a/b`, tag `tag`; digests stay on the repo. */
export function splitImageRef(ref: string): { repo: string; tag?: string } {
  if (ref.includes("@")) return { repo: ref };
  const slash = ref.lastIndexOf("/");
  const colon = ref.lastIndexOf(":");
  if (colon > slash) return { repo: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { repo: ref, tag: "latest" };
}
