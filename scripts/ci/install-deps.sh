#!/usr/bin/env bash
# install-deps.sh — install the Debian packages the sentryctl test suite needs.
#
# Why: CI machines start from a bare Debian 12 image; only the Debian apt
# mirror and the npm registry are reachable, so every engine/service the
# integration tests use (dockerd, busybox-static for hand-built images, redis,
# memcached, a local registry, postgres, a headless browser) must come from apt.
# Packages already installed are skipped (dpkg status check), and `apt-get
# update` runs only when something is actually missing, so a warm machine pays
# nothing. Quiet on success; apt output goes to a log shown only on failure.
#
# Required (failure => exit 1): docker.io busybox-static redis-server
#   redis-tools memcached python3 (sentryctl evaluates sentry.conf.py with it;
#   the settings tests run real Python files; the `run --interpreter python3`
#   shebang test); for the release tests
#   (tests/release/): file, bsdutils (`script`: a pty to type Ctrl-C into),
#   dash and shellcheck (install.sh is POSIX sh), qemu-user-static and
#   libc6-arm64-cross (the linux-arm64 binary runs under qemu-aarch64-static)
# Optional (failure => warning): docker-registry postgresql python3-django
#   (checks createuser's password hash with Django's own code) chromium prometheus
#   (promtool for tests/e2e/prometheus.test.ts) podman (tests/e2e/podman.test.ts)
#   cgroupfs-mount (a Recommends of docker.io that --no-install-recommends
#   would drop; dockerd-start.sh uses it on hosts without cgroups mounted)
#   docker-compose (1.29: tests/e2e/compose-corpus.test.ts compares its reading of
#   the corpus project files with sentryctl's)
#   Set SENTRYCTL_CI_SKIP_OPTIONAL=1 to not even try the optional ones.
#
# Package maintainer scripts are prevented from auto-starting services
# (policy-rc.d => 101) while we install: the test suite starts its own
# daemons on its own ports and must not find system copies squatting on them.
set -euo pipefail

REQUIRED=(docker.io busybox-static redis-server redis-tools memcached python3
          file dash bsdutils shellcheck qemu-user-static libc6-arm64-cross)
OPTIONAL=(cgroupfs-mount docker-registry postgresql python3-django chromium prometheus podman
          docker-compose)

export DEBIAN_FRONTEND=noninteractive
APT_OPTS=(-y -qq -o Dpkg::Use-Pty=0 -o DPkg::Lock::Timeout=300
          -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)

log() { printf 'install-deps: %s\n' "$*" >&2; }

if [[ $(id -u) -ne 0 ]]; then
  SUDO=(sudo -E)
else
  SUDO=()
fi

is_installed() {
  [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]
}

missing_of() {
  local p
  for p in "$@"; do is_installed "$p" || printf '%s\n' "$p"; done
}

mapfile -t MISSING_REQ < <(missing_of "${REQUIRED[@]}")
MISSING_OPT=()
if [[ "${SENTRYCTL_CI_SKIP_OPTIONAL:-0}" != 1 ]]; then
  mapfile -t MISSING_OPT < <(missing_of "${OPTIONAL[@]}")
fi

if (( ${#MISSING_REQ[@]} == 0 && ${#MISSING_OPT[@]} == 0 )); then
  exit 0
fi

LOG=$(mktemp -t install-deps.XXXXXX.log)
POLICY=/usr/sbin/policy-rc.d
OWN_POLICY=0
# shellcheck disable=SC2317 # called via trap
cleanup() {
  if (( OWN_POLICY )); then "${SUDO[@]}" rm -f "$POLICY"; fi
  rm -f "$LOG"
}
trap cleanup EXIT

# Keep maintainer scripts from starting redis/memcached/postgres/dockerd/
# docker-registry as system services (only if no policy is in place already).
if [[ ! -e "$POLICY" ]]; then
  printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$POLICY" >/dev/null
  "${SUDO[@]}" chmod 0755 "$POLICY"
  OWN_POLICY=1
fi

fail_with_log() {
  log "$1"
  tail -n 40 "$LOG" >&2 || true
  exit 1
}

if ! "${SUDO[@]}" apt-get -qq -o DPkg::Lock::Timeout=300 update >"$LOG" 2>&1; then
  if (( ${#MISSING_REQ[@]} > 0 )); then
    fail_with_log "apt-get update failed"
  fi
  log "WARNING: apt-get update failed; skipping optional packages: ${MISSING_OPT[*]}"
  tail -n 10 "$LOG" >&2 || true
  exit 0
fi

if (( ${#MISSING_REQ[@]} > 0 )); then
  log "installing required: ${MISSING_REQ[*]}"
  "${SUDO[@]}" apt-get install "${APT_OPTS[@]}" --no-install-recommends \
      "${MISSING_REQ[@]}" >>"$LOG" 2>&1 \
    || fail_with_log "failed to install required packages: ${MISSING_REQ[*]}"
  mapfile -t STILL < <(missing_of "${REQUIRED[@]}")
  (( ${#STILL[@]} == 0 )) || fail_with_log "still missing after install: ${STILL[*]}"
fi

# Optional packages one at a time so one failure does not block the others.
for p in "${MISSING_OPT[@]}"; do
  log "installing optional: $p"
  : >"$LOG"
  if ! "${SUDO[@]}" apt-get install "${APT_OPTS[@]}" --no-install-recommends \
      "$p" >>"$LOG" 2>&1; then
    log "WARNING: could not install optional package $p (tests needing it will skip)"
    tail -n 5 "$LOG" >&2 || true
  fi
done
exit 0
