// Polls a condition until it holds, for end-to-end tests that wait on another process (a
// container stopping, a server's cache filling). Fails naming what it waited for.

/**
 * Calls `fn` every `intervalMs` until it returns something other than `undefined` or `false`,
 * and resolves with that; rejects after `timeoutMs`.
 */
export async function eventually<T>(
  what: string,
  fn: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 20_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
