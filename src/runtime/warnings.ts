// Runtime warnings are for the authors of a program, not its users. docker-modem calls the
// deprecated `url.parse` on every request to a tcp:// or ssh:// engine, which made Bun and Deno
// print `[DEP0169] DeprecationWarning` to users' terminals. Warnings are kept for `--verbose`.

let keep: ((line: string) => void) | undefined;

/** Routes every `process.emitWarning` away from the terminal; `onWarning` sees them (verbose). */
export function quietRuntimeWarnings(onWarning?: (line: string) => void): void {
  keep = onWarning;
  (process as { noDeprecation?: boolean }).noDeprecation = true;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const type = typeof rest[0] === "string"
      ? rest[0]
      : (rest[0] as { type?: string } | undefined)?.type;
    const text = typeof warning === "string" ? warning : warning.message;
    keep?.(`${type ?? "Warning"}: ${text}`);
  }) as typeof process.emitWarning;
  process.removeAllListeners("warning");
}
