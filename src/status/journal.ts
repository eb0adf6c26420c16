// The inbox on disk, so it survives a restart of `serve`: an append-only journal of raw
// envelopes in the state directory. Ingest never waits for it: `append` queues the entry and
// one writer flushes the queue in batches; when the file holds about twice the inbox's bound it
// is rewritten (compacted) from what the inbox still holds. At start the journal is read back
// and replayed through ingest; a torn last record (a crash mid-write) ends the replay there.
//
// Record: `SCJ1 <meta JSON>\n<length bytes of envelope>\n`.

import { Buffer } from "node:buffer";
import { existsSync, readFileSync } from "node:fs";
import { type FileHandle, open, rename, rm } from "node:fs/promises";
import type { FeedEntry } from "./feed.ts";

const MAGIC = "SCJ1 ";

interface Meta {
  id: string;
  received: number;
  contentType: string;
  projectId: string;
  sentryKey: string | null;
  userAgent: string | null;
  length: number;
}

export function encodeRecord(e: FeedEntry): Buffer {
  const meta: Meta = {
    id: e.id,
    received: e.received,
    contentType: e.contentType,
    projectId: e.projectId,
    sentryKey: e.sentryKey,
    userAgent: e.userAgent,
    length: e.body.length,
  };
  return Buffer.concat([
    Buffer.from(`${MAGIC}${JSON.stringify(meta)}\n`),
    e.body,
    Buffer.from("\n"),
  ]);
}

/** Every whole record of a journal file's bytes, in order. */
export function decodeJournal(data: Uint8Array): FeedEntry[] {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const out: FeedEntry[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const nl = buf.indexOf(0x0a, pos);
    if (nl === -1) break;
    const line = buf.subarray(pos, nl).toString("utf8");
    if (!line.startsWith(MAGIC)) break;
    let meta: Meta;
    try {
      meta = JSON.parse(line.slice(MAGIC.length)) as Meta;
    } catch {
      break;
    }
    if (
      typeof meta.id !== "string" || typeof meta.length !== "number" || meta.length < 0 ||
      nl + 1 + meta.length + 1 > buf.length || buf[nl + 1 + meta.length] !== 0x0a
    ) break;
    out.push({
      id: meta.id,
      received: Number(meta.received) || 0,
      contentType: String(meta.contentType ?? "application/x-sentry-envelope"),
      projectId: String(meta.projectId ?? "0"),
      sentryKey: typeof meta.sentryKey === "string" ? meta.sentryKey : null,
      userAgent: typeof meta.userAgent === "string" ? meta.userAgent : null,
      // A copy, so the file's buffer is not kept alive by one small envelope.
      body: new Uint8Array(buf.subarray(nl + 1, nl + 1 + meta.length)),
    });
    pos = nl + 1 + meta.length + 1;
  }
  return out;
}

export interface JournalOptions {
  /** Compact once the file holds more than this many records… */
  maxRecords: number;
  /** …or more than this many bytes. */
  maxBytes: number;
  /** What the inbox still holds, oldest first: the content of a compacted journal. */
  current(): readonly FeedEntry[];
  /** Told about a failed write (the inbox goes on in memory). */
  onError?(err: Error): void;
}

export class Journal {
  readonly path: string;
  #opts: JournalOptions;
  #queue: FeedEntry[] = [];
  #handle: FileHandle | undefined;
  #records = 0;
  #bytes = 0;
  #clearRequested = false;
  #running: Promise<void> | undefined;
  #closed = false;

  constructor(path: string, opts: JournalOptions) {
    this.path = path;
    this.#opts = opts;
  }

  /** Reads the journal (synchronously, once, before the server listens). */
  load(): FeedEntry[] {
    if (!existsSync(this.path)) return [];
    let data: Uint8Array;
    try {
      data = readFileSync(this.path);
    } catch (err) {
      this.#opts.onError?.(err as Error);
      return [];
    }
    const entries = decodeJournal(data);
    this.#records = entries.length;
    this.#bytes = data.length;
    return entries;
  }

  /** Queues an entry; returns at once. */
  append(entry: FeedEntry): void {
    if (this.#closed) return;
    this.#queue.push(entry);
    this.#kick();
  }

  /** Empties the journal (after what is queued now is dropped). */
  clear(): void {
    this.#queue = [];
    this.#clearRequested = true;
    this.#kick();
  }

  /** Waits until everything queued is written. */
  async flush(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async close(): Promise<void> {
    await this.flush();
    this.#closed = true;
    await this.#handle?.close().catch(() => {});
    this.#handle = undefined;
  }

  #kick(): void {
    if (this.#running) return;
    this.#running = (async () => {
      // Let the ingest that queued this answer first; batch what arrives meanwhile.
      await new Promise((r) => setTimeout(r, 0));
      try {
        while (this.#queue.length > 0 || this.#clearRequested) await this.#step();
      } catch (err) {
        this.#queue = [];
        this.#opts.onError?.(err as Error);
      } finally {
        this.#running = undefined;
      }
    })();
  }

  async #step(): Promise<void> {
    if (this.#clearRequested) {
      this.#clearRequested = false;
      await this.#handle?.close().catch(() => {});
      this.#handle = undefined;
      await rm(this.path, { force: true });
      this.#records = 0;
      this.#bytes = 0;
      return;
    }
    const batch = this.#queue;
    this.#queue = [];
    const data = Buffer.concat(batch.map(encodeRecord));
    this.#handle ??= await open(this.path, "a", 0o600);
    await this.#handle.write(data);
    this.#records += batch.length;
    this.#bytes += data.length;
    if (this.#records > 2 * this.#opts.maxRecords || this.#bytes > 2 * this.#opts.maxBytes) {
      await this.#compact();
    }
  }

  async #compact(): Promise<void> {
    // Entries still queued are newer than the batch just written and are appended next.
    const queued = new Set(this.#queue);
    const keep = this.#opts.current().filter((e) => !queued.has(e));
    const data = Buffer.concat(keep.map(encodeRecord));
    const tmp = `${this.path}.tmp`;
    const h = await open(tmp, "w", 0o600);
    try {
      await h.write(data);
      await h.sync();
    } finally {
      await h.close();
    }
    await this.#handle?.close().catch(() => {});
    this.#handle = undefined;
    await rename(tmp, this.path);
    this.#records = keep.length;
    this.#bytes = data.length;
  }
}
