// The shape of an HTTP server as the runtime adapter hands it out, apart from both servers
// (adapter.ts's Bun/Deno ones, node-http.ts's) so neither imports the other for a type.

export interface ServeOptions {
  hostname: string;
  /** 0 picks a free port. */
  port: number;
}

export interface RunningServer {
  hostname: string;
  port: number;
  /** Stops listening and closes open connections (SSE streams included). */
  stop(): Promise<void>;
}
