// `loadProject`: project files → compose's canonical model (SPEC §3a). Reads the files and
// `.env`, interpolates each file, reads it to canonical form, merges the files in order, names
// the project, checks cross-references, applies profiles and completes environments.

import { basename, dirname, resolve } from "node:path";
import { configError } from "../errors.ts";
import { DotenvError, dotenvMap } from "./dotenv.ts";
import { isMapping, type Reader } from "./fields.ts";
import { interpolateTree } from "./interpolate-tree.ts";
import { mergeFiles } from "./merge.ts";
import { activeProfiles, selectServices } from "./profiles.ts";
import { checkDependencies, completeEnvironment, finish } from "./resolve.ts";
import { Sources } from "./source.ts";
import { readFile } from "./top.ts";
import type { Env, LoadedProject, LoadOptions, ProjectFs } from "./types.ts";
import { parseYamlFile } from "./yaml-tree.ts";

/** The real file system (node:fs, loaded when a project file is first read). */
export function nodeFs(): ProjectFs {
  return {
    async readText(path) {
      const { readFile } = await import("node:fs/promises");
      try {
        return await readFile(path, "utf8");
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code === "ENOENT" || code === "ENOTDIR") return undefined;
        if (code === "EISDIR") throw configError(`${path} is a directory, not a file`);
        throw configError(`cannot read ${path}: ${(err as Error).message}`);
      }
    },
  };
}

/** Compose's normalisation of a project name: lower case, `[a-z0-9_-]`, no leading `_`/`-`. */
export function normalizeProjectName(name: string): string {
  return name.toLowerCase().replace(/[^-_a-z0-9]+/g, "").replace(/^[-_]+/, "");
}

const VALID_NAME = /^[a-z0-9][a-z0-9_-]*$/;

export interface NameInputs {
  flag?: string;
  env: Env;
  dotenv: ReadonlyMap<string, string>;
  topLevel?: string;
  extensions: Record<string, unknown>;
  projectDir: string;
}

/** `--project` > COMPOSE_PROJECT_NAME (env, then .env) > `name:` > service_name > directory. */
export function projectName(i: NameInputs): { name: string; from: string } {
  const config = i.extensions["x-sentry-service-config"];
  const serviceName = isMapping(config) && typeof config.service_name === "string"
    ? config.service_name
    : undefined;
  const candidates: [string | undefined, string, boolean][] = [
    [i.flag, "--project", false],
    [i.env.COMPOSE_PROJECT_NAME || undefined, "COMPOSE_PROJECT_NAME", false],
    [i.dotenv.get("COMPOSE_PROJECT_NAME") || undefined, "COMPOSE_PROJECT_NAME in .env", false],
    [i.topLevel || undefined, "the top-level 'name:'", false],
    [serviceName, "x-sentry-service-config.service_name", true],
    [basename(i.projectDir), "the project directory's name", true],
  ];
  for (const [value, from, normalise] of candidates) {
    if (value === undefined) continue;
    const name = normalise ? normalizeProjectName(value) : value;
    if (normalise && name === "") continue;
    if (!VALID_NAME.test(name)) {
      throw configError(`project name '${value}' (from ${from}) is not valid`, {
        hint:
          "a project name is lower-case letters, digits, '_' and '-', starting with a letter or digit",
      });
    }
    return { name, from };
  }
  throw configError("cannot derive a project name", { hint: "pass --project NAME" });
}

export async function loadProject(options: LoadOptions): Promise<LoadedProject> {
  const fs = options.fs ?? nodeFs();
  if (options.files.length === 0) throw configError("no project file given");
  const files = options.files.map((f) => resolve(options.cwd, f));
  const projectDir = resolve(options.cwd, options.projectDirectory ?? dirname(files[0]!));
  const warnings: string[] = [];
  const dotenv = await readDotenv(fs, options, projectDir);
  const lookup = (name: string) => options.env[name] ?? dotenv.get(name);
  const home = options.home ?? options.env.HOME ?? "/";

  const maps = [];
  const models = [];
  for (const file of files) {
    const text = await fs.readText(file);
    if (text === undefined) throw configError(`project file ${file} does not exist`);
    const parsed = await parseYamlFile(file, text);
    warnings.push(...parsed.warnings);
    const seen = new Set<string>();
    const tree = interpolateTree(parsed.value, parsed.source, {
      lookup,
      unset(name, at) {
        if (seen.has(name)) return;
        seen.add(name);
        const where = at ? `${at.file}:${at.line}` : file;
        warnings.push(`${where}: the "${name}" variable is not set; defaulting to a blank string`);
      },
    });
    const reader: Reader = {
      sources: new Sources([parsed.source]),
      projectDir,
      home,
      warn: (message) => warnings.push(message),
    };
    models.push({ ...readFile(reader, tree), tags: parsed.source.tags });
    maps.push(parsed.source);
  }
  const sources = new Sources(maps);
  const merged = mergeFiles(models);
  checkDependencies(merged, sources);
  const { name, from: nameSource } = projectName({
    flag: options.projectName,
    env: options.env,
    dotenv,
    topLevel: merged.name,
    extensions: merged.extensions,
    projectDir,
  });
  const profiles = activeProfiles(
    options.profiles,
    options.env.COMPOSE_PROFILES ?? dotenv.get("COMPOSE_PROFILES"),
  );
  for (const named of options.services ?? []) {
    if (!Object.hasOwn(merged.services, named)) {
      throw configError(`no such service: '${named}'`, {
        hint: `services: ${Object.keys(merged.services).join(", ")}`,
      });
    }
  }
  const chosen = selectServices(merged.services, profiles, options.services);
  const disabledServices = Object.keys(merged.services).filter((s) => !chosen.has(s));
  for (const s of disabledServices) delete merged.services[s];
  const model = finish(merged, name, sources);
  await completeEnvironment(model, fs, lookup, sources);
  const environment: Record<string, string> = Object.fromEntries(dotenv);
  for (const [k, v] of Object.entries(options.env)) if (v !== undefined) environment[k] = v;
  return {
    name,
    nameSource,
    workingDir: projectDir,
    configFiles: files,
    model,
    warnings,
    disabledServices,
    profiles,
    environment,
  };
}

async function readDotenv(
  fs: ProjectFs,
  options: LoadOptions,
  projectDir: string,
): Promise<Map<string, string>> {
  const path = options.envFile
    ? resolve(options.cwd, options.envFile)
    : resolve(projectDir, ".env");
  const text = await fs.readText(path);
  if (text === undefined) {
    if (options.envFile) throw configError(`env file ${path} does not exist`);
    return new Map();
  }
  try {
    return dotenvMap(text, options.env);
  } catch (err) {
    if (err instanceof DotenvError) {
      throw configError(`${path}:${err.line}:${err.col}: ${err.message}`);
    }
    throw err;
  }
}
