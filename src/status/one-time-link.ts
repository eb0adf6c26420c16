// The dashboard's one-time link code (SPEC §7): at most one code is valid at a time; it is
// exchanged once for a session cookie, and `sentryctl serve --link` asks the running server for a
// fresh one (which replaces any code not used yet), so a lost or used link needs no restart.

import { sameSecret } from "./security.ts";
import { newSecret } from "./token.ts";

export class OneTimeLink {
  #code: string | undefined;

  constructor(initial?: string) {
    this.#code = initial;
  }

  /** A new code; the previous one, if unused, stops working. */
  issue(): string {
    this.#code = newSecret(16);
    return this.#code;
  }

  /** True once for the current code; the code is spent by a successful redeem. */
  redeem(offered: string): boolean {
    if (this.#code === undefined || !sameSecret(offered, this.#code)) return false;
    this.#code = undefined;
    return true;
  }
}
