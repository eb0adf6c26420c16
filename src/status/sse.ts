// A minimal server-sent-events response: named events with multi-line data, a comment
// heartbeat so idle proxies and runtimes keep the connection, and one cleanup path whether the
// client goes away (cancel/abort) or the server ends the stream.

export interface SseChannel {
  send(event: string, data: string, id?: string): void;
  /** Writes bytes already framed by `frame()` (one encoding shared by many readers). */
  sendFramed(bytes: Uint8Array): void;
  close(): void;
  readonly signal: AbortSignal;
}

// EventSource ends a line at CRLF, LF or a lone CR: data is split on all three, so text
// with a bare CR cannot end a line early or inject a field or an event of another type.
const LINE_BREAK = /\r\n|\r|\n/;

/** One server-sent event: `id` and `event` lose any line break, every data line is prefixed. */
export function frame(event: string, data: string, id?: string): string {
  const clean = (s: string) => s.replace(/[\r\n]/g, " ");
  const lines = data.split(LINE_BREAK).map((l) => `data: ${l}\n`).join("");
  return `${id ? `id: ${clean(id)}\n` : ""}event: ${clean(event)}\n${lines}\n`;
}

export function sseResponse(
  request: Request,
  start: (channel: SseChannel) => void | Promise<void>,
  opts: { heartbeatMs?: number; headers?: Record<string, string> } = {},
): Response {
  const encoder = new TextEncoder();
  const done = new AbortController();
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  const finish = () => {
    if (done.signal.aborted) return;
    done.abort();
    if (timer) clearInterval(timer);
    try {
      controller?.close();
    } catch {
      // already closed by the client
    }
  };
  const enqueue = (bytes: Uint8Array) => {
    if (done.signal.aborted || !controller) return;
    try {
      controller.enqueue(bytes);
    } catch {
      finish();
    }
  };
  const write = (text: string) => enqueue(encoder.encode(text));
  const channel: SseChannel = {
    send(event, data, id) {
      write(frame(event, data, id));
    },
    sendFramed: enqueue,
    close: finish,
    signal: done.signal,
  };
  request.signal?.addEventListener("abort", finish, { once: true });
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      write(": connected\n\n");
      timer = setInterval(() => write(": keep-alive\n\n"), opts.heartbeatMs ?? 15_000);
      Promise.resolve(start(channel)).catch(() => finish());
    },
    cancel() {
      finish();
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      "x-accel-buffering": "no",
      ...opts.headers,
    },
  });
}
