// Reading server-sent events (the client side of `GET /stream`, for `sentryctl tail` and the
// tests): the WHATWG rules for fields, comments, multi-line data and the three line endings,
// fed chunk by chunk.

export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

export class SseParser {
  #buffer = "";
  #event = "";
  #data: string[] = [];
  #id: string | undefined;
  /** The last id seen, for `Last-Event-ID` on reconnect. */
  lastEventId: string | undefined;

  /** Feeds text; returns the events it completed. */
  push(chunk: string): SseEvent[] {
    const buffer = this.#buffer + chunk;
    const out: SseEvent[] = [];
    // One pass with a moving start: a chunk of many events costs its length, not its length
    // times the number of lines (slicing the rest after each line did).
    let start = 0;
    // The next LF and CR at or after `start` (-1: none left), each searched again only once
    // passed, so neither search rescans the chunk per line.
    let lf = buffer.indexOf("\n");
    let cr = buffer.indexOf("\r");
    for (;;) {
      if (lf !== -1 && lf < start) lf = buffer.indexOf("\n", start);
      if (cr !== -1 && cr < start) cr = buffer.indexOf("\r", start);
      const end = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      if (end === -1) break;
      let next = end + 1;
      if (buffer.charCodeAt(end) === 13) {
        // A lone CR at the very end may be the first half of CRLF: wait for more.
        if (next === buffer.length) break;
        if (buffer.charCodeAt(next) === 10) next++;
      }
      const event = this.#line(buffer.slice(start, end));
      if (event) out.push(event);
      start = next;
    }
    this.#buffer = start === 0 ? buffer : buffer.slice(start);
    return out;
  }

  #line(line: string): SseEvent | undefined {
    if (line === "") {
      if (this.#data.length === 0) {
        this.#event = "";
        return undefined;
      }
      const ev: SseEvent = { event: this.#event || "message", data: this.#data.join("\n") };
      if (this.#id !== undefined) ev.id = this.#id;
      this.#event = "";
      this.#data = [];
      return ev;
    }
    if (line.startsWith(":")) return undefined;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.#event = value;
    else if (field === "data") this.#data.push(value);
    else if (field === "id" && !value.includes("\0")) {
      this.#id = value;
      this.lastEventId = value;
    }
    return undefined;
  }
}

/** Yields the events of an SSE response body until it ends or `signal` aborts. */
export async function* readSse(
  body: ReadableStream<Uint8Array>,
  signal?: AbortSignal,
): AsyncGenerator<SseEvent> {
  const parser = new SseParser();
  const decoder = new TextDecoder();
  const reader = body.getReader();
  const cancel = () => reader.cancel().catch(() => {});
  signal?.addEventListener("abort", cancel, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      for (const ev of parser.push(decoder.decode(value, { stream: true }))) yield ev;
    }
  } finally {
    signal?.removeEventListener("abort", cancel);
    cancel();
  }
}
