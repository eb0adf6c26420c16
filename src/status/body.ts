// Reading an ingest body: size-limited before and after decompression, so neither a large
// upload nor a small "zip bomb" can make the server hold more than the limit in memory.

import zlib from "node:zlib";
import { concatBytes } from "../lib/bytes.ts";
import { MalformedInput, TooLarge } from "./envelope.ts";

/** Reads a request body, refusing (TooLarge) as soon as it passes `limit` bytes. */
export async function readLimited(request: Request, limit: number): Promise<Uint8Array> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) {
    throw new TooLarge(`body of ${declared} bytes is larger than the limit of ${limit} bytes`);
  }
  // A declared length within the limit is all the server will read for this request (HTTP
  // framing), so the runtime's native read is safe, and it is several times cheaper per request
  // than pulling chunks through a ReadableStream reader. Chunked bodies are counted as they come.
  // `request.body` is not touched on this path: under Bun that makes the body a stream object
  // first (~10 µs of the server's CPU per request, measured).
  if (declared !== null && /^\d+$/.test(declared)) {
    return new Uint8Array(await request.arrayBuffer());
  }
  if (!request.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      throw new TooLarge(`body is larger than the limit of ${limit} bytes`);
    }
    chunks.push(value);
  }
  return concatBytes(chunks);
}

type Decoder = () => zlib.Gunzip | zlib.Inflate | zlib.InflateRaw | zlib.BrotliDecompress;

const DECODERS: Record<string, Decoder> = {
  gzip: () => zlib.createGunzip(),
  "x-gzip": () => zlib.createGunzip(),
  deflate: () => zlib.createInflate(),
  br: () => zlib.createBrotliDecompress(),
};

/** Undoes `Content-Encoding` (gzip, deflate, br; identity passes through) within `limit`. */
export async function decodeBody(
  body: Uint8Array,
  encoding: string | null,
  limit: number,
): Promise<Uint8Array> {
  const name = (encoding ?? "").trim().toLowerCase();
  if (name === "" || name === "identity") return body;
  const make = DECODERS[name];
  if (!make) throw new MalformedInput(`unsupported Content-Encoding '${name}'`);
  try {
    return await inflate(make(), body, limit);
  } catch (err) {
    // Some clients send raw deflate (no zlib header) as "deflate"; accept both forms.
    if (name === "deflate" && err instanceof MalformedInput) {
      return await inflate(zlib.createInflateRaw(), body, limit);
    }
    throw err;
  }
}

function inflate(
  stream: zlib.Gunzip | zlib.Inflate | zlib.InflateRaw | zlib.BrotliDecompress,
  input: Uint8Array,
  limit: number,
): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let total = 0;
    let settled = false;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      stream.destroy();
      reject(err);
    };
    stream.on("data", (chunk: Uint8Array) => {
      total += chunk.length;
      if (total > limit) {
        fail(new TooLarge(`decompressed body is larger than the limit of ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    stream.on(
      "error",
      (err) => fail(new MalformedInput(`body could not be decompressed: ${err.message}`)),
    );
    stream.on("end", () => {
      if (settled) return;
      settled = true;
      resolve(concatBytes(chunks));
    });
    stream.end(input);
  });
}
