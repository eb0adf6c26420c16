#!/usr/bin/env bash
# podman-stop.sh STATE_DIR — stop the Podman API service podman-start.sh started (by PID).
set -euo pipefail
STATE_DIR=${1:?usage: podman-stop.sh STATE_DIR}
say() { printf 'podman-stop: %s\n' "$*" >&2; }
# shellcheck source=scripts/ci/lib.sh
source "$(dirname "$0")/lib.sh"
stop_pidfile "$STATE_DIR/podman.pid" "podman" 10
# Podman 4.3 leaves a conmon monitor behind for an exec started without a hijacked attach (our
# exec probes read the output from the start response); it outlives the removed container. The
# ones that appeared while our service ran are ours: stop them by PID.
if [[ -f "$STATE_DIR/conmon-before" ]]; then
  for pid in $(conmon_pids); do
    grep -qx "$pid" "$STATE_DIR/conmon-before" && continue
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- '--exec-attach' || continue
    kill "$pid" 2>/dev/null || true
  done
  rm -f "$STATE_DIR/conmon-before"
fi
rm -f "$STATE_DIR/podman.sock"
