#!/usr/bin/env node
// sentryctl's npm launcher: runs the native binary from the platform package npm installed
// (`@sentryctl/<target>`, an optional dependency chosen by its os/cpu/libc fields), passing
// argv, stdio, signals and the exit code through. No download, no postinstall.
//
// Signals: the binary shares our process group, so a terminal's Ctrl-C (or hangup) already
// reaches it; repeating it would look like a second Ctrl-C, which `attach` treats as "kill at
// once". So SIGINT/SIGQUIT/SIGHUP are forwarded only when we are not in the terminal's
// foreground group (the signal was sent to us alone); SIGTERM is always forwarded.
"use strict";

const { spawn, spawnSync } = require("node:child_process");
const { existsSync, readFileSync } = require("node:fs");
const { dirname, join } = require("node:path");
const { constants } = require("node:os");

function isMusl() {
  // A glibc loader means glibc (a musl loader may sit beside it on Debian with `musl` installed).
  const glibc = ["/lib64/ld-linux-x86-64.so.2", "/lib/ld-linux-aarch64.so.1"];
  if (glibc.some((p) => existsSync(p))) return false;
  return ["/lib/ld-musl-x86_64.so.1", "/lib/ld-musl-aarch64.so.1"].some((p) => existsSync(p));
}

function target() {
  const os = process.platform;
  const arch = process.arch;
  if ((os !== "linux" && os !== "darwin") || (arch !== "x64" && arch !== "arm64")) return null;
  return `${os}-${arch}${os === "linux" && isMusl() ? "-musl" : ""}`;
}

function binaryPath(name) {
  try {
    return join(dirname(require.resolve(`@sentryctl/${name}/package.json`)), "bin", "sentryctl");
  } catch {
    return null;
  }
}

/** Are we in the foreground process group of a terminal (so it signals the binary too)? */
function inTerminalForeground() {
  try {
    // /proc/self/stat after the ")" of the command name: state ppid pgrp session tty_nr tpgid
    const stat = readFileSync("/proc/self/stat", "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return f[4] !== "0" && f[5] === f[2];
  } catch {
    // No /proc (macOS): ask ps; tpgid is the terminal's foreground group, 0 or -1 without one.
    const r = spawnSync("ps", ["-o", "pgid=,tpgid=", "-p", String(process.pid)], {
      encoding: "utf8",
    });
    const [pgid, tpgid] = (r.stdout || "").trim().split(/\s+/);
    return Boolean(pgid) && pgid === tpgid;
  }
}

const name = target();
const bin = name && binaryPath(name);
if (!bin) {
  process.stderr.write(
    name
      ? `sentryctl: the package @sentryctl/${name} is not installed. npm installs it as an ` +
        `optional dependency of sentryctl: reinstall without --omit=optional / --no-optional.\n`
      : `sentryctl: no binary for ${process.platform}-${process.arch}; available: linux-x64, ` +
        `linux-arm64, linux-x64-musl, linux-arm64-musl, darwin-x64, darwin-arm64.\n`,
  );
  process.exit(1);
}

const child = spawn(bin, process.argv.slice(2), { stdio: "inherit" });
const FROM_TERMINAL = new Set(["SIGINT", "SIGQUIT", "SIGHUP"]);
const SIGNALS = ["SIGINT", "SIGQUIT", "SIGHUP", "SIGTERM"];
const relay = (signal) => {
  if (FROM_TERMINAL.has(signal) && inTerminalForeground()) return;
  try {
    child.kill(signal);
  } catch {
    // the child is already gone; its exit is handled below
  }
};
for (const signal of SIGNALS) process.on(signal, relay);

child.on("error", (err) => {
  process.stderr.write(`sentryctl: cannot run ${bin}: ${err.message}\n`);
  process.exit(1);
});
child.on("exit", (code, signal) => {
  if (signal) {
    // Die the same way, so the caller sees 128+n as if it had run the binary itself.
    for (const s of SIGNALS) process.removeListener(s, relay);
    process.kill(process.pid, signal);
    // If the signal is ignored or slow to land, still exit with the shell's code for it.
    setTimeout(() => process.exit(128 + (constants.signals[signal] || 0)), 500);
    return;
  }
  process.exit(code === null ? 1 : code);
});
