// `validate_snuba()` (only with DEBUG): search/tagstore/tsdb and the eventstream must agree on
// Snuba. Two fatal cases (features that need Snuba without a Snuba eventstream; an eventstream
// that is not Snuba) and one warning (Snuba eventstream, other backends), each with Sentry's big
// error box.

import { pyRepr, pyTruthy } from "../../lib/python.ts";
import type { Settings } from "../defaults.ts";

const SNUBA_SEARCH = [
  "sentry.search.snuba.EventsDatasetSnubaSearchBackend",
  "sentry.utils.services.ServiceDelegator",
];
const SNUBA_TAGSTORE = "sentry.tagstore.snuba.SnubaTagStorage";
const SNUBA_TSDB = [
  "sentry.tsdb.redissnuba.RedisSnubaTSDB",
  "sentry.utils.services.ServiceDelegator",
];
const SNUBA_EVENTSTREAMS = [
  "sentry.eventstream.snuba.SnubaEventStream",
  "sentry.eventstream.kafka.KafkaEventStream",
];

/** `sentry.features.requires_snuba`. */
export const REQUIRES_SNUBA = [
  "organizations:discover",
  "organizations:global-views",
  "organizations:incidents",
  "organizations:minute-resolution-sessions",
  "organizations:performance-view",
];

export interface SnubaCheck {
  /** The big-error box message, when there is one. */
  box?: string;
  /** The fatal ConfigurationError message, when the box is fatal. */
  fatal?: string;
}

function currentSettings(s: Settings): string {
  return [
    "Current settings:",
    "",
    `SENTRY_SEARCH = ${pyRepr(s.SENTRY_SEARCH)}`,
    `SENTRY_TAGSTORE = ${pyRepr(s.SENTRY_TAGSTORE)}`,
    `SENTRY_TSDB = ${pyRepr(s.SENTRY_TSDB)}`,
    `SENTRY_EVENTSTREAM = ${pyRepr(s.SENTRY_EVENTSTREAM)}`,
    "",
    "See: https://github.com/getsentry/snuba#sentry--snuba",
  ].join("\n");
}

export function checkSnuba(s: Settings): SnubaCheck {
  if (!pyTruthy(s.DEBUG)) return {};
  const backendsAreSnuba = SNUBA_SEARCH.includes(s.SENTRY_SEARCH as string) &&
    s.SENTRY_TAGSTORE === SNUBA_TAGSTORE && SNUBA_TSDB.includes(s.SENTRY_TSDB as string);
  const eventstreamIsSnuba = SNUBA_EVENTSTREAMS.includes(s.SENTRY_EVENTSTREAM as string);
  if (backendsAreSnuba && eventstreamIsSnuba) return {};

  const features = (s.SENTRY_FEATURES ?? {}) as Record<string, unknown>;
  const enabled = REQUIRES_SNUBA.filter((f) => pyTruthy(features[f]));
  if (enabled.length > 0 && !eventstreamIsSnuba) {
    return {
      box:
        "\nYou have features enabled which require Snuba,\nbut you don't have any Snuba compatible configuration.\n\nFeatures you have enabled:\n" +
        enabled.join("\n") + "\n\nSee: https://github.com/getsentry/snuba#sentry--snuba\n",
      fatal: "Cannot continue without Snuba configured.",
    };
  }
  if (!eventstreamIsSnuba) {
    return {
      box:
        "\nIt appears that you are requiring Snuba,\nbut your SENTRY_EVENTSTREAM is not compatible.\n\n" +
        currentSettings(s),
      fatal: "Cannot continue without Snuba configured correctly.",
    };
  }
  return {
    box:
      "\nYou are using a Snuba compatible eventstream\nwithout configuring search/tagstore/tsdb also to use Snuba.\nThis is probably not what you want.\n\n" +
      currentSettings(s),
  };
}
