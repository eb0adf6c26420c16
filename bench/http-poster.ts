// bench/http-poster: one HTTP/1.1 keep-alive connection posting bodies one after another, for
// the fan-out bench's ingest client. `fetch` cost the bench process 75–79 µs of CPU per POST
// on this machine, this client 36–53 µs (docs/benchmarks.md); with a server answering in tens of
// microseconds and the bench's own readers on the same two cores, that client time was what
// bounded the fastest servers (the ceiling's rate), not the servers. This writes a prepared request head and the body with one write and
// reads the answer's status line and body (Content-Length or chunked); anything else (a closed
// connection, a malformed answer) is an error, never a silent retry.

import { connect, type Socket } from "node:net";

const CRLF2 = Buffer.from("\r\n\r\n");

export interface Posted {
  status: number;
  body: Buffer;
}

export class HttpPoster {
  #socket: Socket | undefined;
  #host: string;
  #port: number;
  #buffered: Buffer = Buffer.alloc(0);
  #waiting: ((err?: Error) => void) | undefined;
  #closed: Error | undefined;

  constructor(base: string) {
    const url = new URL(base);
    this.#host = url.hostname;
    this.#port = Number(url.port || 80);
  }

  /** POSTs `body` to `path` with `headers`; resolves with the answer once it is whole. */
  async post(path: string, body: string | Uint8Array, headers: Record<string, string> = {}) {
    const socket = await this.#connected();
    const bytes = Buffer.from(body);
    let head = `POST ${path} HTTP/1.1\r\nHost: ${this.#host}:${this.#port}\r\n`;
    for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
    head += `Content-Length: ${bytes.length}\r\n\r\n`;
    socket.write(Buffer.concat([Buffer.from(head), bytes]));
    return await this.#answer();
  }

  close(): void {
    this.#socket?.destroy();
    this.#socket = undefined;
  }

  async #connected(): Promise<Socket> {
    if (this.#socket && !this.#closed) return this.#socket;
    this.#closed = undefined;
    this.#buffered = Buffer.alloc(0);
    const socket = connect({ host: this.#host, port: this.#port, noDelay: true });
    await new Promise<void>((res, rej) => {
      socket.once("connect", res);
      socket.once("error", rej);
    });
    // A connection closed by `close()` may still report; only the current one counts.
    socket.on("data", (chunk: Buffer) => {
      if (this.#socket !== socket) return;
      this.#buffered = this.#buffered.length === 0 ? chunk : Buffer.concat([this.#buffered, chunk]);
      this.#wake();
    });
    const closed = (err?: Error) => {
      if (this.#socket !== socket) return;
      this.#closed = err ?? new Error("the server closed the connection");
      this.#wake();
    };
    socket.on("error", closed);
    socket.on("close", () => closed());
    this.#socket = socket;
    return socket;
  }

  #wake(): void {
    const w = this.#waiting;
    this.#waiting = undefined;
    w?.();
  }

  /** Waits for more bytes; rejects once the connection has ended. */
  #more(): Promise<void> {
    if (this.#closed) return Promise.reject(this.#closed);
    return new Promise((res) => {
      this.#waiting = () => res();
    });
  }

  /** Where `needle` is in what has come, from `from` on, once it has come. */
  async #find(needle: Buffer | string, from: number): Promise<number> {
    for (;;) {
      const at = this.#buffered.indexOf(needle, from);
      if (at !== -1) return at;
      await this.#more();
    }
  }

  /** Once `size` bytes have come. */
  async #have(size: number): Promise<void> {
    while (this.#buffered.length < size) await this.#more();
  }

  async #answer(): Promise<Posted> {
    const headEnd = await this.#find(CRLF2, 0);
    const head = this.#buffered.subarray(0, headEnd).toString("latin1");
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(head);
    if (!status) throw new Error(`not an HTTP answer: ${JSON.stringify(head.slice(0, 80))}`);
    const fields = new Map<string, string>();
    for (const line of head.split("\r\n").slice(1)) {
      const colon = line.indexOf(":");
      if (colon > 0) {
        fields.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
      }
    }
    let at = headEnd + 4;
    let body: Buffer;
    if (/chunked/i.test(fields.get("transfer-encoding") ?? "")) {
      const parts: Buffer[] = [];
      for (;;) {
        const lineEnd = await this.#find("\r\n", at);
        const size = parseInt(this.#buffered.subarray(at, lineEnd).toString("latin1"), 16);
        if (!Number.isFinite(size)) throw new Error("malformed chunk size");
        const end = lineEnd + 2 + size + 2;
        await this.#have(end);
        parts.push(this.#buffered.subarray(lineEnd + 2, lineEnd + 2 + size));
        at = end;
        if (size === 0) break;
      }
      body = Buffer.concat(parts);
    } else {
      const length = Number(fields.get("content-length") ?? 0);
      await this.#have(at + length);
      body = Buffer.from(this.#buffered.subarray(at, at + length));
      at += length;
    }
    this.#buffered = this.#buffered.subarray(at);
    if (/close/i.test(fields.get("connection") ?? "")) this.close();
    return { status: Number(status[1]), body };
  }
}
