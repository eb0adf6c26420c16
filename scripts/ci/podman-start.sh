#!/usr/bin/env bash
# podman-start.sh STATE_DIR — run Podman's Docker-compatible API on STATE_DIR/podman.sock.
#
# Why: sentryctl must work against Podman too (issue #8); tests/e2e/podman.test.ts runs the core
# cases against this socket. Debian's podman 4.3 runs rootful here with its own storage
# (/var/lib/containers); it does not touch dockerd. Its default ulimits must stay within the
# host's hard limits or every container fails with "error setting rlimit": a containers.conf in
# STATE_DIR (via CONTAINERS_CONF, nothing global is edited) sets them. The test images are
# copied over from Docker (docker save | podman load) when missing.
# PID in STATE_DIR/podman.pid, log in STATE_DIR/podman.log. Not installed => warning, exit 0.
set -euo pipefail

STATE_DIR=${1:?usage: podman-start.sh STATE_DIR}
SOCK="$STATE_DIR/podman.sock"
PIDFILE="$STATE_DIR/podman.pid"
LOG="$STATE_DIR/podman.log"
CONF="$STATE_DIR/containers.conf"

say() { printf 'podman-start: %s\n' "$*" >&2; }

# shellcheck source=scripts/ci/lib.sh
source "$(dirname "$0")/lib.sh"

if ! command -v podman >/dev/null; then
  say "WARNING: podman is not installed; the Podman tests will fail"
  exit 0
fi

ping_ok() { curl -sf --max-time 2 --unix-socket "$SOCK" http://d/_ping >/dev/null 2>&1; }

if [[ -f "$PIDFILE" ]] && alive "$(<"$PIDFILE")" && ping_ok; then
  exit 0
fi

hard_nofile=$(ulimit -Hn)
[[ $hard_nofile == unlimited ]] && hard_nofile=1048576
nofile=$(( hard_nofile < 20000 ? hard_nofile : 20000 ))
cat >"$CONF" <<CONF
[containers]
default_ulimits = ["nofile=${nofile}:${nofile}", "nproc=4096:4096"]
CONF

rm -f "$SOCK"
CONTAINERS_CONF="$CONF" setsid podman system service --time=0 "unix://$SOCK" >"$LOG" 2>&1 &
echo $! >"$PIDFILE"
# conmon monitors already running now are not ours: podman-stop.sh leaves exactly these alone.
conmon_pids >"$STATE_DIR/conmon-before"
for _ in $(seq 50); do ping_ok && break; sleep 0.2; done
ping_ok || { say "podman did not answer on $SOCK"; cat "$LOG" >&2; exit 1; }

for image in sentryctl-test/redis:7 sentryctl-test/busybox:latest sentryctl-test/memcached:1.6; do
  if ! podman image exists "localhost/$image" && docker image inspect "$image" >/dev/null 2>&1; then
    docker save "$image" | podman load -q >/dev/null
  fi
done
say "podman API on $SOCK (pid $(<"$PIDFILE"))"
