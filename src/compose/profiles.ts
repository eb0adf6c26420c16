// Which services a run includes (compose's profiles): those without `profiles`, those with an
// active profile (`*` activates all), and every service named on the command line — each with
// the services it depends on, so a named or enabled service never starts without them.

import type { ServiceConfig } from "./types.ts";

export function activeProfiles(
  given: readonly string[] | undefined,
  composeProfiles: string | undefined,
): string[] {
  const list = given && given.length > 0 ? given : (composeProfiles ?? "").split(",");
  return [...new Set(list.map((p) => p.trim()).filter((p) => p !== ""))];
}

export function selectServices(
  services: Record<string, ServiceConfig>,
  profiles: readonly string[],
  named: readonly string[] = [],
): Set<string> {
  const all = profiles.includes("*");
  const chosen = new Set<string>();
  const queue: string[] = [];
  const add = (name: string) => {
    if (chosen.has(name) || !Object.hasOwn(services, name)) return;
    chosen.add(name);
    queue.push(name);
  };
  for (const [name, service] of Object.entries(services)) {
    const own = service.profiles ?? [];
    if (own.length === 0 || all || own.some((p) => profiles.includes(p))) add(name);
  }
  for (const name of named) add(name);
  while (queue.length > 0) {
    for (const dep of Object.keys(services[queue.pop()!]!.depends_on ?? {})) add(dep);
  }
  return chosen;
}
