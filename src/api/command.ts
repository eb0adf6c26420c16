// The body of `sentryctl api`: build the request from the flags, send it through `ApiClient`,
// print the result. Below the CLI edge: errors are thrown (ApiError → exit 1), never printed.

import { readFileSync } from "node:fs";
import type { Writer } from "../runtime/io.ts";
import { usageError } from "../errors.ts";
import { ApiClient, type FetchLike, type RequestOptions } from "./client.ts";
import { ApiError } from "./errors.ts";
import { buildFields } from "./fields.ts";
import { readServerRecord, type RecordDeps, recordPath } from "./local-server.ts";
import { readStatusToken, statusTokenPath } from "./status-token.ts";
import { type ApiTarget, resolveTarget } from "./target.ts";

export interface ApiCommandInput {
  path: string;
  method?: string;
  data?: string;
  input?: string;
  rawFields: string[];
  typedFields: string[];
  headers: string[];
  paginate: boolean;
  urlFlag?: string;
  tokenFlag?: string;
  env: Record<string, string | undefined>;
  statusBind: string;
  urlPrefix?: string;
  stateDir: string;
  stdout: Writer;
  fetch?: FetchLike;
  /** Test seam for the liveness check of a recorded `serve`. */
  record?: RecordDeps;
}

function readInput(path: string): string {
  try {
    return readFileSync(path === "-" ? 0 : path, "utf8");
  } catch (err) {
    throw usageError(`cannot read ${path === "-" ? "stdin" : path}: ${(err as Error).message}`);
  }
}

function parseHeaders(values: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const h of values) {
    const colon = h.indexOf(":");
    if (colon <= 0) throw usageError(`-H expects NAME:VALUE, got '${h}'`);
    headers[h.slice(0, colon).trim()] = h.slice(colon + 1).trim();
  }
  return headers;
}

/** The request body options and the method they imply. */
export function buildRequest(input: ApiCommandInput): { method: string; options: RequestOptions } {
  const hasFields = input.rawFields.length + input.typedFields.length > 0;
  const bodies = [input.data !== undefined, input.input !== undefined, hasFields].filter(Boolean);
  if (bodies.length > 1) {
    throw usageError("give the body one way: -d, --input, or -f/-F fields", {
      hint: "see 'sentryctl api --help'",
    });
  }
  const explicit = input.method?.toUpperCase();
  if (explicit !== undefined && !/^[A-Z]+$/.test(explicit)) {
    throw usageError(`-X: not an HTTP method: '${input.method}'`);
  }
  const options: RequestOptions = {};
  if (input.data !== undefined) {
    try {
      options.data = JSON.parse(input.data);
    } catch (err) {
      throw usageError(`-d: not valid JSON: ${(err as Error).message}`);
    }
  } else if (input.input !== undefined) {
    options.rawBody = readInput(input.input);
  } else if (hasFields) {
    const fields = buildFields({
      raw: input.rawFields,
      typed: input.typedFields,
      readFile: readInput,
    })!;
    if (explicit === "GET" || explicit === "HEAD") {
      // gh api: with GET, fields are query parameters.
      options.params = Object.fromEntries(
        Object.entries(fields).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
      );
      return { method: explicit, options };
    }
    options.data = fields;
  }
  const hasBody = options.data !== undefined || options.rawBody !== undefined;
  return { method: explicit ?? (hasBody ? "POST" : "GET"), options };
}

function render(data: unknown): string {
  if (data === undefined) return "";
  if (typeof data === "string") return data.endsWith("\n") ? data : `${data}\n`;
  return `${JSON.stringify(data, null, 2)}\n`;
}

/** What to do about a 401 from the local status server. */
function unauthorizedHint(target: ApiTarget, tokenPath: string): string {
  const pass = `pass the token of the running serve: --token "$(cat ${tokenPath})"`;
  if (target.tokenSource === "none") {
    return `no token for ${target.statusOrigin} was found in ${tokenPath}; ${pass}, ` +
      "or run api with the --config that serve runs with";
  }
  return `the server refused the ${
    target.tokenSource === "status-token" ? `token in ${tokenPath}` : "token given"
  }; ${pass} (using the state directory of the config that serve runs with)`;
}

export async function runApi(input: ApiCommandInput): Promise<number> {
  const { method, options } = buildRequest(input);
  const recorded = readServerRecord(input.stateDir, input.record);
  const tokenPath = statusTokenPath(input.stateDir);
  const target = resolveTarget({
    urlFlag: input.urlFlag,
    tokenFlag: input.tokenFlag,
    env: input.env,
    statusBind: input.statusBind,
    recordedUrl: recorded?.url,
    urlPrefix: input.urlPrefix,
    readStatusToken: () => readStatusToken(input.stateDir).token,
  });
  const client = new ApiClient({
    baseUrl: target.baseUrl,
    token: target.token,
    tokenOrigin: target.tokenOrigin,
    fetch: input.fetch,
    headers: parseHeaders(input.headers),
    unreachableHint: target.isStatusServer && input.urlFlag === undefined
      ? (recorded
        ? `the serve recorded in ${
          recordPath(input.stateDir)
        } (pid ${recorded.pid}) does not answer`
        : `no running \`sentryctl serve\` recorded its address in ${input.stateDir}, ` +
          `so status.bind (${target.statusOrigin}) was tried; start \`sentryctl serve\` or pass --url`)
      : undefined,
  });
  try {
    if (input.paginate) {
      input.stdout.write(render(await client.paginate(method, input.path, options)));
    } else {
      input.stdout.write(render((await client.request(method, input.path, options)).data));
    }
  } catch (err) {
    if (err instanceof ApiError && err.status === 401 && target.isStatusServer) {
      throw new ApiError(err.status, err.body, unauthorizedHint(target, tokenPath));
    }
    throw err;
  }
  return 0;
}
