// Shared by `createuser` and `permissions`: run the chain as far as Sentry's `@configuration`
// needs, select the store (--database > SENTRYCTL_DATABASE_URL > DATABASES from the user's
// settings file > SQLite in the state directory) and open it.

import { usageError } from "../../errors.ts";
import type { CommandContext, OptionSpec } from "../command.ts";
import type { Store } from "../../store/types.ts";

export const DATABASE_OPTION: OptionSpec = {
  type: "string",
  value: "URL",
  help: "postgres://USER:PASSWORD@HOST:PORT/DB (Sentry's tables) or sqlite:PATH " +
    "(default $SENTRYCTL_DATABASE_URL, DATABASES from your settings file, else <state dir>/sentryctl.db)",
};

export async function openCommandStore(
  ctx: CommandContext,
  flag: string | undefined,
): Promise<{ store: Store; settings: Record<string, unknown> }> {
  const state = await ctx.chain.throughLevel("validated");
  const { databaseFor } = await import("../../store/from-state.ts");
  const { openStore } = await import("../../store/open.ts");
  const target = databaseFor(state, ctx.inputs, flag);
  // Test hook (see tests/e2e/store-crash.test.ts): pause inside the add transaction.
  const pause = Number(ctx.inputs.env.SENTRYCTL_TEST_STORE_PAUSE_MS ?? 0);
  const store = await openStore(target, pause > 0 ? { pauseInTransactionMs: pause } : {});
  return { store, settings: state.settings };
}

export function required(value: unknown, short: string, long: string): string {
  if (typeof value === "string" && value !== "") return value;
  // Click's wording, sentryctl's usage exit code (2, as Click's).
  throw usageError(`Missing option '${short}' / '${long}'.`);
}
