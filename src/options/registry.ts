// The options registry: every option `config.yml` may hold, with its type, default and flags,
// registered with the rules of Sentry's `OptionsManager.register` (type inferred from the
// default, `None` defaults read as "", booleans are always allowed to be empty).

import { Any, type OptionType, typeFromValue } from "./types.ts";

export const DEFAULT_FLAGS = 1 << 0;
/** Value can't be changed at runtime. */
export const FLAG_IMMUTABLE = 1 << 1;
/** Don't check/set in the datastore: the option only exists from file. */
export const FLAG_NOSTORE = 1 << 2;
/** Only exists in the datastore; never loaded from config files. */
export const FLAG_STOREONLY = 1 << 3;
/** Must be defined for setup to be considered complete. */
export const FLAG_REQUIRED = 1 << 4;
/** A value on disk wins and cannot be changed from the UI. */
export const FLAG_PRIORITIZE_DISK = 1 << 5;
/** May be empty and still be valid. */
export const FLAG_ALLOW_EMPTY = 1 << 6;
/** A credential: never shown (sentryctl redacts it in `config show`). */
export const FLAG_CREDENTIAL = 1 << 7;
/** Meant to be changed live by an automator. */
export const FLAG_AUTOMATOR_MODIFIABLE = 1 << 11;

export const FLAG_NAMES: readonly [number, string][] = [
  [FLAG_IMMUTABLE, "immutable"],
  [FLAG_NOSTORE, "file-only"],
  [FLAG_STOREONLY, "store-only"],
  [FLAG_REQUIRED, "required"],
  [FLAG_PRIORITIZE_DISK, "prioritize-disk"],
  [FLAG_ALLOW_EMPTY, "allow-empty"],
  [FLAG_CREDENTIAL, "credential"],
  [FLAG_AUTOMATOR_MODIFIABLE, "automator"],
];

export interface OptionDef {
  readonly key: string;
  readonly type: OptionType;
  readonly default: unknown;
  readonly flags: number;
  /** An environment variable that supplies the default (read per process, never cached). */
  readonly env?: string;
  readonly description: string;
}

export interface Registration {
  default?: unknown;
  type?: OptionType;
  flags?: number;
  env?: string;
  description: string;
}

export class OptionsRegistry {
  readonly #options = new Map<string, OptionDef>();

  register(key: string, spec: Registration): void {
    if (this.#options.has(key)) throw new Error(`Option already registered: '${key}'`);
    if (key.length > 128) throw new Error("Option key has max length of 128 characters");
    let value: unknown = spec.default ?? null;
    let type = spec.type;
    if (!type) {
      // No type and no default: assume str, as Sentry does.
      if (value === null) value = "";
      type = typeFromValue(value);
    }
    if (value === null) value = type.empty();
    let flags = spec.flags ?? DEFAULT_FLAGS;
    if (value === true || value === false) flags |= FLAG_ALLOW_EMPTY;
    this.#options.set(key, {
      key,
      type,
      default: value,
      flags,
      env: spec.env,
      description: spec.description,
    });
  }

  get(key: string): OptionDef | undefined {
    return this.#options.get(key);
  }

  /** In registration order (which is also the order defaults are promoted in). */
  all(): OptionDef[] {
    return [...this.#options.values()];
  }

  keys(): string[] {
    return [...this.#options.keys()];
  }
}

/** The default of an option for this process: its env variable when set, else the registered one. */
export function defaultFor(def: OptionDef, env: Record<string, string | undefined>): unknown {
  if (def.env !== undefined) {
    const fromEnv = env[def.env];
    if (fromEnv !== undefined) return fromEnv;
  }
  return structuredClone(def.default);
}

/** Legacy ad-hoc keys (`sentry:…`, `getsentry:…`) are accepted with any type, never "unknown". */
export function legacyDef(key: string): OptionDef | undefined {
  if (!key.startsWith("sentry:") && !key.startsWith("getsentry:")) return undefined;
  return { key, type: Any, default: "", flags: DEFAULT_FLAGS, description: "legacy key" };
}

/** The process-wide registry; `defaults-*.ts` fill it (imported in order by `index.ts`). */
export const OPTIONS = new OptionsRegistry();
