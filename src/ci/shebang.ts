// Reads `sentryctl run`'s options from a script's first line (SPEC §4), so
// `sentryctl run script.sh` (BusyBox has no `env -S`) does what executing the script does.
// Accepted: `#!/usr/bin/env -S [VAR=v…] sentryctl run OPTIONS` and `#!/path/sentryctl run OPTIONS`.

/** Splits like `env -S`: whitespace separates, single and double quotes group, `\` escapes. */
export function splitShebangArgs(text: string): string[] {
  const out: string[] = [];
  let current = "";
  let started = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === "\\" && quote === '"' && i + 1 < text.length) current += text[++i];
      else current += ch;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      started = true;
    } else if (ch === "\\" && i + 1 < text.length) {
      current += text[++i];
      started = true;
    } else if (/\s/.test(ch)) {
      if (started) out.push(current);
      current = "";
      started = false;
    } else {
      current += ch;
      started = true;
    }
  }
  if (started) out.push(current);
  return out;
}

function isSentryctl(token: string): boolean {
  return token === "sentryctl" || token.endsWith("/sentryctl");
}

/**
 * The option tokens after `sentryctl run` on a `#!` line, or undefined when the line is not a
 * sentryctl shebang (a plain `#!/bin/sh` script is run with no services and `sh`).
 */
export function shebangOptions(firstLine: string): string[] | undefined {
  if (!firstLine.startsWith("#!")) return undefined;
  const tokens = splitShebangArgs(firstLine.slice(2).replace(/\r$/, ""));
  let i = 0;
  if (tokens[i] === "env" || tokens[i]?.endsWith("/env")) {
    i++;
    // env's own options (`-S`, `-i`, `-u NAME`, `-S` glued to the rest) and VAR=value pairs.
    while (i < tokens.length) {
      const t = tokens[i]!;
      if (t === "-u" || t === "--unset") i += 2;
      else if (t.startsWith("-S") && t.length > 2) {
        tokens.splice(i, 1, ...splitShebangArgs(t.slice(2)));
      } else if (t.startsWith("-") || /^[A-Za-z_][A-Za-z0-9_]*=/.test(t)) i++;
      else break;
    }
  }
  if (!isSentryctl(tokens[i] ?? "") || tokens[i + 1] !== "run") return undefined;
  return tokens.slice(i + 2);
}

/** `--with a,b --with c` → `[a, b, c]`, blanks dropped, order kept, duplicates removed. */
export function serviceList(values: readonly string[]): string[] {
  const names = values.flatMap((v) => v.split(",")).map((s) => s.trim()).filter(Boolean);
  return [...new Set(names)];
}

/**
 * `#!/usr/local/bin/sentryctl run --with redis` (no `env -S`): Linux passes everything after
 * the interpreter as ONE argument, `"run --with redis"`. Split it back into words.
 */
export function expandKernelShebang(argv: readonly string[]): string[] {
  const first = argv[0];
  if (first !== undefined && /^run\s/.test(first)) {
    return [...splitShebangArgs(first), ...argv.slice(1)];
  }
  return [...argv];
}
