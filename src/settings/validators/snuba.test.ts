import { test } from "node:test";
import assert from "node:assert/strict";
import { bigErrorLines } from "../warnings.ts";
import { checkSnuba } from "./snuba.ts";

const SNUBA = {
  DEBUG: true,
  SENTRY_SEARCH: "sentry.search.snuba.EventsDatasetSnubaSearchBackend",
  SENTRY_TAGSTORE: "sentry.tagstore.snuba.SnubaTagStorage",
  SENTRY_TSDB: "sentry.tsdb.redissnuba.RedisSnubaTSDB",
  SENTRY_EVENTSTREAM: "sentry.eventstream.kafka.KafkaEventStream",
  SENTRY_FEATURES: {},
};
const NOT_SNUBA_STREAM = { SENTRY_EVENTSTREAM: "sentry.eventstream.base.EventStream" };

// The boxes below are what Sentry's show_big_error prints for the same settings (generated
// with Python from initializer.py's texts), line by line.
const BOX_EVENTSTREAM = [
  "",
  "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
  "!!                                                                       !!",
  "!!                It appears that you are requiring Snuba,               !!",
  "!!             but your SENTRY_EVENTSTREAM is not compatible.            !!",
  "!!                                                                       !!",
  "!!                           Current settings:                           !!",
  "!!                                                                       !!",
  "!! SENTRY_SEARCH = 'sentry.search.snuba.EventsDatasetSnubaSearchBackend' !!",
  "!!       SENTRY_TAGSTORE = 'sentry.tagstore.snuba.SnubaTagStorage'       !!",
  "!!         SENTRY_TSDB = 'sentry.tsdb.redissnuba.RedisSnubaTSDB'         !!",
  "!!       SENTRY_EVENTSTREAM = 'sentry.eventstream.base.EventStream'      !!",
  "!!                                                                       !!",
  "!!         See: https://github.com/getsentry/snuba#sentry--snuba         !!",
  "!!                                                                       !!",
  "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
  "",
];
const BOX_BACKENDS = [
  "",
  "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
  "!!                                                                  !!",
  "!!           You are using a Snuba compatible eventstream           !!",
  "!!   without configuring search/tagstore/tsdb also to use Snuba.    !!",
  "!!               This is probably not what you want.                !!",
  "!!                                                                  !!",
  "!!                        Current settings:                         !!",
  "!!                                                                  !!",
  "!!    SENTRY_SEARCH = 'sentry.search.django.DjangoSearchBackend'    !!",
  "!!    SENTRY_TAGSTORE = 'sentry.tagstore.snuba.SnubaTagStorage'     !!",
  "!!           SENTRY_TSDB = 'sentry.tsdb.dummy.DummyTSDB'            !!",
  "!! SENTRY_EVENTSTREAM = 'sentry.eventstream.kafka.KafkaEventStream' !!",
  "!!                                                                  !!",
  "!!      See: https://github.com/getsentry/snuba#sentry--snuba       !!",
  "!!                                                                  !!",
  "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
  "",
];
const BOX_FEATURES = [
  "",
  "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
  "!!                                                        !!",
  "!!     You have features enabled which require Snuba,     !!",
  "!! but you don't have any Snuba compatible configuration. !!",
  "!!                                                        !!",
  "!!               Features you have enabled:               !!",
  "!!                 organizations:discover                 !!",
  "!!                organizations:incidents                 !!",
  "!!                                                        !!",
  "!! See: https://github.com/getsentry/snuba#sentry--snuba  !!",
  "!!                                                        !!",
  "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
  "",
];

// [case, settings overrides, expected box (undefined: none), expected fatal message]
const CASES: [string, Record<string, unknown>, string[] | undefined, string | undefined][] = [
  ["all Snuba: nothing to say", {}, undefined, undefined],
  [
    "ServiceDelegator search and tsdb count as Snuba",
    {
      SENTRY_SEARCH: "sentry.utils.services.ServiceDelegator",
      SENTRY_TSDB: "sentry.utils.services.ServiceDelegator",
      SENTRY_EVENTSTREAM: "sentry.eventstream.snuba.SnubaEventStream",
    },
    undefined,
    undefined,
  ],
  ["only with DEBUG", { DEBUG: false, ...NOT_SNUBA_STREAM }, undefined, undefined],
  [
    "eventstream not Snuba: fatal",
    NOT_SNUBA_STREAM,
    BOX_EVENTSTREAM,
    "Cannot continue without Snuba configured correctly.",
  ],
  [
    "features that need Snuba without a Snuba eventstream: fatal",
    {
      ...NOT_SNUBA_STREAM,
      SENTRY_FEATURES: {
        "organizations:discover": true,
        "organizations:global-views": false,
        "organizations:incidents": 1,
      },
    },
    BOX_FEATURES,
    "Cannot continue without Snuba configured.",
  ],
  [
    "Snuba eventstream, other backends: a warning only",
    {
      SENTRY_SEARCH: "sentry.search.django.DjangoSearchBackend",
      SENTRY_TSDB: "sentry.tsdb.dummy.DummyTSDB",
      SENTRY_FEATURES: { "organizations:discover": true },
    },
    BOX_BACKENDS,
    undefined,
  ],
];

for (const [name, overrides, box, fatal] of CASES) {
  test(`validate_snuba: ${name}`, () => {
    const result = checkSnuba({ ...SNUBA, ...overrides });
    assert.deepEqual(result.box === undefined ? undefined : bigErrorLines(result.box), box);
    assert.equal(result.fatal, fatal);
  });
}
