import assert from "node:assert/strict";
import { test } from "node:test";
import { isCompiledEntry, relaunchCommand, type RelaunchTarget, relaunchWith } from "./relaunch.ts";

const compiled = (over: Partial<RelaunchTarget> = {}): RelaunchTarget => ({
  execPath: "/usr/local/bin/sentryctl",
  argv0: "sentryctl",
  argv: ["bun", "/$bunfs/root/sentryctl", "--config", "/c", "serve", "--bind", "127.0.0.1:0"],
  env: { HOME: "/home/u", UNSET: undefined },
  ...over,
});

test("a compiled binary's embedded entry is recognised; a script's path is not", () => {
  assert.equal(isCompiledEntry("/$bunfs/root/sentryctl"), true);
  assert.equal(isCompiledEntry("B:/~BUN/root/sentryctl.exe"), true);
  assert.equal(isCompiledEntry("/work/main/main.ts"), false);
  assert.equal(isCompiledEntry(undefined), false);
});

test("the relaunch: the same executable, arguments, name and environment, plus the extra", () => {
  const command = relaunchCommand(compiled(), { MIMALLOC_PURGE_DELAY: "-1" });
  assert.deepEqual(command, {
    file: "/usr/local/bin/sentryctl",
    args: ["sentryctl", "--config", "/c", "serve", "--bind", "127.0.0.1:0"],
    env: { HOME: "/home/u", MIMALLOC_PURGE_DELAY: "-1" },
  });
});

test("the name it was started under is kept (a link named devservices picks that CLI)", () => {
  const command = relaunchCommand(compiled({ argv0: "/opt/bin/devservices" }), { A: "1" });
  assert.equal(command?.args[0], "/opt/bin/devservices");
});

test("a runtime started on a script is not relaunched: its arguments mean other things", () => {
  const script = compiled({ argv: ["/usr/bin/bun", "/work/main/main.ts", "serve"] });
  assert.equal(relaunchCommand(script, { A: "1" }), undefined);
  let called = false;
  assert.equal(relaunchWith({ ...script, execve: () => (called = true) }, { A: "1" }), false);
  assert.equal(called, false);
});

test("relaunchWith calls execve; a refusal or no execve at all returns false", () => {
  const calls: unknown[][] = [];
  const ok = relaunchWith(
    compiled({ execve: (...args) => calls.push(args) }),
    { MIMALLOC_PURGE_DELAY: "-1" },
  );
  // A real execve does not return; this double does, so the caller goes on as after a refusal.
  assert.equal(ok, false);
  assert.equal(calls.length, 1);
  assert.equal(calls[0]![0], "/usr/local/bin/sentryctl");
  assert.equal((calls[0]![2] as Record<string, string>).MIMALLOC_PURGE_DELAY, "-1");
  const refused = relaunchWith(
    compiled({
      execve: () => {
        throw new Error("EACCES");
      },
    }),
    { A: "1" },
  );
  assert.equal(refused, false);
  assert.equal(relaunchWith(compiled({ execve: undefined }), { A: "1" }), false);
});
