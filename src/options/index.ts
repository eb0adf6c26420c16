// The options module: Sentry's option registry and manager. Importing it registers every option,
// in Sentry's order (core first, then the integrations and sentryctl's own).

import "./defaults-core.ts";
import "./defaults-integrations.ts";

export {
  defaultFor,
  FLAG_CREDENTIAL,
  FLAG_NAMES,
  FLAG_STOREONLY,
  type OptionDef,
  OPTIONS,
} from "./registry.ts";
export {
  defaultOptions,
  getOption,
  lookupOption,
  OptionValidationError,
  validateOptions,
} from "./manager.ts";
export { InvalidTypeError, type OptionType } from "./types.ts";
