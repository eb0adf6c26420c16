// Config files that relay, symbolicator, clickhouse and chartcuterie need (Sentry bind-mounts
// them from its checkout). sentryctl ships defaults inside the binary, writes them to the state
// directory's `devservices/<service>/` on first use (never over an existing file), and lists what
// is there as `files` on the resolved service, with container paths, for the engine to copy into
// the created container before it starts (SPEC §3: no bind mounts, so remote engines work).
//
// A directory the user named in a setting (RELAY_CONFIG_DIR…) is read as it is; defaults are
// only ever written under `SENTRYCTL_STATE_DIR/devservices/`.

import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  writeSync,
} from "node:fs";
import { join, relative, sep } from "node:path";
import { configError } from "../errors.ts";
import { CHARTCUTERIE_CONFIG_JS } from "./config-files/chartcuterie.ts";
import {
  CLICKHOUSE_DIST_CONFIG_XML,
  CLICKHOUSE_LOC_CONFIG_XML,
} from "./config-files/clickhouse.ts";
import { RELAY_CONFIG_YML, relayCredentialsJson } from "./config-files/relay.ts";
import { SYMBOLICATOR_CONFIG_YML } from "./config-files/symbolicator.ts";

/** A file to put into a container: `path` is absolute inside the container. */
export interface ConfigFile {
  path: string;
  content: string | Uint8Array;
  mode?: number;
}

type Settings = Record<string, unknown>;

interface DefaultFile {
  name: string;
  content: () => string;
  /** Mode of the copy in the state directory (the credentials are owner-only there). */
  hostMode?: number;
}

interface ServiceFiles {
  /** The host directory, from settings ("" when none is configured). */
  dir(settings: Settings): string;
  /** The setting that names the directory, for messages. */
  setting: string;
  defaults: readonly DefaultFile[];
  /** Host file (relative to the directory) → container path; undefined: every file, under `mount`. */
  pick?(settings: Settings): Record<string, string>;
  mount?: string;
}

const str = (v: unknown) => (typeof v === "string" ? v : "");

/** The four services and their files (Sentry's `config/<service>/` layout). */
export const SERVICE_FILES: Readonly<Record<string, ServiceFiles>> = {
  relay: {
    dir: (s) => str(s.RELAY_CONFIG_DIR),
    setting: "RELAY_CONFIG_DIR",
    defaults: [
      { name: "config.yml", content: () => RELAY_CONFIG_YML },
      { name: "credentials.json", content: relayCredentialsJson, hostMode: 0o600 },
    ],
    mount: "/etc/relay",
  },
  symbolicator: {
    dir: (s) => str(s.SYMBOLICATOR_CONFIG_DIR),
    setting: "SYMBOLICATOR_CONFIG_DIR",
    defaults: [{ name: "config.yml", content: () => SYMBOLICATOR_CONFIG_YML }],
    mount: "/etc/symbolicator",
  },
  chartcuterie: {
    dir: (s) => str(s.CHARTCUTERIE_CONFIG_DIR),
    setting: "CHARTCUTERIE_CONFIG_DIR",
    defaults: [{ name: "config.js", content: () => CHARTCUTERIE_CONFIG_JS }],
    mount: "/etc/chartcuterie",
  },
  clickhouse: {
    dir: (
      s,
    ) => (str(s.DEVSERVICES_CONFIG_DIR) ? join(str(s.DEVSERVICES_CONFIG_DIR), "clickhouse") : ""),
    setting: "DEVSERVICES_CONFIG_DIR",
    defaults: [
      { name: "loc_config.xml", content: () => CLICKHOUSE_LOC_CONFIG_XML },
      { name: "dist_config.xml", content: () => CLICKHOUSE_DIST_CONFIG_XML },
    ],
    // Sentry mounts one of the two as the server's `config.d/sentry.xml`.
    pick: (s) => ({
      [s.SENTRY_DISTRIBUTED_CLICKHOUSE_TABLES ? "dist_config.xml" : "loc_config.xml"]:
        "/etc/clickhouse-server/config.d/sentry.xml",
    }),
  },
};

/** Readable by any user in the container (relay and symbolicator do not run as root). */
export const DELIVERED_MODE = 0o644;
const MAX_FILES = 64;
const MAX_BYTES = 4 * 1024 * 1024;
/** Text files get `{containers[x][name]}` rendered; anything else is copied byte for byte. */
const TEXT = /\.(ya?ml|json|js|xml|toml|conf|txt)$/;

/**
 * The files to deliver for one service, or undefined for a service without config files.
 * `render` fills `{containers[x][name]}` templates (resolve.ts supplies it).
 */
