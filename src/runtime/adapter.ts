// The only module allowed to touch `Bun.*` / `Deno.*`. Everything else uses web standards and
// `node:` modules, so the same source runs under both runtimes (the binary is built by Bun,
// the smoke suite runs under Deno).

import { concatBytes } from "../lib/bytes.ts";
import type { RunningServer, ServeOptions } from "./serve-types.ts";

type FetchHandler = (request: Request) => Response | Promise<Response>;

interface BunServer {
  port: number;
  hostname: string;
  stop(closeActiveConnections?: boolean): void | Promise<void>;
}
interface BunGlobal {
  gc?(force: boolean): void;
  version: string;
  main: string;
  serve(options: {
    fetch: FetchHandler;
    hostname: string;
    port: number;
    idleTimeout?: number;
    maxRequestBodySize?: number;
  }): BunServer;
  connect(options: {
    hostname: string;
    port: number;
    socket: {
      open(socket: { end(): void }): void;
      data(socket: { end(): void }): void;
      end?(): void;
      close?(): void;
      error?(socket: unknown, error: Error): void;
      connectError?(socket: unknown, error: Error): void;
    };
  }): Promise<{ end(): void }>;
}
interface DenoHttpServer {
  addr: { hostname: string; port: number };
  shutdown(): Promise<void>;
  finished: Promise<void>;
}
interface DenoGlobal {
  version: { deno: string };
  serve(
    options: { hostname: string; port: number; onListen?: () => void },
    handler: FetchHandler,
  ): DenoHttpServer;
}

const globals = globalThis as { Bun?: BunGlobal; Deno?: DenoGlobal };

export type RuntimeName = "bun" | "deno" | "node";

export function runtimeName(): RuntimeName {
  if (globals.Bun) return "bun";
  if (globals.Deno) return "deno";
  return "node";
}

export function runtimeVersion(): string {
  if (globals.Bun) return globals.Bun.version;
  if (globals.Deno) return globals.Deno.version.deno;
  return process.versions.node;
}

// --- SQLite -------------------------------------------------------------------------------------
// `node:sqlite` is built into Bun (also inside `bun build --compile` output) and Deno, with the
// same synchronous API; it is reached only through here so a runtime without it fails in one
// place with one message. The module is imported lazily: commands that never touch the store do
// not pay for it.

/** The part of `node:sqlite`'s `StatementSync` the store uses. */
export interface SqliteStatement {
  run(...params: SqliteValue[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  get(...params: SqliteValue[]): Record<string, unknown> | undefined;
  all(...params: SqliteValue[]): Record<string, unknown>[];
}

export type SqliteValue = string | number | bigint | null | Uint8Array;

/** The part of `node:sqlite`'s `DatabaseSync` the store uses. */
export interface SqliteDatabase {
  exec(sql: string): void;
  prepare(sql: string): SqliteStatement;
  /** Registers a scalar SQL function (available in Bun, Deno and the compiled binary). */
  function(
    name: string,
    options: { deterministic?: boolean },
    fn: (...args: SqliteValue[]) => SqliteValue,
  ): void;
  close(): void;
}

export async function openSqlite(path: string): Promise<SqliteDatabase> {
  // A variable specifier: @types/node 20 has no `node:sqlite` typings (the runtimes do).
  const specifier = "node:sqlite";
  const sqlite = (await import(specifier)) as {
    DatabaseSync: new (path: string) => SqliteDatabase;
  };
  return new sqlite.DatabaseSync(path);
}

// --- HTTP server ----------------------------------------------------------------------------------

/**
 * Listens with the runtime's own HTTP server (Bun.serve, Deno.serve) or node:http, and hands
 * every request to `fetch`. Rejects when the address cannot be bound (in use, not local).
 */
export async function serve(fetch: FetchHandler, opts: ServeOptions): Promise<RunningServer> {
  if (globals.Bun) {
    // idleTimeout 0: server-sent-event streams stay open; they send their own heartbeats.
    // The body limit sits above the 20 MiB envelope limit so the app answers 413 itself.
    const server = globals.Bun.serve({
      fetch,
      hostname: opts.hostname,
      port: opts.port,
      idleTimeout: 0,
      maxRequestBodySize: 64 * 1024 * 1024,
    });
    return {
      hostname: server.hostname,
      port: server.port,
      stop: async () => {
        await server.stop(true);
      },
    };
  }
  if (globals.Deno) {
    const deno = globals.Deno;
    // Deno.serve binds synchronously (and throws when it cannot); onListen only silences its
    // default "Listening on" message.
    const server = deno.serve(
      { hostname: opts.hostname, port: opts.port, onListen: () => {} },
      fetch,
    );
    return {
      hostname: server.addr.hostname,
      port: server.addr.port,
      stop: () => server.shutdown(),
    };
  }
  const { serveWithNodeHttp } = await import("./node-http.ts");
  return await serveWithNodeHttp(fetch, opts);
}

// --- Fetch over a Docker socket ---------------------------------------------------------------

/** Bun's extensions of `fetch`'s options: a unix socket to dial, and TLS material. */
export interface SocketFetchInit extends RequestInit {
  unix?: string;
  tls?: { ca?: Uint8Array; cert?: Uint8Array; key?: Uint8Array; rejectUnauthorized?: boolean };
  /** Socket idle deadline in ms; false: none. */
  timeout?: number | false;
}

export type SocketFetch = (url: string, init: SocketFetchInit) => Promise<Response>;

/**
 * The runtime's fetch when it can reach a unix socket and take client certificates (Bun's
 * `unix` and `tls` options); undefined elsewhere (Deno, Node), where callers use node:http.
 * Bun's fetch is native: no node:http or node:net module to load, which is most of what a
 * short command like `sentryctl ps` used to spend before its first request.
 */
export function socketFetch(): SocketFetch | undefined {
  return globals.Bun ? (fetch as SocketFetch) : undefined;
}

// --- TCP connect ------------------------------------------------------------------------------

/**
 * Opens a TCP connection and closes it again: resolves once connected, rejects with the socket
 * error (its `code`, e.g. ECONNREFUSED) otherwise. Bun's native sockets where available; node:net
 * is loaded only elsewhere, since loading it is a visible part of `sentryctl ps`.
 *
 * With `holdMs`, the connection must also stay open that long (or the peer send something):
 * Docker's port proxy accepts a connection to a published port even when nothing listens in
 * the container yet, and closes it a few milliseconds later. Such a close rejects with
 * code "ECLOSED".
 */
export async function tcpConnect(host: string, port: number, holdMs = 0): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    let done = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) reject(err);
      else resolve();
    };
    const closed = () =>
      finish(Object.assign(new Error(`the connection was closed at once`), { code: "ECLOSED" }));
    const opened = (end: () => void) => {
      // Settled before the close: ending the socket runs its close handler at once.
      if (holdMs <= 0) {
        finish();
        end();
      } else {
        timer = setTimeout(() => {
          finish();
          end();
        }, holdMs);
      }
    };
    if (globals.Bun) {
      globals.Bun.connect({
        hostname: host,
        port,
        socket: {
          open: (socket) => opened(() => socket.end()),
          data: (socket) => {
            finish();
            socket.end();
          },
          end: closed,
          close: closed,
          error: (_socket, error) => finish(error),
          connectError: (_socket, error) => finish(error),
        },
      }).catch((err: Error) => finish(err));
      return;
    }
    import("node:net").then(({ connect }) => {
      const socket = connect({ host, port });
      socket.once("connect", () => opened(() => socket.destroy()));
      socket.once("data", () => {
        finish();
        socket.destroy();
      });
      socket.once("end", closed);
      socket.once("close", closed);
      socket.once("error", (err) => {
        socket.destroy();
        finish(err);
      });
    }, (err: Error) => finish(err));
  });
}

