// Hints for file-system errors that are not the program's fault: the user can act on a full
// disk, a quota, a read-only mount or a permission, so say which one it is and where.

const HINTS: Readonly<Record<string, string>> = {
  ENOSPC: "the file system holding DIR is full: free some space there",
  EDQUOT: "your disk quota on the file system holding DIR is used up: free some space",
  EROFS: "DIR is on a read-only file system",
  EACCES: "DIR is not writable by this user",
  EPERM: "DIR is not writable by this user",
};

/** A hint naming `dir` for a known errno code; undefined for anything else. */
export function diskErrorHint(err: unknown, dir: string): string | undefined {
  const code = (err as { code?: string } | null)?.code;
  const hint = code === undefined ? undefined : HINTS[code];
  return hint?.replace("DIR", dir);
}
