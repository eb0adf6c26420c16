// Which services `with` starts, in which waves: the named ones plus everything they depend on
// (transitively), dependencies first; services of one wave start together. Pure.

import { SentryctlError } from "../errors.ts";

export function startWaves(
  requested: readonly string[],
  dependsOn: (name: string) => readonly string[] | undefined,
): string[][] {
  const level = new Map<string, number>();
  const visiting = new Set<string>();
  const visit = (name: string, path: string[]): number => {
    const known = level.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name)) {
      throw new SentryctlError(
        "configuration",
        `services depend on each other in a circle: ${[...path, name].join(" → ")}`,
      );
    }
    visiting.add(name);
    let mine = 0;
    for (const dep of dependsOn(name) ?? []) mine = Math.max(mine, visit(dep, [...path, name]) + 1);
    visiting.delete(name);
    level.set(name, mine);
    return mine;
  };
  for (const name of requested) visit(name, []);
  const waves: string[][] = [];
  for (const [name, l] of level) (waves[l] ??= []).push(name);
  return waves.map((w) => w.sort());
}
