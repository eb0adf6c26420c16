// `sentryctl permissions add|remove|list -u USER [-p PERM]` (Sentry's `sentry permissions`,
// "Manage Permissions for Users.", SPEC §6). Messages are Sentry's; see src/store/users.ts for
// how USER is looked up.

import type { Command, CommandContext, OptionSpec, ParsedArgs } from "../command.ts";
import { DATABASE_OPTION, openCommandStore, required } from "./store-context.ts";

const USER: OptionSpec = {
  type: "string",
  short: "u",
  value: "USER",
  help: "username (ignoring case) or email (required)",
};
const PERMISSION: OptionSpec = {
  type: "string",
  short: "p",
  value: "PERM",
  help: "permission name, e.g. users.admin (required)",
};

type Action = "add" | "remove" | "list";

async function runAction(ctx: CommandContext, args: ParsedArgs, action: Action): Promise<number> {
  const user = required(args.values.user, "-u", "--user");
  const perm = action === "list" ? "" : required(args.values.permission, "-p", "--permission");
  const actions = await import("../../store/permission-actions.ts");
  const { store, settings } = await openCommandStore(
    ctx,
    args.values.database as string | undefined,
  );
  try {
    const known = (settings.SENTRY_USER_PERMISSIONS as string[] | undefined) ?? [];
    const result = action === "add"
      ? await actions.addPermission(store, user, perm, known)
      : action === "remove"
      ? await actions.removePermission(store, user, perm)
      : await actions.listPermissions(store, user);
    for (const w of result.warnings) ctx.inputs.stderr.write(`warning: ${w}\n`);
    ctx.inputs.stdout.write(result.lines.map((l) => `${l}\n`).join(""));
    return 0;
  } finally {
    await store.close();
  }
}

export const permissionsAddCommand: Command = {
  words: ["permissions", "add"],
  summary: "Add a permission to a user",
  description: "The user must be a superuser. Adding one it already has says so and exits 0.",
  options: { user: USER, permission: PERMISSION, database: DATABASE_OPTION },
  run: (ctx, args) => runAction(ctx, args, "add"),
};

export const permissionsRemoveCommand: Command = {
  words: ["permissions", "remove"],
  summary: "Remove a permission from a user",
  options: { user: USER, permission: PERMISSION, database: DATABASE_OPTION },
  run: (ctx, args) => runAction(ctx, args, "remove"),
};

export const permissionsListCommand: Command = {
  words: ["permissions", "list"],
  summary: "List permissions for a user",
  options: { user: USER, database: DATABASE_OPTION },
  run: (ctx, args) => runAction(ctx, args, "list"),
};

export const PERMISSIONS_COMMANDS: readonly Command[] = [
  permissionsAddCommand,
  permissionsRemoveCommand,
  permissionsListCommand,
];
