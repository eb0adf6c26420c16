// Imports a `sentry.conf.ts` in a worker, with a time bound. A settings module is user code: it
// may loop forever, await a promise that never settles, or call `process.exit`. In-process, the
// first two hang sentryctl silently and the third ends it without a word. In a worker the main
// thread keeps control: after the bound it terminates the worker and names the file (exit 3),
// and a worker that closes without answering is reported as having ended the process.

/** How long a settings module may take to load and compute its settings. */
export const SETTINGS_LOAD_TIMEOUT_MS = 10_000;

export type TsLoadResult =
  | { kind: "value"; value: unknown }
  | { kind: "import-error" | "call-error"; name: string; message: string; position?: Position }
  | { kind: "timeout"; ms: number }
  | { kind: "exited"; code?: number };

interface Position {
  line?: number;
  column?: number;
}

// Plain JavaScript so that it runs as a blob worker in the compiled binary, Bun and Deno alike.
const WORKER_SOURCE = `
const describe = (err) => ({
  name: err && typeof err === "object" && typeof err.name === "string" ? err.name : "Error",
  message: err && typeof err === "object" && "message" in err ? String(err.message) : String(err),
  position: err && typeof err === "object" && err.position
    ? { line: err.position.line, column: err.position.column }
    : undefined,
});
self.onmessage = async (event) => {
  const { url, defaults } = event.data;
  let mod;
  try {
    mod = await import(url);
  } catch (err) {
    self.postMessage({ kind: "import-error", ...describe(err) });
    return;
  }
  let value = mod.default;
  if (typeof value === "function") {
    try {
      value = await value(defaults);
    } catch (err) {
      self.postMessage({ kind: "call-error", ...describe(err) });
      return;
    }
  }
  try {
    self.postMessage({ kind: "value", value });
  } catch (err) {
    self.postMessage({ kind: "call-error", name: "TypeError",
      message: "the settings are not plain data (" + describe(err).message + ")" });
  }
};
`;

/** Loads the module's default export (calling it with `defaults` when it is a function). */
export function loadTsSettingsModule(
  path: string,
  defaults: unknown,
  timeoutMs = SETTINGS_LOAD_TIMEOUT_MS,
): Promise<TsLoadResult> {
  const source = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: "text/javascript" }));
  const worker = new Worker(source, { type: "module" });
  return new Promise<TsLoadResult>((resolve) => {
    let settled = false;
    const finish = (result: TsLoadResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.terminate();
      URL.revokeObjectURL(source);
      resolve(result);
    };
    const timer = setTimeout(() => finish({ kind: "timeout", ms: timeoutMs }), timeoutMs);
    worker.onmessage = (event: MessageEvent) => finish(event.data as TsLoadResult);
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      finish({ kind: "import-error", name: "Error", message: event.message });
    };
    // Bun fires `close` (with the exit code) when the module calls process.exit.
    worker.addEventListener("close", (event: Event) => {
      const code = (event as Event & { code?: unknown }).code;
      finish({ kind: "exited", code: typeof code === "number" ? code : undefined });
    });
    const { pathToFileURL } = process.getBuiltinModule("node:url");
    worker.postMessage({ url: pathToFileURL(path).href, defaults });
  });
}
