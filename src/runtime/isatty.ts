// Whether a file descriptor is a terminal, without loading node:tty. Loading it builds the
// runtime's stream classes (tty.WriteStream extends net.Socket): 10–20 ms of a short command's
// start-up under Bun. A pipe, a file or /dev/null is told apart by one fstat; on Linux the
// terminals themselves by their device numbers (virtual consoles 4, /dev/tty 5, ptys 136–143).
// Whatever else is a character device is left to node:tty's answer.

import { fstatSync } from "node:fs";

const LINUX_TTY_MAJORS = new Set([4, 5, 136, 137, 138, 139, 140, 141, 142, 143]);
/** Linux's memory devices: /dev/null, /dev/zero, /dev/full, /dev/random… */
const LINUX_MEM_MAJOR = 1;

export function isTerminal(fd: number): boolean {
  let stat;
  try {
    stat = fstatSync(fd);
  } catch {
    return false; // closed descriptor
  }
  if (!stat.isCharacterDevice()) return false;
  if (process.platform === "linux") {
    const major = ((stat.rdev >>> 8) & 0xfff) | (Math.floor(stat.rdev / 2 ** 32) & ~0xfff);
    if (LINUX_TTY_MAJORS.has(major)) return true;
    if (major === LINUX_MEM_MAJOR) return false;
  }
  const tty = process.getBuiltinModule("node:tty");
  return tty.isatty(fd);
}
