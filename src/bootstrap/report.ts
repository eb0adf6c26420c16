// How chain steps tell the user about non-fatal problems, on stderr: plain warnings, Sentry's
// deprecation warnings (once each) and `show_big_error` boxes (red on a terminal).

import { colorEnabled, paint } from "../runtime/terminal.ts";
import { formatOrigin, type Origin } from "../settings/origins.ts";
import {
  bigErrorLines,
  type DeprecatedSetting,
  deprecatedSettingText,
} from "../settings/warnings.ts";
import type { ChainInput, ChainState } from "./types.ts";

/** The chain's warning channel (progress of Docker work is orchestrator/reporter.ts). */
export interface Warnings {
  /** A line as is (e.g. `* Unknown config option found: 'x'`). */
  line(text: string): void;
  /** `<where>: DeprecatedSettingWarning: The X setting is deprecated. …`, once per text. */
  deprecated(w: DeprecatedSetting, origin?: Origin): void;
  /** `<where>: UserWarning: …`, once per text. */
  userWarning(text: string): void;
  bigError(message: string | readonly string[]): void;
}

export function reporter(state: ChainState, input: ChainInput): Warnings {
  const write = (text: string) => input.inputs.stderr.write(text);
  const once = (text: string) => {
    if (state.seenWarnings.has(text)) return;
    state.seenWarnings.add(text);
    state.warnings.push(text);
    write(`${text}\n`);
  };
  return {
    line(text) {
      state.warnings.push(text);
      write(`${text}\n`);
    },
    deprecated(w, origin) {
      const where = origin ? `${formatOrigin(origin)}: ` : "";
      once(`${where}DeprecatedSettingWarning: ${deprecatedSettingText(w)}`);
    },
    userWarning(text) {
      once(`UserWarning: ${text}`);
    },
    bigError(message) {
      const red = colorEnabled(input.inputs, "stderr");
      const lines = bigErrorLines(message);
      state.warnings.push(lines.join("\n"));
      write(
        lines.map((l, i) => (i === 0 || i === lines.length - 1 ? l : paint(red, "red", l))).join(
          "\n",
        ) + "\n",
      );
    },
  };
}
