// The inbox on disk, so it survives a restart of `serve`: an append-only journal of raw
// envelopes in the state directory, in two segments. Ingest never waits for it: `append`
// queues the entry and one writer flushes the queue in batches, one buffer and one write per
// batch. When the next batch would take the current segment past the inbox's bound (records or
// bytes) it becomes the previous segment (replacing the older one) and a new one is started: the
// two together always hold at least what the inbox holds, at most twice the bound, and nothing is ever
// re-encoded or rewritten (rewriting the whole inbox from memory had blocked ingest for
// milliseconds each time). At start both are read back, oldest first, and replayed through
// ingest; a torn last record (a crash mid-write) ends a segment there and is cut off, so later
// appends stay readable.
//
// Record: `SCJ1 <meta JSON>\n<length bytes of envelope>\n`.

import { Buffer } from "node:buffer";
import { existsSync, readFileSync, truncateSync } from "node:fs";
import { type FileHandle, open, rename, rm } from "node:fs/promises";
import { concatBytes } from "../lib/bytes.ts";
import { type FeedEntry, parseId } from "./feed.ts";

const MAGIC = "SCJ1 ";
const BATCH_MS = 10;
const NEWLINE = 0x0a;

interface Meta {
  id: string;
  received: number;
  contentType: string;
  projectId: string;
  sentryKey: string | null;
  userAgent: string | null;
  length: number;
}

// The sender's fields as JSON members, for the last sender seen: an SDK sends one envelope after
// another with the same ones, so the meta line stringifies them once per sender, not per
// envelope (a whole-object `JSON.stringify` per record was 3% of the server's ingest time,
// profiled). Only a cache: every line is what stringifying the whole `Meta` would give, parsed.
let lastSender: readonly (string | null)[] = [];
let lastSenderJson = "";

function senderJson(e: FeedEntry): string {
  const s = lastSender;
  if (
    s[0] !== e.contentType || s[1] !== e.projectId || s[2] !== e.sentryKey ||
    s[3] !== e.userAgent
  ) {
    lastSender = [e.contentType, e.projectId, e.sentryKey, e.userAgent];
    lastSenderJson = JSON.stringify({
      contentType: e.contentType,
      projectId: e.projectId,
      sentryKey: e.sentryKey,
      userAgent: e.userAgent,
    }).slice(1, -1);
  }
  return lastSenderJson;
}

const PLAIN_ID = /^[0-9A-Za-z-]*$/;

function metaLine(e: FeedEntry): string {
  // The members of `Meta`, with the sender's from the cache.
  // Feed ids and times need no escaping (JSON.stringify gives the same text, at a cost).
  const id = PLAIN_ID.test(e.id) ? `"${e.id}"` : JSON.stringify(e.id);
  const received = Number.isFinite(e.received) ? String(e.received) : "null";
  return `${MAGIC}{"id":${id},"received":${received},${senderJson(e)},"length":${e.body.length}}\n`;
}

/** Records for `entries`, in order, in one buffer (one allocation for the whole batch). */
export function encodeRecords(entries: readonly FeedEntry[]): Uint8Array {
  return concatBytes(recordParts(entries).buffers);
}

const NEWLINE_BYTES = new Uint8Array([NEWLINE]);

/**
 * Records for `entries` as the pieces to write in order (a meta line, the envelope's own bytes,
 * a newline): written with one `writev`, the envelopes are not copied into a batch buffer first.
 * That copy (a buffer the size of the batch, every 10 ms) had been a tenth of the server's time
 * under load, most of it garbage collection its allocations set off.
 */
export function recordParts(
  entries: readonly FeedEntry[],
): { buffers: Uint8Array[]; size: number } {
  const metas = Buffer.from(entries.map(metaLine).join(""));
  const buffers: Uint8Array[] = [];
  let size = metas.length;
  let at = 0;
  for (const e of entries) {
    const end = metas.indexOf(NEWLINE, at) + 1;
    buffers.push(metas.subarray(at, end), e.body, NEWLINE_BYTES);
    at = end;
    size += e.body.length + 1;
  }
  return { buffers, size };
}

// Pieces per writev call: within every system's IOV_MAX (1024 on Linux).
const WRITEV_MAX = 900;

/** Writes every piece, in order; a short write goes on from where it stopped. */
async function writeAll(handle: FileHandle, buffers: Uint8Array[]): Promise<void> {
  for (let from = 0; from < buffers.length; from += WRITEV_MAX) {
    const group = buffers.slice(from, from + WRITEV_MAX);
    let want = 0;
    for (const b of group) want += b.length;
    const { bytesWritten } = await handle.writev(group);
    if (bytesWritten < want) await handle.write(Buffer.concat(group).subarray(bytesWritten));
  }
}

