// The API client (Sentry's `ApiClient` conventions over real HTTP): paths get the `/api/0` prefix
// unless it already occurs in them, a bearer token, JSON in and out, `ApiError` for any status
// outside 200–399, and cursor pagination over `Link` headers. `fetch` is injected, so code inside
// sentryctl and its tests call APIs the same way the `api` command does.

import { failure } from "../errors.ts";
import { ApiError } from "./errors.ts";
import { nextPageUrl } from "./link.ts";
import { jsonOrText } from "../lib/values.ts";

export const API_PREFIX = "/api/0";

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface ApiClientOptions {
  /** Scheme, host and optional path prefix, e.g. `http://127.0.0.1:8990`. */
  baseUrl: string;
  token?: string;
  /**
   * The only origin the token (and any Authorization/Cookie header given) is sent to; default:
   * the base URL's. A request to another origin (an absolute path, a pagination link) goes
   * without credentials. Cross-origin redirects drop them too (the fetch standard).
   */
  tokenOrigin?: string;
  /** The hint when the server cannot be reached. */
  unreachableHint?: string;
  fetch?: FetchLike;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
}

export interface RequestOptions {
  /** Query parameters, appended to the path's own. */
  params?: Record<string, string | number | boolean>;
  /** A JSON-serialisable body. */
  data?: unknown;
  /** A body sent as is (`--input`), with `Content-Type: application/json`. */
  rawBody?: string | Uint8Array;
  signal?: AbortSignal;
}

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  /** Parsed JSON, the text when it is not JSON, undefined when empty. */
  data: T;
  /** The URL that was requested (after the prefix rule). */
  url: string;
}

/**
 * Sentry's prefix rule: `/api/0` + path, unless `/api/0` occurs anywhere in it (a substring test,
 * as Sentry's). A path without a leading slash gets one first, as `gh api` allows.
 */
export function apiPath(path: string): string {
  const absolute = path.startsWith("/") ? path : `/${path}`;
  return absolute.includes(API_PREFIX) ? absolute : `${API_PREFIX}${absolute}`;
}

/**
 * An absolute URL for `path`: absolute URLs pass through (the client then sends them no
 * credential unless they share the token's origin); others get the prefix and the base.
 */
export function resolveUrl(baseUrl: string, path: string): string {
  if (/^https?:\/\//i.test(path)) return path;
  return `${baseUrl.replace(/\/+$/, "")}${apiPath(path)}`;
}

/** Upper bound on pages `paginate` follows (a server that always says "more" cannot loop us). */
export const MAX_PAGES = 1000;

/** Header names that carry credentials (case-insensitive). */
const CREDENTIAL_HEADERS = new Set(["authorization", "cookie", "proxy-authorization"]);

export class ApiClient {
  readonly #fetch: FetchLike;
  readonly #tokenOrigin: string;

  constructor(private readonly opts: ApiClientOptions) {
    this.#fetch = opts.fetch ?? ((input, init) => fetch(input, init));
    this.#tokenOrigin = new URL(opts.tokenOrigin ?? opts.baseUrl).origin;
  }

  get baseUrl(): string {
    return this.opts.baseUrl;
  }

  async request<T = unknown>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<ApiResponse<T>> {
    const url = new URL(resolveUrl(this.opts.baseUrl, path));
    for (const [k, v] of Object.entries(options.params ?? {})) {
      url.searchParams.append(k, String(v));
    }
    const credentials = url.origin === this.#tokenOrigin;
    const headers: Record<string, string> = { Accept: "application/json" };
    for (const [k, v] of Object.entries(this.opts.headers ?? {})) {
      if (credentials || !CREDENTIAL_HEADERS.has(k.toLowerCase())) headers[k] = v;
    }
    if (this.opts.token && credentials) headers.Authorization = `Bearer ${this.opts.token}`;
    let body: string | Uint8Array | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.data !== undefined) body = JSON.stringify(options.data);
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let response: Response;
    try {
      response = await this.#fetch(url.toString(), {
        method: method.toUpperCase(),
        headers,
        body: body as BodyInit | undefined,
        signal: options.signal,
      });
    } catch (err) {
      throw failure(`cannot reach ${url.origin}: ${describeFetchError(err)}`, {
        hint: this.opts.unreachableHint ??
          "is the server running? (the local status server: `sentryctl serve`)",
        cause: err,
      });
    }
    const text = await response.text();
    if (response.status < 200 || response.status >= 400) {
      throw new ApiError(response.status, text);
    }
    return {
      status: response.status,
      headers: response.headers,
      data: jsonOrText(text) as T,
      url: url.toString(),
    };
  }

  get<T = unknown>(path: string, options?: RequestOptions) {
    return this.request<T>("GET", path, options);
  }
  post<T = unknown>(path: string, options?: RequestOptions) {
    return this.request<T>("POST", path, options);
  }
  put<T = unknown>(path: string, options?: RequestOptions) {
    return this.request<T>("PUT", path, options);
  }
  delete<T = unknown>(path: string, options?: RequestOptions) {
    return this.request<T>("DELETE", path, options);
  }

  /**
   * Follows `rel="next"` links from `path` and returns every page's array merged into one. A page
   * that is not an array is an error: only list endpoints paginate.
   */
  async paginate(method: string, path: string, options: RequestOptions = {}): Promise<unknown[]> {
    const merged: unknown[] = [];
    const seen = new Set<string>();
    let next: string | undefined = path;
    let first = true;
    while (next !== undefined) {
      if (seen.size >= MAX_PAGES) {
        throw failure(`pagination stopped after ${MAX_PAGES} pages`, {
          hint: "the server keeps announcing a next page",
        });
      }
      const page: ApiResponse = await this.request(
        method,
        next,
        first ? options : { signal: options.signal },
      );
      first = false;
      seen.add(page.url);
      if (!Array.isArray(page.data)) {
        throw failure(
          `--paginate needs a list response; ${page.url} returned ${describe(page.data)}`,
        );
      }
      merged.push(...page.data);
      const link = nextPageUrl(page.headers.get("link"));
      next = link === undefined ? undefined : new URL(link, page.url).toString();
      if (next !== undefined && seen.has(next)) {
        throw failure(`pagination loops: ${next} was already fetched`);
      }
    }
    return merged;
  }
}

function describe(value: unknown): string {
  if (value === undefined) return "no body";
  if (value === null) return "null";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

function describeFetchError(err: unknown): string {
  const e = err as { message?: string; cause?: { code?: string; message?: string }; code?: string };
  return e.cause?.code ?? e.code ?? e.cause?.message ?? e.message ?? String(err);
}
