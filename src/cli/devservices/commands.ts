// devservices' commands as data; each implementation is loaded when its command runs.

import type { DevCommand } from "./context.ts";

/**
 * A command on one optional SERVICE (the service of the current directory when left out), as
 * most of devservices' commands are.
 */
function onService(command: Omit<DevCommand, "args" | "positionals">): DevCommand {
  return { ...command, args: "[SERVICE]", positionals: [0, 1] };
}

export const DEV_COMMANDS: readonly DevCommand[] = [
  onService({
    name: "up",
    summary: "Bring up a service and its dependencies",
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
  }),
  onService({
    name: "down",
    summary: "Bring down a service and the dependencies nothing else needs",
    options: {
      "exclude-local": { type: "boolean", help: "leave dependencies running locally alone" },
    },
    run: async (ctx) => (await import("./down.ts")).down(ctx),
  }),
  onService({
    name: "status",
    summary: "Show a service's dependencies, containers and programs",
    options: { json: { type: "boolean", help: "as JSON" } },
    run: async (ctx) => (await import("./status.ts")).status(ctx),
  }),
  onService({
    name: "logs",
    summary: "Show the logs of a service's containers and programs",
    options: {
      tail: { type: "string", value: "N", help: "lines per container/program (default 100)" },
    },
    run: async (ctx) => (await import("./logs.ts")).logs(ctx),
  }),
  {
    name: "list-services",
    aliases: ["ls"],
    summary: "List the services in the code root",
    options: { all: { type: "boolean", short: "a", help: "every service, not only running ones" } },
    run: async (ctx) => (await import("./lists.ts")).listServices(ctx),
  },
  onService({
    name: "list-dependencies",
    summary: "List a service's dependencies",
    run: async (ctx) => (await import("./lists.ts")).listDependencies(ctx),
  }),
  {
    name: "toggle",
    summary: "Run a service locally or containerized",
    args: "[SERVICE] local|containerized",
    positionals: [0, 2],
    run: async (ctx) => (await import("./lists.ts")).toggle(ctx),
  },
  {
    name: "reset",
    summary: "Remove a compose service's containers and volumes",
    args: "SERVICE",
    positionals: [1, 1],
    run: async (ctx) => (await import("./reset.ts")).reset(ctx),
  },
  onService({
    name: "purge",
    summary: "Remove devservices' containers, volumes, network, cache and state",
    options: { yes: { type: "boolean", short: "y", help: "do not ask" } },
    run: async (ctx) => (await import("./reset.ts")).purge(ctx),
  }),
  {
    name: "serve",
    summary: "Run the devserver program in the foreground",
    args: "[ARGS…]",
    positionals: [0, Infinity],
    passThrough: true,
    run: async (ctx) => (await import("./programs.ts")).serve(ctx),
  },
  {
    name: "foreground",
    summary: "Take a supervised program into the foreground",
    args: "PROGRAM",
    positionals: [1, 1],
    run: async (ctx) => (await import("./programs.ts")).foreground(ctx),
  },
  {
    // The detached programs supervisor that `up` starts (not for users).
    name: "__supervise",
    summary: "",
    args: "DIR",
    positionals: [1, 1],
    hidden: true,
    run: async (ctx) => (await import("./programs.ts")).supervise(ctx),
  },
];
