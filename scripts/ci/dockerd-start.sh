#!/usr/bin/env bash
# dockerd-start.sh STATE_DIR — make sure a Docker engine answers on
# /var/run/docker.sock for the integration tests.
#
# Why: CI machines have docker.io installed (install-deps.sh) but no init
# system starting it, and the sandbox has no usable iptables, so we run
# `dockerd --iptables=false` ourselves. If an engine already answers on the
# socket we use it and write nothing (we don't own it, so dockerd-stop.sh
# must not stop it). Otherwise the daemon's PID goes to STATE_DIR/dockerd.pid
# and its log to STATE_DIR/dockerd.log. overlay2 is tried first; if that
# daemon dies during start-up (e.g. /var/lib/docker sits on overlayfs, as in
# nested containers) we retry once with the slow-but-universal vfs driver.
# Idempotent: re-running while our daemon is up is a no-op.
set -euo pipefail

STATE_DIR=${1:?usage: dockerd-start.sh STATE_DIR}
SOCK=/var/run/docker.sock
PIDFILE="$STATE_DIR/dockerd.pid"
LOG="$STATE_DIR/dockerd.log"
READY_TIMEOUT=${DOCKERD_READY_TIMEOUT:-30}

say() { printf 'dockerd-start: %s\n' "$*" >&2; }

docker_ok() { timeout 10 docker -H "unix://$SOCK" info >/dev/null 2>&1; }

# shellcheck source=scripts/ci/lib.sh
source "$(dirname "$0")/lib.sh"
is_dockerd() { [[ "$(cat "/proc/$1/comm" 2>/dev/null)" == dockerd ]]; }

wait_ready() { # PID -> 0 ready, 1 died, 2 timed out
  local pid=$1 deadline=$((SECONDS + READY_TIMEOUT))
  while (( SECONDS < deadline )); do
    alive "$pid" || return 1
    docker_ok && return 0
    sleep 0.3
  done
  docker_ok && return 0
  return 2
}

fail_with_log() {
  say "$1"
  if [[ -f "$LOG" ]]; then
    say "last lines of $LOG:"
    tail -n 30 "$LOG" >&2
  fi
  exit 1
}

# Our own daemon from an earlier call?
if [[ -f "$PIDFILE" ]]; then
  pid=$(<"$PIDFILE")
  if [[ $pid =~ ^[0-9]+$ ]] && alive "$pid" && is_dockerd "$pid"; then
    rc=0; wait_ready "$pid" || rc=$?
    (( rc == 0 )) && exit 0
    fail_with_log "dockerd (pid $pid, from $PIDFILE) is running but not answering on $SOCK"
  fi
  rm -f "$PIDFILE"   # stale
fi

if docker_ok; then
  say "a Docker engine already answers on $SOCK; using it (not started or managed by this script)"
  exit 0
fi

command -v dockerd >/dev/null || fail_with_log "dockerd not found (run scripts/ci/install-deps.sh)"
command -v docker >/dev/null || fail_with_log "docker CLI not found (run scripts/ci/install-deps.sh)"

# Without an init system nothing may have mounted the cgroup hierarchies.
if ! grep -qE '^[^ ]+ /sys/fs/cgroup(/[^ ]*)? (cgroup|cgroup2) ' /proc/self/mounts \
    && command -v cgroupfs-mount >/dev/null; then
  cgroupfs-mount >/dev/null 2>&1 || say "WARNING: cgroupfs-mount failed; dockerd may not start"
fi

mkdir -p "$STATE_DIR"
: >"$LOG"

start_with() { # DRIVER -> return code of wait_ready
  local driver=$1 pid rc=0
  printf '=== dockerd-start.sh: %s starting dockerd --storage-driver=%s\n' \
    "$(date -u +%FT%TZ)" "$driver" >>"$LOG"
  # setsid: own session, so the daemon outlives this script and is not hit by
  # signals aimed at the caller's process group (Ctrl-C, job control).
  setsid dockerd --iptables=false --storage-driver="$driver" \
    </dev/null >>"$LOG" 2>&1 &
  pid=$!
  echo "$pid" >"$PIDFILE"
  wait_ready "$pid" || rc=$?
  if (( rc == 2 )); then   # hung: don't leave a half-started daemon behind
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do alive "$pid" || break; sleep 0.2; done
    if alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  (( rc == 0 )) || rm -f "$PIDFILE"
  return "$rc"
}

rc=0; start_with overlay2 || rc=$?
(( rc == 0 )) && exit 0
if (( rc == 1 )); then
  say "dockerd with overlay2 exited during start-up; retrying with --storage-driver=vfs"
  rc=0; start_with vfs || rc=$?
  (( rc == 0 )) && exit 0
fi
if (( rc == 2 )); then
  fail_with_log "dockerd did not answer on $SOCK within ${READY_TIMEOUT}s"
fi
fail_with_log "dockerd exited during start-up"
