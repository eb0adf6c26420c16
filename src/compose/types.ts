// The canonical model of a compose project, in the shape `docker compose config --format json`
// prints (SPEC §3a), and the options of the loader. Plain data: converge turns it into a Stack,
// `config stack --json` prints it as is.

export interface Position {
  file: string;
  line: number;
  col: number;
}

export interface PortConfig {
  mode: "ingress" | "host";
  host_ip?: string;
  target: number;
  /** A port or a range (`8000-8010`); absent when Docker picks one. */
  published?: string;
  protocol: "tcp" | "udp" | "sctp";
  name?: string;
  app_protocol?: string;
}

export interface VolumeMount {
  type: "volume" | "bind" | "tmpfs" | "npipe" | "cluster" | "image";
  /** Volume name (top-level key), absolute host path for binds; absent for anonymous/tmpfs. */
  source?: string;
  target: string;
  read_only?: boolean;
  consistency?: string;
  bind?: { propagation?: string; create_host_path?: boolean; selinux?: "z" | "Z" };
  volume?: { nocopy?: boolean; subpath?: string };
  tmpfs?: { size?: number | string; mode?: number };
}

export interface DependsOn {
  condition: "service_started" | "service_healthy" | "service_completed_successfully";
  required: boolean;
  restart?: boolean;
}

export interface Healthcheck {
  test?: string[];
  interval?: string;
  timeout?: string;
  retries?: number;
  start_period?: string;
  start_interval?: string;
  disable?: boolean;
}

export interface BuildConfig {
  /** Absolute directory (or a URL, kept as written). */
  context: string;
  dockerfile: string;
  target?: string;
  args?: Record<string, string | null>;
}

export interface ServiceNetwork {
  aliases?: string[];
  ipv4_address?: string;
  ipv6_address?: string;
  priority?: number;
}

export interface ServiceSecret {
  source: string;
  target?: string;
  uid?: string;
  gid?: string;
  mode?: number;
}

export interface Ulimit {
  soft: number;
  hard: number;
}

export interface ServiceConfig {
  image?: string;
  build?: BuildConfig;
  command?: string[];
  entrypoint?: string[];
  /** `null`: a bare NAME whose value is not set anywhere (passed through as unset). */
  environment?: Record<string, string | null>;
  env_file?: { path: string; required: boolean }[];
  ports?: PortConfig[];
  expose?: string[];
  volumes?: VolumeMount[];
  /** `null` for a network joined without options, as compose prints it. */
  networks?: Record<string, ServiceNetwork | null>;
  network_mode?: string;
  depends_on?: Record<string, DependsOn>;
  healthcheck?: Healthcheck;
  restart?: string;
  labels?: Record<string, string>;
  /** `host=ip` entries, as compose prints them. */
  extra_hosts?: string[];
  ulimits?: Record<string, Ulimit>;
  platform?: string;
  user?: string;
  working_dir?: string;
  container_name?: string;
  hostname?: string;
  /** Bytes. */
  shm_size?: string;
  tmpfs?: string[];
  cap_add?: string[];
  cap_drop?: string[];
  security_opt?: string[];
  init?: boolean;
  privileged?: boolean;
  read_only?: boolean;
  stop_signal?: string;
  stop_grace_period?: string;
  tty?: boolean;
  stdin_open?: boolean;
  pull_policy?: "always" | "never" | "missing" | "build" | "daily" | "weekly";
  profiles?: string[];
  secrets?: ServiceSecret[];
  /** Any `x-` field of the service, kept for tools that read them. */
  [extension: `x-${string}`]: unknown;
}

export interface NetworkConfig {
  name: string;
  external?: boolean;
  driver?: string;
  driver_opts?: Record<string, string>;
  internal?: boolean;
  attachable?: boolean;
  labels?: Record<string, string>;
  ipam?: Record<string, unknown>;
}

export interface VolumeConfig {
  name: string;
  external?: boolean;
  driver?: string;
  driver_opts?: Record<string, string>;
  labels?: Record<string, string>;
}

export interface SecretConfig {
  name: string;
  /** Absolute path of the file holding the secret. */
  file?: string;
  /** Name of the variable holding the secret. */
  environment?: string;
  external?: boolean;
}

/** The whole project after merge, interpolation, normalisation and profiles. */
export interface ComposeModel {
  name: string;
  services: Record<string, ServiceConfig>;
  networks: Record<string, NetworkConfig>;
  volumes: Record<string, VolumeConfig>;
  secrets: Record<string, SecretConfig>;
  /** Top-level `x-` fields (e.g. `x-sentry-service-config`, `x-programs`), interpolated. */
  extensions: Record<string, unknown>;
}

/** The file system the loader reads: injectable for tests. */
export interface ProjectFs {
  /** The file's text, or `undefined` when it does not exist. Other errors throw. */
  readText(path: string): Promise<string | undefined>;
}

export type Env = Readonly<Record<string, string | undefined>>;

export interface LoadOptions {
  /** Project files in order (absolute or relative to `cwd`); later ones merge over earlier. */
  files: readonly string[];
  /** `--project-directory`; default: the first file's directory. */
  projectDirectory?: string;
  /** `--env-file`; default: `.env` in the project directory (absent is fine). */
  envFile?: string;
  /** `--profile` values; default: COMPOSE_PROFILES from env, then `.env`. */
  profiles?: readonly string[];
  /** Services named on the command line: always included, with their dependencies. */
  services?: readonly string[];
  /** `--project` when the user gave it. */
  projectName?: string;
  env: Env;
  cwd: string;
  /** For `~` in bind mounts; default: env.HOME. */
  home?: string;
  fs?: ProjectFs;
}

export interface LoadedProject {
  name: string;
  /** Where the name came from, e.g. `COMPOSE_PROJECT_NAME in .env`. */
  nameSource: string;
  /** The project directory (absolute). */
  workingDir: string;
  /** Absolute paths of the files read, in merge order. */
  configFiles: string[];
  model: ComposeModel;
  /** Human-readable warnings (`file:line: …`), in the order found. */
  warnings: string[];
  /** Services left out because none of their profiles is active. */
  disabledServices: string[];
  /** The active profiles. */
  profiles: string[];
  /** The variables interpolation saw: the environment over `.env`. */
  environment: Record<string, string>;
}

export type SourceSelection =
  | {
    kind: "files";
    files: string[]; /** `-f` or the devservices default. */
    via: "flag" | "devservices";
  }
  | { kind: "catalog" };
