// `.env` and `env_file` files as compose reads them: `KEY=VALUE` (or `export KEY=VALUE`),
// `#` comments, single quotes literal, double quotes with escapes and across lines, unquoted
// values cut at ` #`, and `${VAR}` expanded from earlier keys then the environment.

import { interpolate, InterpolationError } from "./interpolate.ts";
import type { Env } from "./types.ts";

export class DotenvError extends Error {
  constructor(message: string, readonly line: number, readonly col: number) {
    super(message);
  }
}

export interface DotenvEntry {
  key: string;
  /** `undefined` for a bare `KEY` line (the value comes from the environment). */
  value: string | undefined;
  line: number;
}

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*/;

export function parseDotenv(text: string, env: Env = {}): DotenvEntry[] {
  const entries: DotenvEntry[] = [];
  const known = new Map<string, string>();
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let line = lines[i]!.trimStart();
    if (line === "" || line.startsWith("#")) continue;
    if (/^export\s+/.test(line)) line = line.replace(/^export\s+/, "");
    const key = KEY.exec(line)?.[0];
    if (!key) {
      throw new DotenvError(`expected KEY=VALUE`, lineNo, lines[i]!.length - line.length + 1);
    }
    let rest = line.slice(key.length).trimStart();
    if (rest === "" || rest.startsWith("#")) {
      entries.push({ key, value: undefined, line: lineNo });
      continue;
    }
    if (rest[0] !== "=" && rest[0] !== ":") {
      throw new DotenvError(`expected '=' after '${key}'`, lineNo, lines[i]!.indexOf(rest) + 1);
    }
    rest = rest.slice(1).trimStart();
    let value: string;
    const expand = (raw: string) => {
      try {
        return interpolate(raw, {
          lookup: (name) => known.get(name) ?? env[name],
          unset: () => {},
        });
      } catch (err) {
        if (err instanceof InterpolationError) throw new DotenvError(err.message, lineNo, 1);
        throw err;
      }
    };
    if (rest.startsWith("'")) {
      const end = rest.indexOf("'", 1);
      if (end < 0) throw new DotenvError("unterminated single quote", lineNo, 1);
      value = rest.slice(1, end);
    } else if (rest.startsWith('"')) {
      let body = rest.slice(1);
      let end = closingQuote(body);
      while (end < 0 && i + 1 < lines.length) {
        body += "\n" + lines[++i];
        end = closingQuote(body);
      }
      if (end < 0) throw new DotenvError("unterminated double quote", lineNo, 1);
      value = expand(unescape(body.slice(0, end)));
    } else {
      const comment = rest.search(/\s#/);
      value = expand((comment < 0 ? rest : rest.slice(0, comment)).trimEnd());
    }
    known.set(key, value);
    entries.push({ key, value, line: lineNo });
  }
  return entries;
}

function closingQuote(body: string): number {
  for (let i = 0; i < body.length; i++) {
    if (body[i] === "\\") i++;
    else if (body[i] === '"') return i;
  }
  return -1;
}

function unescape(text: string): string {
  return text.replace(
    /\\(.)/gs,
    (_, ch: string) =>
      ch === "n" ? "\n" : ch === "t" ? "\t" : ch === "r" ? "\r" : ch === "$" ? "$$" : ch,
  );
}

/** The variables of a `.env` file as a map (bare keys are left out). */
export function dotenvMap(text: string, env: Env = {}): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of parseDotenv(text, env)) if (e.value !== undefined) out.set(e.key, e.value);
  return out;
}
