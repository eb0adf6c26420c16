// A dev service as plain data: what the catalog declares and a settings file may override
// (SPEC §3). Field names follow Sentry's catalog, so existing overrides read the same.

export type PortValue = number | string | [string, number | string];

export interface HealthcheckSpec {
  /** Command run inside the container (`docker exec`). */
  exec?: string[];
  /** URL fetched from the host, e.g. `http://127.0.0.1:8123/ping`. */
  http?: string;
  /** Container port whose published host port must accept a TCP connection. */
  tcp?: number | string;
  /**
   * Docker's own health status of the container: the image's HEALTHCHECK (a project file's
   * service without a `healthcheck:` of its own, as compose waits for it). A container without
   * one passes at once.
   */
  docker?: boolean;
  /** Seconds between attempts. */
  interval?: number;
  /** Seconds one attempt may take. */
  timeout?: number;
  retries?: number;
  /** Seconds after start during which failures do not count. */
  start_period?: number;
  /** Seconds before the service counts as timed out overall. */
  timeout_total?: number;
}

export interface VolumeSpec {
  bind: string;
  mode?: "ro" | "rw";
}

export interface ServiceSpec {
  image: string;
  command?: string[] | string;
  entrypoint?: string[] | string;
  environment?: Record<string, string | number | boolean | null>;
  /** `"6379/tcp": 6379` binds 127.0.0.1:6379; `["0.0.0.0", 6379]` names the host address. */
  ports?: Record<string, PortValue>;
  /** Keys without `/` are named volumes (`<project>_<key>`); others are host paths. */
  volumes?: Record<string, VolumeSpec>;
  ulimits?: { name: string; soft: number; hard: number }[];
  platform?: string;
  only_if?: boolean;
  depends_on?: string[];
  healthcheck?: HealthcheckSpec;
  /** Started only by `attach` (Sentry's devserver), never by `up`. */
  with_devserver?: boolean;
  restart_policy?: string;
  extra_hosts?: Record<string, string>;
  labels?: Record<string, string>;
  /** Seconds `stop` waits before SIGKILL. */
  stop_grace_period?: number;
}

/** A catalog entry: builds the spec from settings and options, like Sentry's lambdas. */
export interface CatalogEntry {
  build(
    settings: Record<string, unknown>,
    options: Record<string, unknown>,
    env: Record<string, string | undefined>,
  ): ServiceSpec;
  /** Which setting (or env var) turns the service on, for the "not enabled" message. */
  enabledBy?: string;
}
