#!/usr/bin/env bash
# podman-stop.sh STATE_DIR — stop the Podman API service podman-start.sh started (by PID).
set -euo pipefail
STATE_DIR=${1:?usage: podman-stop.sh STATE_DIR}
say() { printf 'podman-stop: %s\n' "$*" >&2; }
# shellcheck source=scripts/ci/lib.sh
source "$(dirname "$0")/lib.sh"
stop_pidfile "$STATE_DIR/podman.pid" "podman" 10
rm -f "$STATE_DIR/podman.sock"
