import { test } from "node:test";
import assert from "node:assert/strict";
import { chunkedDecoder, RawBody } from "./raw-stream.ts";

const enc = (s: string) => Buffer.from(s, "latin1");

function decodeAll(pieces: string[]): { out: string; ended: boolean } {
  let out = "";
  let ended = false;
  const push = chunkedDecoder((d) => (out += d.toString("latin1")), () => (ended = true));
  for (const p of pieces) push(enc(p));
  return { out, ended };
}

test("chunked bodies are decoded, with the final zero chunk ending the stream", () => {
  assert.deepEqual(decodeAll(["5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"]), {
    out: "hello world",
    ended: true,
  });
});

test("chunk sizes, payloads and CRLFs split anywhere across socket reads", () => {
  const whole = "a\r\n0123456789\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\n\r\n";
  for (let cut = 1; cut < whole.length; cut++) {
    const r = decodeAll([whole.slice(0, cut), whole.slice(cut)]);
    assert.equal(r.out, "0123456789abcdefghijklmnopqrstuvwxyz", `cut at ${cut}`);
    assert.equal(r.ended, true);
  }
  const bytewise = decodeAll([...whole]);
  assert.equal(bytewise.out, "0123456789abcdefghijklmnopqrstuvwxyz");
});

test("chunk extensions after ';' are ignored; sizes are hexadecimal", () => {
  assert.equal(
    decodeAll(["10;name=x\r\n", "0123456789abcdef\r\n", "0\r\n\r\n"]).out,
    "0123456789abcdef",
  );
});

test("a RawBody can be read with for await, including data pushed before the reader", async () => {
  const body = new RawBody();
  body.push(enc("early "));
  const reading = (async () => {
    let text = "";
    for await (const chunk of body) text += chunk.toString("latin1");
    return text;
  })();
  await new Promise((r) => setTimeout(r, 5));
  body.push(enc("late"));
  body.finish();
  assert.equal(await reading, "early late");
});