export function configFilesFor(
  service: string,
  settings: Settings,
  render: (text: string) => string,
  write = true,
): ConfigFile[] | undefined {
  const spec = SERVICE_FILES[service];
  if (!spec) return undefined;
  const dir = spec.dir(settings);
  // No directory configured (a bare resolve, as in tests): the embedded defaults, nothing written.
  const sources = dir ? readDir(dir, spec, settings, write) : embedded(spec);
  const out: ConfigFile[] = [];
  const picked = spec.pick?.(settings);
  for (const [name, bytes] of sources) {
    const target = picked ? picked[name] : `${spec.mount}/${name.split(sep).join("/")}`;
    if (!target) continue;
    const content = TEXT.test(name) ? render(new TextDecoder().decode(bytes)) : bytes;
    out.push({ path: target, content, mode: DELIVERED_MODE });
  }
  if (picked) {
    for (const name of Object.keys(picked)) {
      if (!sources.has(name)) {
        throw configError(`${join(dir, name)} is missing`, {
          hint: `${spec.setting} names ${dir}; put ${name} there, or unset ${spec.setting}`,
        });
      }
    }
  }
  return out;
}

function embedded(spec: ServiceFiles): Map<string, Uint8Array> {
  return new Map(spec.defaults.map((f) => [f.name, new TextEncoder().encode(f.content())]));
}

/**
 * Writes the missing defaults when the directory is ours and `write` is set (a command that
 * creates containers); then reads every regular file. Without `write` (down, ps, doctor, …)
 * nothing is written: the missing defaults are taken from the embedded copies.
 */
function readDir(
  dir: string,
  spec: ServiceFiles,
  settings: Settings,
  write: boolean,
): Map<string, Uint8Array> {
  const stateDir = str(settings.SENTRYCTL_STATE_DIR);
  const ours = stateDir !== "" && isInside(dir, join(stateDir, "devservices"));
  if (ours && write) writeDefaults(dir, spec, stateDir);
  if (ours && !write && !existsSync(dir)) return embedded(spec);
  let names: string[];
  try {
    names = listFiles(dir);
  } catch (err) {
    throw configError(`cannot read ${dir}: ${(err as Error).message}`, {
      hint: `${spec.setting} names this directory; create it or unset ${spec.setting}`,
    });
  }
  const files = new Map<string, Uint8Array>();
  let total = 0;
  for (const name of names) {
    const bytes = readFileSync(join(dir, name));
    total += bytes.length;
    if (files.size >= MAX_FILES || total > MAX_BYTES) {
      throw configError(
        `${dir} holds more than ${MAX_FILES} files or ${MAX_BYTES / 1024 / 1024} MiB`,
        { hint: "only config files belong in a service's config directory" },
      );
    }
    files.set(name, bytes);
  }
  if (ours && !write) {
    for (const [name, bytes] of embedded(spec)) if (!files.has(name)) files.set(name, bytes);
  }
  return files;
}

function isInside(path: string, parent: string): boolean {
  const rel = relative(parent, path);
  return rel !== "" && !rel.startsWith("..") && !rel.startsWith(sep);
}

/** Creates the state directory owner-only, then each missing default file (never replaced). */
function writeDefaults(dir: string, spec: ServiceFiles, stateDir: string): void {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const file of spec.defaults) {
    let fd: number;
    try {
      // "wx": fails if the file exists, so a user's edit (or a concurrent writer) always wins.
      fd = openSync(join(dir, file.name), "wx", file.hostMode ?? 0o644);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "EEXIST") continue;
      throw configError(`cannot write ${join(dir, file.name)}: ${(err as Error).message}`);
    }
    try {
      writeSync(fd, file.content());
    } finally {
      closeSync(fd);
    }
  }
}

/**
 * Regular files under `dir` (symlinks to files included, as a bind mount would show them),
 * recursively, as relative paths in a stable order; stops one past MAX_FILES.
 */
function listFiles(dir: string, prefix = "", out: string[] = [], depth = 0): string[] {
  const entries = readdirSync(join(dir, prefix), { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (out.length > MAX_FILES) break;
    const rel = prefix ? join(prefix, entry.name) : entry.name;
    if (entry.isDirectory() && depth < 8) listFiles(dir, rel, out, depth + 1);
    else if (entry.isFile()) out.push(rel);
    else if (
      entry.isSymbolicLink() && statSync(join(dir, rel), { throwIfNoEntry: false })?.isFile()
    ) {
      out.push(rel);
    }
  }
  return out;
}
