// A minimal ustar writer: regular files and their parent directories, enough to hand config
// files to the engine's archive API (`PUT /containers/{id}/archive`). Pure, no streaming: the
// files it carries are small. Paths longer than ustar's 100+155 bytes are refused.

import { concatBytes } from "./bytes.ts";

export interface TarFile {
  /** Path inside the archive, `/`-separated; a leading `/` is dropped. */
  path: string;
  content: string | Uint8Array;
  /** Permission bits, default 0o644. */
  mode?: number;
}

const BLOCK = 512;
const encoder = new TextEncoder();

function octal(value: number, width: number): string {
  // width-1 digits, then NUL: the form GNU tar and Docker both read.
  return value.toString(8).padStart(width - 1, "0") + "\0";
}

function writeString(block: Uint8Array, offset: number, width: number, text: string): void {
  const bytes = encoder.encode(text);
  if (bytes.length > width) throw new Error(`tar: field too long: ${text}`);
  block.set(bytes, offset);
}

/** Splits a long path into ustar's prefix (≤155 bytes) and name (≤100 bytes). */
function splitPath(path: string): { prefix: string; name: string } {
  if (encoder.encode(path).length <= 100) return { prefix: "", name: path };
  for (let i = path.indexOf("/"); i >= 0; i = path.indexOf("/", i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (encoder.encode(prefix).length <= 155 && encoder.encode(name).length <= 100) {
      return { prefix, name };
    }
  }
  throw new Error(`tar: path too long for ustar: ${path}`);
}

function header(path: string, size: number, mode: number, type: "0" | "5", mtime: number) {
  const block = new Uint8Array(BLOCK);
  const { prefix, name } = splitPath(path);
  writeString(block, 0, 100, name);
  writeString(block, 100, 8, octal(mode & 0o7777, 8));
  writeString(block, 108, 8, octal(0, 8)); // uid
  writeString(block, 116, 8, octal(0, 8)); // gid
  writeString(block, 124, 12, octal(size, 12));
  writeString(block, 136, 12, octal(mtime, 12));
  writeString(block, 148, 8, "        "); // checksum is computed over spaces here
  writeString(block, 156, 1, type);
  writeString(block, 257, 6, "ustar\0");
  writeString(block, 263, 2, "00");
  writeString(block, 345, 155, prefix);
  let sum = 0;
  for (const byte of block) sum += byte;
  writeString(block, 148, 8, sum.toString(8).padStart(6, "0") + "\0 ");
  return block;
}

function normalize(path: string): string {
  const parts = path.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.length === 0 || parts.includes("..")) throw new Error(`tar: bad path: ${path}`);
  return parts.join("/");
}

/** The archive bytes: each file preceded by headers for its not-yet-seen parent directories. */
export function createTar(files: readonly TarFile[], mtime = 0): Uint8Array {
  const chunks: Uint8Array[] = [];
  const dirs = new Set<string>();
  for (const file of files) {
    const path = normalize(file.path);
    const parts = path.split("/");
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join("/");
      if (dirs.has(dir)) continue;
      dirs.add(dir);
      chunks.push(header(`${dir}/`, 0, 0o755, "5", mtime));
    }
    const data = typeof file.content === "string" ? encoder.encode(file.content) : file.content;
    chunks.push(header(path, data.length, file.mode ?? 0o644, "0", mtime));
    chunks.push(data);
    const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
    if (pad > 0) chunks.push(new Uint8Array(pad));
  }
  chunks.push(new Uint8Array(BLOCK * 2)); // end of archive
  return concatBytes(chunks);
}
