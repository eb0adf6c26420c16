import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { LogCursor } from "../docker/log-cursor.ts";
import { type LogSink, StampedRaw, streamLogs } from "./log-follow.ts";

const STAMP = "2026-12-04T10:00:00.123456789Z";

function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

/** A sink that takes everything; `slow` makes every write wait a turn (back-pressure). */
function collector(slow = false): LogSink & { text(): string; writes: number } {
  const parts: Buffer[] = [];
  let writes = 0;
  return {
    write(d: Uint8Array) {
      parts.push(Buffer.from(d));
      writes++;
      return !slow;
    },
    drained: () => new Promise<void>((r) => setTimeout(r, 1)),
    text: () => Buffer.concat(parts).toString("latin1"),
    get writes() {
      return writes;
    },
  };
}

/** Feeds `chunks` to a stream the way a socket would: a few at a time, then the end. */
function source(chunks: Buffer[]): PassThrough {
  const s = new PassThrough();
  void (async () => {
    for (let i = 0; i < chunks.length; i++) {
      if (!s.write(chunks[i]!)) await new Promise((r) => s.once("drain", r));
      if (i % 100 === 0) await new Promise((r) => setImmediate(r));
    }
    s.end();
  })();
  return s;
}

const noLogs = { logs: () => Promise.reject(new Error("the logs API is not used here")) };