// --- Memory ---------------------------------------------------------------------------------------

/**
 * Asks the runtime to collect garbage now. Bun's collector lets a long log burst's short-lived
 * buffers pile up to tens of MB before it runs; a hint every few MB keeps attach's RSS flat.
 * A no-op where the runtime offers no such hook (Deno).
 */
export function collectGarbageHint(): void {
  globals.Bun?.gc?.(true);
}

// --- Pushed response bodies (server-sent events) --------------------------------------------------

export interface PushController {
  /** Sends chunks, in order, as one write. Call only after `ready`; the next `ready` says the
   * reader can take more. */
  write(chunks: readonly Uint8Array[]): void;
  close(): void;
}

export interface PushSource {
  /** The reader can take a chunk now. */
  ready(controller: PushController): void;
  /** The reader went away. */
  cancel(): void;
}

interface DirectController {
  write(data: Uint8Array): number | Promise<number>;
  flush(): number | Promise<number>;
  close(): void;
}

/**
 * A response body written as data comes, paced by the reader. Under Bun it is a direct stream:
 * chunks go straight to the socket's buffer with no stream queue or per-chunk promise machinery
 * between (a standard stream's chunk hand-off was most of the server's time in a fan-out to
 * eight readers), and `ready` follows the socket's back-pressure. Elsewhere, a standard stream
 * with no queue of its own, `ready` on each pull.
 */
export function pushStream(source: PushSource): ReadableStream<Uint8Array> {
  if (globals.Bun) {
    let closed = false;
    const init = {
      type: "direct",
      pull(c: DirectController) {
        const controller: PushController = {
          write(chunks) {
            if (closed) return;
            let pending: number | Promise<number>;
            try {
              // One write per call: the sink sends each write at once when the socket takes it.
              pending = c.write(concatBytes(chunks));
              const flushed = c.flush();
              if (flushed instanceof Promise) pending = flushed;
            } catch {
              closed = true;
              source.cancel();
              return;
            }
            if (pending instanceof Promise) {
              pending.then(() => {
                if (!closed) source.ready(controller);
              }, () => {
                closed = true;
                source.cancel();
              });
            } else source.ready(controller);
          },
          close() {
            if (closed) return;
            closed = true;
            try {
              c.close();
            } catch {
              // the reader is gone already
            }
          },
        };
        source.ready(controller);
        // Open until close(): Bun.serve calls pull once and keeps the stream while pending.
        return new Promise<void>((resolve) => {
          const done = controller.close;
          controller.close = () => {
            done();
            resolve();
          };
        });
      },
      cancel() {
        closed = true;
        source.cancel();
      },
    };
    return new ReadableStream(init as unknown as UnderlyingDefaultSource<Uint8Array>);
  }
  let controller: PushController | undefined;
  return new ReadableStream<Uint8Array>({
    start(c) {
      controller = {
        write: (chunks) => c.enqueue(concatBytes(chunks)),
        close: () => {
          try {
            c.close();
          } catch {
            // the reader is gone already
          }
        },
      };
    },
    pull() {
      source.ready(controller!);
    },
    cancel() {
      source.cancel();
    },
  }, { highWaterMark: 0 });
}
