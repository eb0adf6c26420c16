#!/usr/bin/env bash
# registry-stop.sh STATE_DIR — stop the registry that registry-start.sh started.
#
# Why: leave nothing listening after CI, and never stop a registry we did not start: only the
# PID in STATE_DIR/registry.pid is signalled (SIGTERM, up to 10 s, then SIGKILL). The registry
# data in STATE_DIR/registry-data is left in place.
set -euo pipefail

STATE_DIR=${1:?usage: registry-stop.sh STATE_DIR}
say() { printf 'registry-stop: %s\n' "$*" >&2; }
# shellcheck source=scripts/ci/lib.sh
source "$(dirname "$0")/lib.sh"
stop_pidfile "$STATE_DIR/registry.pid" 'docker-regis*' 10