describe("streamLogs", () => {
  test("a slow terminal loses no line: 30k lines in order through back-pressure", async () => {
    const lines = Array.from({ length: 30_000 }, (_, i) => `${i + 1}\n`);
    const chunks = lines.map((l, i) => frame(i % 7 === 0 ? 2 : 1, l));
    const out = collector(true);
    const err = collector(true);
    await streamLogs(noLogs, "c", false, { stdout: out, stderr: err }, {
      showTimestamps: false,
      follow: true,
      source: Promise.resolve(source(chunks)),
    });
    const want = (keep: (i: number) => boolean) => lines.filter((_, i) => keep(i)).join("");
    assert.equal(err.text(), want((i) => i % 7 === 0));
    assert.equal(out.text(), want((i) => i % 7 !== 0));
    assert.ok(out.writes > 1, "written in several batches, each waited for");
  });

  test("the attach stream has no timestamps: a line that starts with one is kept whole", async () => {
    const out = collector();
    await streamLogs(noLogs, "c", false, { stdout: out, stderr: collector() }, {
      showTimestamps: false,
      follow: true,
      source: Promise.resolve(source([frame(1, `${STAMP} app started\n`)])),
    });
    assert.equal(out.text(), `${STAMP} app started\n`);
  });

  test("a TTY container's log: every line's stamp is removed, across any chunk boundary", async () => {
    const text = Array.from({ length: 50 }, (_, i) => `${STAMP} line ${i}\r\n`).join("");
    const bytes = Buffer.from(text);
    // Every split point once: stamps and lines cut at every offset.
    for (const size of [1, 7, 31, 33, 64, bytes.length]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
      const out = collector();
      const logs = () => Promise.resolve(source(chunks));
      const last = await streamLogs({ logs }, "c", true, { stdout: out, stderr: collector() }, {
        showTimestamps: false,
        follow: false,
      });
      assert.equal(out.text(), text.replaceAll(`${STAMP} `, ""), `chunks of ${size}`);
      assert.equal(last, STAMP);
    }
  });

  test("a TTY log's last line without a newline is printed at the end", async () => {
    const out = collector();
    const logs = () => Promise.resolve(source([Buffer.from(`${STAMP} a\n${STAMP} b`)]));
    await streamLogs({ logs }, "c", true, { stdout: out, stderr: collector() }, {
      showTimestamps: false,
      follow: false,
    });
    assert.equal(out.text(), "a\nb");
  });

  test("--timestamps keeps them on every line of a TTY log", async () => {
    const out = collector();
    const text = `${STAMP} a\n${STAMP} b\n`;
    const logs = () => Promise.resolve(source([Buffer.from(text)]));
    await streamLogs({ logs }, "c", true, { stdout: out, stderr: collector() }, {
      showTimestamps: true,
      follow: false,
    });
    assert.equal(out.text(), text);
  });

  test("skip drops exactly the bytes already shown, per stream, even mid-line; shown counts", async () => {
    const chunks = [
      frame(1, `${STAMP} one\n`),
      frame(2, `${STAMP} e1\n`),
      frame(1, `${STAMP} two\n`),
      frame(1, `${STAMP} three\n`),
      frame(2, `${STAMP} e2\n`),
    ];
    const out = collector();
    const err = collector();
    const skip = { stdout: "one\ntw".length, stderr: "e1\n".length };
    const shown = { stdout: 0, stderr: 0 };
    const logs = () => Promise.resolve(source(chunks));
    await streamLogs({ logs }, "c", false, { stdout: out, stderr: err }, {
      showTimestamps: false,
      follow: false,
      skip,
      shown,
    });
    assert.equal(out.text(), "o\nthree\n");
    assert.equal(err.text(), "e2\n");
    assert.deepEqual(skip, { stdout: 0, stderr: 0 });
    assert.deepEqual(shown, { stdout: 8, stderr: 3 });
  });

  test("a cursor: a resumed read skips exactly the entries taken, not every one at that stamp", async () => {
    const later = "2026-12-04T10:00:01.000000000Z";
    const out = collector();
    const cursor = new LogCursor();
    cursor.moveTo(STAMP, 2); // two entries at STAMP were printed before
    const logs = () =>
      Promise.resolve(source([
        frame(1, `${STAMP} seen 1\n`),
        frame(1, `${STAMP} seen 2\n`),
        frame(1, `${STAMP} not yet\n`),
        frame(1, `${later} new\n`),
      ]));
    const last = await streamLogs({ logs }, "c", false, { stdout: out, stderr: collector() }, {
      showTimestamps: false,
      follow: false,
      cursor,
    });
    assert.equal(out.text(), "not yet\nnew\n");
    assert.equal(last, later);
    assert.deepEqual([cursor.stamp, cursor.count], [later, 1]);
  });

  test("a cursor counts a run of equal stamps across chunks and reads", async () => {
    const cursor = new LogCursor();
    const read = async (chunks: Buffer[]) => {
      const out = collector();
      await streamLogs({ logs: () => Promise.resolve(source(chunks)) }, "c", false, {
        stdout: out,
        stderr: collector(),
      }, { showTimestamps: false, follow: false, cursor });
      return out.text();
    };
    // One entry per chunk (a PassThrough hands each write over on its own turn).
    assert.equal(await read([frame(1, `${STAMP} a\n`), frame(2, `${STAMP} b\n`)]), "a\n");
    assert.deepEqual([cursor.stamp, cursor.count], [STAMP, 2]);
    // Docker resends from `since` (inclusive): a, b again, then c at the same stamp.
    const again = [`${STAMP} a\n`, `${STAMP} b\n`, `${STAMP} c\n`].map((t, i) =>
      frame(i === 1 ? 2 : 1, t)
    );
    assert.equal(await read(again), "c\n");
    assert.deepEqual([cursor.stamp, cursor.count], [STAMP, 3]);
  });
});

describe("StampedRaw", () => {
  test("a line split by a chunk boundary continues unstamped; a cut stamp waits", () => {
    const raw = new StampedRaw();
    const a = raw.push(Buffer.from(`${STAMP} he`));
    const b = raw.push(Buffer.from(`llo\n2026-12-0`));
    const c = raw.push(Buffer.from(`4T10:00:00Z x\n`));
    const shape = (fs: { payload: Uint8Array; continued?: boolean }[]) =>
      fs.map((f) => [Buffer.from(f.payload).toString(), f.continued]);
    assert.deepEqual(shape(a), [[`${STAMP} he`, false]]);
    assert.deepEqual(shape(b), [["llo\n", true]]);
    assert.deepEqual(shape(c), [["2026-12-04T10:00:00Z x\n", false]]);
    assert.deepEqual(raw.end(), []);
  });
});
