// Starting this program again in place of the running process, with variables added to its
// environment: for settings a runtime reads only while it starts, such as its allocator's
// (`serve` uses it; see docs/status-server.md "Memory allocator"). The new program keeps the
// pid, the arguments, the standard streams and the working directory, so whoever started it
// (a shell, a supervisor, a test) sees one process. Only a compiled binary relaunches: under a
// runtime started on a script the variables would reach a different program (`bun a b` is not
// `sentryctl a b`), and where `process.execve` is missing (Windows, Deno) nothing happens.

/** What a relaunch needs of the process, passed in (the CLI edge gives the real one). */
export interface RelaunchTarget {
  /** The path of the running executable. */
  execPath: string;
  /** The name it was started under (kept: a link named `devservices` selects that command line). */
  argv0: string;
  /** The process's argv: for a compiled binary, [runtime, embedded entry, ...arguments]. */
  argv: readonly string[];
  env: Record<string, string | undefined>;
  /** Replaces the running program; returns only when that failed (it then throws). */
  execve?: (file: string, args: string[], env: Record<string, string>) => unknown;
}

/** A compiled Bun binary's argv[1] is its embedded entry (`/$bunfs/…`; `B:/~BUN/…` on Windows). */
export function isCompiledEntry(entry: string | undefined): boolean {
  return entry !== undefined && (entry.startsWith("/$bunfs/") || entry.includes("~BUN"));
}

/**
 * The executable, argument vector and environment that start this same command again with
 * `extra` added to the environment; undefined when this process cannot be relaunched so.
 */
export function relaunchCommand(
  target: RelaunchTarget,
  extra: Record<string, string>,
): { file: string; args: string[]; env: Record<string, string> } | undefined {
  if (!isCompiledEntry(target.argv[1])) return undefined;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(target.env)) if (v !== undefined) env[k] = v;
  return {
    file: target.execPath,
    args: [target.argv0, ...target.argv.slice(2)],
    env: { ...env, ...extra },
  };
}

/**
 * Replaces the running program by itself with `extra` in its environment. Does not return when
 * it worked; returns false when it cannot be done here or the system refused (the caller goes
 * on as it is).
 */
export function relaunchWith(target: RelaunchTarget, extra: Record<string, string>): boolean {
  const command = relaunchCommand(target, extra);
  if (!command || !target.execve) return false;
  try {
    target.execve(command.file, command.args, command.env);
  } catch {
    // Refused (the binary was replaced, no permission): go on as this process.
  }
  return false;
}
