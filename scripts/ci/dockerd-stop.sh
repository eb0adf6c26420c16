#!/usr/bin/env bash
# dockerd-stop.sh STATE_DIR — stop the dockerd that dockerd-start.sh started.
#
# Why: CI must leave no daemon behind, but must never stop an engine it did
# not start. We only act on the PID recorded in STATE_DIR/dockerd.pid (no
# pkill/killall): SIGTERM, wait up to 20 s for a clean shutdown (dockerd stops
# its containers and its managed containerd), then SIGKILL. Idempotent: no pid
# file means nothing to do.
set -euo pipefail

STATE_DIR=${1:?usage: dockerd-stop.sh STATE_DIR}
PIDFILE="$STATE_DIR/dockerd.pid"
say() { printf 'dockerd-stop: %s\n' "$*" >&2; }

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
  :   # already gone
elif [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" != dockerd ]]; then
  say "pid $pid is no longer dockerd (pid reused?); not signalling it"
else
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do alive "$pid" || break; sleep 0.2; done
  if alive "$pid"; then
    say "dockerd (pid $pid) still running after 20s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 25); do alive "$pid" || break; sleep 0.2; done
    alive "$pid" && say "WARNING: dockerd (pid $pid) survived SIGKILL"
    say "note: its containerd (pid in /var/run/docker/containerd/containerd.pid) may linger; the next dockerd replaces it"
  fi
fi
rm -f "$PIDFILE"
