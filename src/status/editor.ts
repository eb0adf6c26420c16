// `POST /open`: which program opens file:line:column, and with which arguments. The editor
// comes from `$SENTRYCTL_EDITOR` or `$EDITOR`, split on spaces into a program and its own
// arguments (no shell, so nothing in a file name or the variable is ever interpreted); the
// location is passed in the form the editor understands. The file is an absolute real path
// checked by source-files.ts, so it can never be read as an option.

import { basename } from "node:path";

export interface OpenTarget {
  file: string;
  line?: number;
  column?: number;
}

/** `path`, `path:line` or `path:line:column` (Spotlight's `POST /open` body). */
export function parseOpenTarget(text: string): OpenTarget | null {
  const value = text.trim();
  if (value === "" || value.length > 4096 || /[\0\r\n]/.test(value)) return null;
  const m = /^(.*?)(?::(\d+))?(?::(\d+))?$/.exec(value);
  if (!m || m[1] === "") return null;
  return {
    file: m[1]!,
    ...(m[2] ? { line: Number(m[2]) } : {}),
    ...(m[3] ? { column: Number(m[3]) } : {}),
  };
}

/** The argv to run, or null when no editor is configured. */
export function editorArgv(
  env: Record<string, string | undefined>,
  target: OpenTarget,
): string[] | null {
  const configured = (env.SENTRYCTL_EDITOR ?? env.EDITOR ?? "").trim();
  if (configured === "") return null;
  const [program, ...own] = configured.split(/\s+/) as [string, ...string[]];
  const name = basename(program).replace(/\.exe$/i, "").toLowerCase();
  const line = target.line ?? 1;
  const col = target.column ?? 1;
  let location: string[];
  if (["code", "code-insiders", "codium", "cursor", "windsurf", "vscodium"].includes(name)) {
    location = ["-g", `${target.file}:${line}:${col}`];
  } else if (["subl", "sublime_text", "zed", "atom", "hx", "helix"].includes(name)) {
    location = [`${target.file}:${line}:${col}`];
  } else if (
    ["vi", "vim", "nvim", "gvim", "nano", "emacs", "emacsclient", "micro", "kak", "joe", "ne"]
      .includes(name)
  ) {
    location = [`+${line}`, target.file];
  } else if (
    ["idea", "webstorm", "pycharm", "phpstorm", "goland", "rubymine", "clion", "rider"].includes(
      name,
    )
  ) {
    location = ["--line", String(line), target.file];
  } else {
    location = [target.file];
  }
  return [program, ...own, ...location];
}
