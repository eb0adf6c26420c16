// A lean HTTP/1.1 GET for long streams (logs -f) over a unix socket or plain TCP. Through
// docker-modem and the runtime's node:http layer, reading a 200k-line log cost ~30 MB more
// RSS and more CPU per chunk than the bytes themselves; here the socket's chunks are handed on
// as they come (chunked transfer decoded in place) and back-pressure pauses the socket itself.
// TLS and ssh endpoints keep using docker-modem.

import { EventEmitter } from "node:events";
import type { Socket } from "node:net";
import type { Endpoint } from "./endpoint.ts";

export function rawStreamSupported(endpoint: Endpoint): boolean {
  return endpoint.socketPath !== undefined || endpoint.protocol === "http";
}

/** The response body of a streamed GET: `data`, `end`, `close`, `error`; pause/resume/destroy. */
export class RawBody extends EventEmitter {
  #socket: Socket | undefined;
  #ended = false;
  #endPending = false;
  /** Data that arrived before anyone listened (the caller attaches after the promise). */
  #queue: Buffer[] = [];

  constructor() {
    super();
    this.on("newListener", (event: string) => {
      if (event !== "data") return;
      queueMicrotask(() => {
        const queued = this.#queue;
        this.#queue = [];
        for (const data of queued) this.emit("data", data);
        if (this.#endPending) this.finish();
      });
    });
  }

  attach(socket: Socket): void {
    this.#socket = socket;
  }

  /** Writes to the connection (after an upgrade: the command's stdin); waits for room. */
  async send(data: Uint8Array): Promise<void> {
    const socket = this.#socket;
    if (!socket || socket.destroyed || socket.writableEnded) return;
    if (!socket.write(data)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          socket.off("drain", done);
          socket.off("close", done);
          resolve();
        };
        socket.on("drain", done);
        socket.on("close", done);
      });
    }
  }

  /** Half-closes the connection: the other side reads end-of-file, output keeps coming. */
  endInput(): void {
    const socket = this.#socket;
    if (socket && !socket.destroyed && !socket.writableEnded) socket.end();
  }

  /** `for await` over the body, as over a Readable (the socket pauses while a chunk waits). */
  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    const chunks: Buffer[] = [];
    let done = false;
    let failure: unknown;
    let wake: (() => void) | undefined;
    const notify = () => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    this.on("data", (c: Buffer) => {
      chunks.push(c);
      this.pause();
      notify();
    });
    this.on("end", () => {
      done = true;
      notify();
    });
    this.on("error", (e) => {
      failure = e;
      done = true;
      notify();
    });
    for (;;) {
      if (chunks.length > 0) {
        yield chunks.shift()!;
        if (chunks.length === 0) this.resume();
        continue;
      }
      if (failure) throw failure;
      if (done) return;
      await new Promise<void>((r) => (wake = r));
    }
  }
  push(data: Buffer): void {
    if (data.length === 0) return;
    if (this.listenerCount("data") === 0 || this.#queue.length > 0) this.#queue.push(data);
    else this.emit("data", data);
  }
  pause(): this {
    this.#socket?.pause();
    return this;
  }
  resume(): this {
    this.#socket?.resume();
    return this;
  }
  destroy(): this {
    this.#socket?.destroy();
    this.#queue = [];
    this.finish();
    return this;
  }
  finish(): void {
    if (this.#ended) return;
    if (this.#queue.length > 0) {
      this.#endPending = true;
      return;
    }
    this.#ended = true;
    this.emit("end");
    this.emit("close");
  }
}

export interface RawError extends Error {
  statusCode?: number;
  code?: string;
  json?: { message?: string } | string | null;
}

/** GETs `pathAndQuery`; resolves with the body stream on 200, rejects like docker-modem. */
export function rawGet(
  endpoint: Endpoint,
  pathAndQuery: string,
  signal?: AbortSignal,
): Promise<RawBody> {
  return rawRequest(endpoint, "GET", pathAndQuery, signal, false);
}

/**
 * POSTs an upgrade request (`/containers/{id}/attach`): after `101 UPGRADED` the connection is
 * the container's raw multiplexed output until it exits.
 */
export function rawUpgrade(
  endpoint: Endpoint,
  pathAndQuery: string,
  signal?: AbortSignal,
  json?: unknown,
): Promise<RawBody> {
  return rawRequest(endpoint, "POST", pathAndQuery, signal, true, json);
}

function rawRequest(
  endpoint: Endpoint,
  method: "GET" | "POST",
  pathAndQuery: string,
  signal: AbortSignal | undefined,
  upgrade: boolean,
  json?: unknown,
): Promise<RawBody> {
  // node:net on first use: commands that never stream a log do not load it.
  const net = process.getBuiltinModule("node:net");
  return new Promise((resolve, reject) => {
    const socket = endpoint.socketPath
      ? net.createConnection(endpoint.socketPath)
      : net.connect(endpoint.port ?? 2375, endpoint.host ?? "127.0.0.1");
    const body = new RawBody();
    body.attach(socket);
    let head: Buffer = Buffer.alloc(0);
    let headerDone = false;
    let status = 0;
    let decode: ((chunk: Buffer) => void) | undefined;
    const onAbort = () => {
      const err: RawError = new Error("The operation was aborted");
      err.name = "AbortError";
      socket.destroy();
      if (headerDone) body.emit("error", err);
      else reject(err);
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    socket.on("connect", () => {
      const payload = json === undefined ? "" : JSON.stringify(json);
      const length = `Content-Length: ${Buffer.byteLength(payload)}\r\n` +
        (payload ? "Content-Type: application/json\r\n" : "");
      const connection = upgrade
        ? `Connection: Upgrade\r\nUpgrade: tcp\r\n${length}`
        : "Connection: close\r\n";
      socket.write(
        `${method} ${pathAndQuery} HTTP/1.1\r\nHost: docker\r\nUser-Agent: sentryctl\r\n${connection}\r\n${payload}`,
      );
    });
    socket.on("error", (err) => {
      if (headerDone) body.emit("error", err);
      else reject(err);
    });
    socket.on("close", () => {
      signal?.removeEventListener("abort", onAbort);
      if (!headerDone) reject(Object.assign(new Error("socket closed"), { code: "ECONNRESET" }));
      else body.finish();
    });
    socket.on("data", (chunk: Buffer) => {
      if (headerDone) return decode!(chunk);
      head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) return;
      headerDone = true;
      const lines = head.subarray(0, end).toString("latin1").split("\r\n");
      status = Number(lines[0]!.split(" ")[1]);
      const headers = new Map(
        lines.slice(1).map((l) => {
          const i = l.indexOf(":");
          return [l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim()] as const;
        }),
      );
      const rest = head.subarray(end + 4);
      if (status !== 200 && !(upgrade && status === 101)) {
        collectError(socket, rest, status, reject);
        return;
      }
      const emit = (data: Buffer) => body.push(data);
      decode = !upgrade && headers.get("transfer-encoding")?.includes("chunked")
        ? chunkedDecoder(emit, () => {
          socket.destroy();
          body.finish();
        })
        : emit;
      resolve(body);
      if (rest.length > 0) decode(rest);
    });
  });
}

/** Reads a non-200 answer's body (the engine's JSON message) and rejects with it. */
function collectError(
  socket: Socket,
  first: Buffer,
  status: number,
  reject: (e: RawError) => void,
): void {
  const parts = [first];
  const done = () => {
    const text = Buffer.concat(parts).toString("utf8");
    const message = /"message"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(text)?.[1] ?? `HTTP ${status}`;
    const err: RawError = new Error(`(HTTP code ${status}) ${message}`);
    err.statusCode = status;
    err.json = { message: JSON.parse(`"${message}"`) as string };
    reject(err);
  };
  socket.on("data", (c: Buffer) => parts.push(c));
  socket.on("end", done);
  socket.on("close", done);
}

/** Transfer-Encoding: chunked, decoded without copying chunk payloads. */
export function chunkedDecoder(
  emit: (data: Buffer) => void,
  onEnd: () => void,
): (chunk: Buffer) => void {
  let remaining = 0; // payload bytes left in the current chunk
  let trailer = 0; // CRLF bytes left after a payload
  let sizeLine = "";
  let finished = false;
  return (chunk: Buffer) => {
    let i = 0;
    while (i < chunk.length && !finished) {
      if (remaining > 0) {
        const take = Math.min(remaining, chunk.length - i);
        emit(chunk.subarray(i, i + take));
        remaining -= take;
        i += take;
        if (remaining === 0) trailer = 2;
        continue;
      }
      if (trailer > 0) {
        const skip = Math.min(trailer, chunk.length - i);
        trailer -= skip;
        i += skip;
        continue;
      }
      const nl = chunk.indexOf(0x0a, i);
      if (nl < 0) {
        sizeLine += chunk.toString("latin1", i);
        return;
      }
      sizeLine += chunk.toString("latin1", i, nl);
      i = nl + 1;
      const size = parseInt(sizeLine.trim().split(";")[0]!, 16);
      sizeLine = "";
      if (size === 0 || Number.isNaN(size)) {
        finished = true;
        onEnd();
        return;
      }
      remaining = size;
    }
  };
}
