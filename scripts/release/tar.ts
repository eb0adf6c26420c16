// A deterministic .tar.gz writer for release archives. Written here rather than shelling out to
// `tar`, because GNU tar and macOS's bsdtar disagree on the flags that pin mtime, owner and order,
// and a release must give the same bytes on every run: entries in the given order, one fixed
// mtime, uid/gid 0 with no user names, POSIX ustar headers, and a gzip header without name or
// timestamp (node:zlib writes mtime 0).

import { gzipSync } from "node:zlib";

export interface TarEntry {
  /** Path inside the archive (≤ 100 bytes; ours are flat file names). */
  name: string;
  /** Permission bits, e.g. 0o755. */
  mode: number;
  data: Uint8Array;
}

const BLOCK = 512;

function octal(value: number, width: number): string {
  // Field = (width - 1) octal digits, zero-padded, then a NUL.
  const digits = value.toString(8);
  if (digits.length > width - 1) throw new Error(`tar: ${value} does not fit ${width} bytes`);
  return digits.padStart(width - 1, "0") + "\0";
}

function header(entry: TarEntry, mtime: number): Uint8Array {
  const name = new TextEncoder().encode(entry.name);
  if (name.length > 100) throw new Error(`tar: name too long: ${entry.name}`);
  const h = new Uint8Array(BLOCK);
  const put = (offset: number, text: string) => h.set(new TextEncoder().encode(text), offset);
  h.set(name, 0);
  put(100, octal(entry.mode, 8));
  put(108, octal(0, 8)); // uid
  put(116, octal(0, 8)); // gid
  put(124, octal(entry.data.length, 12));
  put(136, octal(mtime, 12));
  put(148, "        "); // checksum field counts as spaces while summing
  put(156, "0"); // regular file
  put(257, "ustar\0");
  put(263, "00");
  put(329, octal(0, 8)); // devmajor
  put(337, octal(0, 8)); // devminor
  let sum = 0;
  for (const b of h) sum += b;
  put(148, sum.toString(8).padStart(6, "0") + "\0 ");
  return h;
}

/** The uncompressed tar stream: header + data padded to 512 per entry, then two zero blocks. */
export function tar(entries: readonly TarEntry[], mtime: number): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const entry of entries) {
    parts.push(header(entry, mtime), entry.data);
    const pad = (BLOCK - (entry.data.length % BLOCK)) % BLOCK;
    if (pad) parts.push(new Uint8Array(pad));
  }
  parts.push(new Uint8Array(2 * BLOCK));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function tarGz(entries: readonly TarEntry[], mtime: number): Uint8Array {
  return gzipSync(tar(entries, mtime), { level: 6 });
}
