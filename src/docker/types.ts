// The subset of Docker Engine API shapes sentryctl reads and writes (API ≥ 1.41).

export interface PortBinding {
  HostIp: string;
  HostPort: string;
}

export interface ContainerState {
  Status: "created" | "running" | "paused" | "restarting" | "removing" | "exited" | "dead";
  Running: boolean;
  Restarting: boolean;
  Paused?: boolean;
  ExitCode: number;
  Error: string;
  StartedAt: string;
  FinishedAt: string;
  OOMKilled: boolean;
  Health?: {
    Status: string;
    FailingStreak?: number;
    Log?: { Start: string; End: string; ExitCode: number; Output: string }[];
  };
}

export interface ContainerInspect {
  Id: string;
  Name: string;
  RestartCount: number;
  State: ContainerState;
  Config: {
    Image: string;
    Labels: Record<string, string> | null;
    Tty: boolean;
    Env: string[] | null;
    /** The HEALTHCHECK Docker runs itself (`["CMD", …]`), if the container has one. */
    Healthcheck?: { Test?: string[] };
  };
  HostConfig: {
    RestartPolicy?: { Name: string };
    PortBindings?: Record<string, PortBinding[] | null> | null;
  };
  NetworkSettings: {
    Ports?: Record<string, PortBinding[] | null> | null;
    Networks?: Record<string, unknown>;
  };
  Mounts: { Type: string; Name?: string; Source: string; Destination: string }[];
}

export interface ContainerSummary {
  Id: string;
  Names: string[];
  Image: string;
  State: string;
  Status: string;
  Labels: Record<string, string>;
  Ports: { IP?: string; PrivatePort: number; PublicPort?: number; Type: string }[];
  Created: number;
}

export interface CreateContainerBody {
  Image: string;
  Cmd?: string[];
  Entrypoint?: string[];
  Env?: string[];
  Labels?: Record<string, string>;
  ExposedPorts?: Record<string, Record<string, never>>;
  Healthcheck?: {
    Test: string[];
    Interval?: number;
    Timeout?: number;
    Retries?: number;
    StartPeriod?: number;
  };
  StopTimeout?: number;
  StopSignal?: string;
  User?: string;
  WorkingDir?: string;
  Hostname?: string;
  Tty?: boolean;
  OpenStdin?: boolean;
  HostConfig: {
    PortBindings?: Record<string, PortBinding[]>;
    Binds?: string[];
    Mounts?: {
      Type: "volume" | "bind" | "tmpfs";
      Source?: string;
      Target: string;
      ReadOnly?: boolean;
    }[];
    RestartPolicy?: { Name: string; MaximumRetryCount?: number };
    ExtraHosts?: string[];
    Ulimits?: { Name: string; Soft: number; Hard: number }[];
    NetworkMode?: string;
    Tmpfs?: Record<string, string>;
    CapAdd?: string[];
    CapDrop?: string[];
    SecurityOpt?: string[];
    Init?: boolean;
    Privileged?: boolean;
    ReadonlyRootfs?: boolean;
    ShmSize?: number;
  };
  NetworkingConfig?: { EndpointsConfig: Record<string, { Aliases?: string[] }> };
}

export interface VersionInfo {
  Version: string;
  ApiVersion: string;
  Os: string;
  Arch: string;
  /** e.g. `Docker Engine - Community`; Podman answers `Podman Engine` in Components. */
  Platform?: { Name?: string };
  Components?: { Name: string; Version: string }[];
}

export interface PullProgress {
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string };
}

/** One line of the build stream: output text, or the build's error. */
export interface BuildEvent {
  stream?: string;
  aux?: { ID?: string };
  error?: string;
  errorDetail?: { message?: string };
}

export interface ImageInspect {
  Id: string;
  RepoTags: string[] | null;
  Size?: number;
}

export interface NetworkInspect {
  Id: string;
  Name: string;
  /** RFC 3339; tells the oldest of duplicate networks (concurrent creates). */
  Created?: string;
  Driver?: string;
  Labels: Record<string, string> | null;
}

export interface VolumeInspect {
  Name: string;
  Driver?: string;
  Mountpoint?: string;
  Labels: Record<string, string> | null;
}

export interface ExecInspect {
  ID: string;
  Running: boolean;
  ExitCode: number | null;
  Pid?: number;
}

/** A container event (`Type: "container"`) from the events API. */
export interface EngineEvent {
  Type: string;
  /** e.g. `create`, `start`, `die`, `stop`, `destroy`, `health_status: healthy`. */
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  time: number;
  timeNano?: number;
}

/** The engine's stats answer for a container (raw counters), the parts the status server and
 * `ps` read; the status server turns two of them into a `UsageSample` (src/status/deps.ts). */
export interface EngineStats {
  read: string;
  cpu_stats?: {
    cpu_usage?: { total_usage?: number };
    system_cpu_usage?: number;
    online_cpus?: number;
  };
  precpu_stats?: {
    cpu_usage?: { total_usage?: number };
    system_cpu_usage?: number;
  };
  memory_stats?: { usage?: number; limit?: number };
}
