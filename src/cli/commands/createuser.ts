// `sentryctl createuser --email E [--password P | --no-password] [--superuser] [--staff]`
// (Sentry's `sentry createuser`, SPEC §6).

import type { Command } from "../command.ts";
import { DATABASE_OPTION, openCommandStore } from "./store-context.ts";

export const createuserCommand: Command = {
  words: ["createuser"],
  summary: "Create a user (the email is the username) in the store",
  description: [
    "The password is stored in Django's pbkdf2_sha256 format, so Sentry accepts it. An existing",
    "user is left alone (exit 3) unless --force-update. --staff defaults to --superuser; a",
    "non-superuser is never staff.",
  ].join("\n"),
  options: {
    email: { type: "string", value: "EMAIL", help: "email address, also the username" },
    password: { type: "string", value: "PASSWORD", help: "the user's password" },
    "no-password": { type: "boolean", help: "create the user without a password" },
    superuser: { type: "boolean", help: "give superuser status" },
    staff: { type: "boolean", help: "give staff status (default: same as --superuser)" },
    "no-staff": { type: "boolean", help: "never give staff status" },
    "force-update": { type: "boolean", help: "overwrite the user when it already exists" },
    database: DATABASE_OPTION,
  },
  async run(ctx, args) {
    const v = args.values;
    const { createUser } = await import("../../store/user-actions.ts");
    const staff = v["no-staff"] ? false : v.staff ? true : undefined;
    const input = {
      email: v.email as string | undefined,
      password: v.password as string | undefined,
      noPassword: Boolean(v["no-password"]),
      superuser: Boolean(v.superuser),
      staff,
      forceUpdate: Boolean(v["force-update"]),
    };
    const { store } = await openCommandStore(ctx, v.database as string | undefined);
    try {
      const result = await createUser(store, input);
      for (const line of result.lines) ctx.inputs.stdout.write(`${line}\n`);
      return result.exitCode;
    } finally {
      await store.close();
    }
  },
};
