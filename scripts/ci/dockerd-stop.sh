#!/usr/bin/env bash
# dockerd-stop.sh STATE_DIR — stop the dockerd that dockerd-start.sh started.
#
# Why: CI must leave no daemon behind, but must never stop an engine it did not start. Only the
# PID recorded in STATE_DIR/dockerd.pid is signalled (no pkill/killall): SIGTERM, up to 20 s for a
# clean shutdown (dockerd stops its containers and its managed containerd), then SIGKILL.
set -euo pipefail

STATE_DIR=${1:?usage: dockerd-stop.sh STATE_DIR}
say() { printf 'dockerd-stop: %s\n' "$*" >&2; }
# shellcheck source=scripts/ci/lib.sh
source "$(dirname "$0")/lib.sh"
stop_pidfile "$STATE_DIR/dockerd.pid" dockerd 20