/** Every whole record of a journal file's bytes, in order, and where the whole ones end. */
export function decodeRecords(data: Uint8Array): { entries: FeedEntry[]; end: number } {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const out: FeedEntry[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const nl = buf.indexOf(NEWLINE, pos);
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
      nl + 1 + meta.length + 1 > buf.length || buf[nl + 1 + meta.length] !== NEWLINE
    ) break;
    out.push({
      id: meta.id,
      // The id's counter (0 from a journal written before ids carried the sequence number).
      seq: Number(parseId(meta.id)?.counter ?? 0n),
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
  return { entries: out, end: pos };
}

/** Every whole record of a journal file's bytes, in order. */
export function decodeJournal(data: Uint8Array): FeedEntry[] {
  return decodeRecords(data).entries;
}

export interface JournalOptions {
  /** Start a new segment once the current one holds this many records… */
  maxRecords: number;
  /** …or this many bytes. */
  maxBytes: number;
  /** Told about a failed write (the inbox goes on in memory). */
  onError?(err: Error): void;
}

export class Journal {
  /** The current segment; the previous one is `<path>.prev`. */
  readonly path: string;
  readonly previousPath: string;
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
    this.previousPath = `${path}.prev`;
    this.#opts = opts;
  }

  /** Reads both segments, oldest first (synchronously, once, before the server listens). */
  load(): FeedEntry[] {
    const previous = this.#read(this.previousPath, false);
    const current = this.#read(this.path, true);
    return previous.concat(current);
  }

  #read(path: string, isCurrent: boolean): FeedEntry[] {
    if (!existsSync(path)) return [];
    let data: Uint8Array;
    try {
      data = readFileSync(path);
    } catch (err) {
      this.#opts.onError?.(err as Error);
      return [];
    }
    const { entries, end } = decodeRecords(data);
    if (isCurrent) {
      if (end < data.length) {
        // A torn tail: cut it, or everything appended after it could never be read back.
        try {
          truncateSync(path, end);
        } catch (err) {
          this.#opts.onError?.(err as Error);
        }
      }
      this.#records = entries.length;
      this.#bytes = end;
    }
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
      // Let the ingest that queued this answer first, and batch what arrives meanwhile: one
      // write per window, not one per envelope (a write costs the event loop ~30 µs). The
      // window also follows each write: going on at once wrote the one or two envelopes that
      // came during the write, so under steady ingest the journal made a write every few
      // envelopes (2725 writes for 48k envelopes, counted with strace) instead of one per window.
      const window = () => new Promise((r) => setTimeout(r, BATCH_MS));
      await window();
      try {
        while (this.#queue.length > 0 || this.#clearRequested) {
          await this.#step();
          if (this.#queue.length > 0 && !this.#closed) await window();
        }
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
      await rm(this.previousPath, { force: true });
      await rm(this.path, { force: true });
      this.#records = 0;
      this.#bytes = 0;
      return;
    }
    const batch = this.#newest(this.#queue);
    this.#queue = [];
    const data = recordParts(batch);
    // A segment never holds more than the bound: when this batch would take the current one
    // past it, the current one becomes the previous one first. The two then still hold
    // everything the inbox does (the previous one plus the batch pass the bound).
    if (
      this.#records > 0 &&
      (this.#records + batch.length > this.#opts.maxRecords ||
        this.#bytes + data.size > this.#opts.maxBytes)
    ) await this.#roll();
    this.#handle ??= await open(this.path, "a", 0o600);
    await writeAll(this.#handle, data.buffers);
    this.#records += batch.length;
    this.#bytes += data.size;
  }

  /** The newest entries of a batch the inbox can hold (a burst may queue more than that). */
  #newest(queue: FeedEntry[]): FeedEntry[] {
    let from = Math.max(0, queue.length - this.#opts.maxRecords);
    let bytes = 0;
    for (let i = queue.length - 1; i >= from; i--) {
      bytes += queue[i]!.body.length;
      if (bytes > this.#opts.maxBytes && i < queue.length - 1) {
        from = i + 1;
        break;
      }
    }
    return from === 0 ? queue : queue.slice(from);
  }

  /** The current segment becomes the previous one; the next write starts a new one. */
  async #roll(): Promise<void> {
    await this.#handle?.close().catch(() => {});
    this.#handle = undefined;
    await rename(this.path, this.previousPath);
    this.#records = 0;
    this.#bytes = 0;
  }
}
