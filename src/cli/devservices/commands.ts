// devservices' commands as data; each implementation is loaded when its command runs.

import type { DevCommand } from "./context.ts";

const SERVICE = "[SERVICE]";

export const DEV_COMMANDS: readonly DevCommand[] = [
  {
    name: "up",
    summary: "Bring up a service and its dependencies",
    args: SERVICE,
    positionals: [0, 1],
    options: {
      mode: { type: "string", value: "MODE", default: "default", help: "mode to use" },
      "exclude-local": {
        type: "boolean",
        help: "leave out dependencies set to run locally",
      },
      "dry-run": { type: "boolean", help: "print the plan, change nothing" },
      json: { type: "boolean", help: "with --dry-run: the plan as JSON" },
      offline: { type: "boolean", help: "never fetch remote dependencies; use the cache" },
    },
    run: async (ctx) => (await import("./up.ts")).up(ctx),
  },
  {
    name: "list-services",
    aliases: ["ls"],
    summary: "List the services in the code root",
    options: { all: { type: "boolean", short: "a", help: "every service, not only running ones" } },
    run: async (ctx) => (await import("./lists.ts")).listServices(ctx),
  },
  {
    name: "list-dependencies",
    summary: "List a service's dependencies",
    args: SERVICE,
    positionals: [0, 1],
    run: async (ctx) => (await import("./lists.ts")).listDependencies(ctx),
  },
  {
    name: "toggle",
    summary: "Run a service locally or containerized",
    args: "[SERVICE] local|containerized",
    positionals: [0, 2],
    run: async (ctx) => (await import("./lists.ts")).toggle(ctx),
  },
];
