// Where each effective value came from, for `config show --origin` and for error messages that
// must name the file (and line) of the offending value.

export type Origin =
  | { kind: "default" }
  | { kind: "env"; name: string }
  | {
    kind: "file";
    path: string;
    line?: number;
    col?: number;
    /** How the file supplied it when not directly: `SENTRY_OPTIONS`, or a legacy setting name. */
    via?: string;
  }
  | { kind: "derived"; from: string }
  | { kind: "ephemeral" };

export interface OriginMap {
  settings: Map<string, Origin>;
  options: Map<string, Origin>;
}

export function emptyOrigins(): OriginMap {
  return { settings: new Map(), options: new Map() };
}

export const DEFAULT_ORIGIN: Origin = { kind: "default" };

export function formatOrigin(origin: Origin): string {
  switch (origin.kind) {
    case "default":
      return "default";
    case "env":
      return `env ${origin.name}`;
    case "file": {
      const where = origin.line === undefined ? origin.path : `${origin.path}:${origin.line}`;
      return origin.via ? `${where} (${origin.via})` : where;
    }
    case "derived":
      return `derived from ${origin.from}`;
    case "ephemeral":
      return "ephemeral (generated for this process)";
  }
}

/** `path:line:col: ` for a file origin with a position, `path: ` for one without, else "". */
export function originPrefix(origin: Origin | undefined): string {
  if (origin?.kind !== "file") return "";
  if (origin.line === undefined) return `${origin.path}: `;
  return `${origin.path}:${origin.line}:${origin.col ?? 1}: `;
}
