// Register ordering as Sentry's frame Context shows it (sentry-runner.md §8.3 step 10): by the
// device architecture's register index; names the map does not know (index -1) sort first, a
// leading `$` is ignored, and without a known architecture the input order is kept. Values can
// be shown in hex or decimal.

import { text } from "../values.ts";

const X86_64 = [
  "rax",
  "rdx",
  "rcx",
  "rbx",
  "rsi",
  "rdi",
  "rbp",
  "rsp",
  "r8",
  "r9",
  "r10",
  "r11",
  "r12",
  "r13",
  "r14",
  "r15",
  "rip",
  "rflags",
  "cs",
  "fs",
  "gs",
];
const X86 = ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "eip", "eflags"];
const ARM64 = [
  ...Array.from({ length: 29 }, (_, i) => `x${i}`),
  "fp",
  "lr",
  "sp",
  "pc",
  "cpsr",
];
const MIPS = [
  "zero",
  "at",
  "v0",
  "v1",
  "a0",
  "a1",
  "a2",
  "a3",
  "t0",
  "t1",
  "t2",
  "t3",
  "t4",
  "t5",
  "t6",
  "t7",
  "s0",
  "s1",
  "s2",
  "s3",
  "s4",
  "s5",
  "s6",
  "s7",
  "t8",
  "t9",
  "k0",
  "k1",
  "gp",
  "sp",
  "fp",
  "ra",
  "pc",
];
const PPC = [
  ...Array.from({ length: 32 }, (_, i) => `r${i}`),
  "srr0",
  "srr1",
  "cr",
  "xer",
  "lr",
  "ctr",
  "vrsave",
];

function index(names: string[]): Record<string, number> {
  return Object.fromEntries(names.map((n, i) => [n, i]));
}

const MAPS: [string, Record<string, number>][] = [
  ["x86_64", index(X86_64)],
  ["x86", index(X86)],
  ["arm64", index(ARM64)],
  // Sentry's UI uses the ARM64 map for every "arm…" architecture, too.
  ["arm", index(ARM64)],
  ["mips", index(MIPS)],
  ["ppc", index(PPC)],
];

export function registerMap(arch: string | undefined): Record<string, number> | undefined {
  if (!arch) return undefined;
  return MAPS.find(([prefix]) => arch.startsWith(prefix))?.[1];
}

/** Registers in display order, null values dropped. */
export function sortedRegisters(
  registers: Record<string, unknown>,
  arch: string | undefined,
): [string, string][] {
  const entries = Object.entries(registers)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => [k, text(v)] as [string, string]);
  const map = registerMap(arch);
  if (!map) return entries;
  const at = (name: string) => map[name.replace(/^\$/, "").toLowerCase()] ?? -1;
  return entries.sort((a, b) => at(a[0]) - at(b[0]));
}

/** Both notations of a register value; undefined when the value is not a number. */
export function registerNotations(value: string): { hex: string; dec: string } | undefined {
  const v = value.trim();
  try {
    if (/^0x[0-9a-f]+$/i.test(v)) {
      const n = BigInt(v);
      return { hex: `0x${n.toString(16).padStart(v.length - 2, "0")}`, dec: n.toString(10) };
    }
    if (/^\d+$/.test(v)) {
      const n = BigInt(v);
      return { hex: `0x${n.toString(16).padStart(16, "0")}`, dec: n.toString(10) };
    }
  } catch {
    // fall through: not a number
  }
  return undefined;
}
