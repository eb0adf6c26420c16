#!/usr/bin/env bash
# registry-stop.sh STATE_DIR — stop the registry that registry-start.sh started.
#
# Why: leave nothing listening after CI, and never stop a registry we did not
# start: only the PID in STATE_DIR/registry.pid is signalled (SIGTERM, up to
# 10 s, then SIGKILL). Idempotent: no pid file means nothing to do. The
# registry data in STATE_DIR/registry-data is left in place.
set -euo pipefail

STATE_DIR=${1:?usage: registry-stop.sh STATE_DIR}
PIDFILE="$STATE_DIR/registry.pid"
say() { printf 'registry-stop: %s\n' "$*" >&2; }

[[ -f "$PIDFILE" ]] || exit 0
pid=$(<"$PIDFILE")

alive() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ ${stat%% *} != Z ]]
}

if [[ ! $pid =~ ^[0-9]+$ ]]; then
  say "ignoring malformed pid file $PIDFILE"
elif ! alive "$pid"; then
  :
elif [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" != docker-regis* ]]; then
  say "pid $pid is no longer docker-registry (pid reused?); not signalling it"
else
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 50); do alive "$pid" || break; sleep 0.2; done
  if alive "$pid"; then
    say "docker-registry (pid $pid) still running after 10s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 25); do alive "$pid" || break; sleep 0.2; done
  fi
fi
rm -f "$PIDFILE"
