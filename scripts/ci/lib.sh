# Shared by the scripts/ci start/stop scripts (sourced, not run).

# alive PID: running and not a zombie (a background child nobody waits for stays a zombie after
# it dies, and `kill -0` succeeds on it).
alive() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ ${stat%% *} != Z ]]
}

# stop_pidfile PIDFILE COMM_PATTERN GRACE_SECONDS: stops only the process recorded in PIDFILE,
# and only if its command name still matches (a reused PID is never signalled): SIGTERM, wait,
# then SIGKILL. Removes the pid file. No pid file means nothing to do.
stop_pidfile() {
  local pidfile=$1 pattern=$2 grace=$3 pid
  [[ -f "$pidfile" ]] || return 0
  pid=$(<"$pidfile")
  if [[ ! $pid =~ ^[0-9]+$ ]]; then
    say "ignoring malformed pid file $pidfile"
  elif ! alive "$pid"; then
    : # already gone
  # shellcheck disable=SC2053 # the pattern is a glob on purpose
  elif [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" != $pattern ]]; then
    say "pid $pid is no longer $pattern (pid reused?); not signalling it"
  else
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq $((grace * 5))); do alive "$pid" || break; sleep 0.2; done
    if alive "$pid"; then
      say "pid $pid still running after ${grace}s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      for _ in $(seq 25); do alive "$pid" || break; sleep 0.2; done
      alive "$pid" && say "WARNING: pid $pid survived SIGKILL"
    fi
  fi
  rm -f "$pidfile"
}

# PIDs of running conmon processes (Podman's container/exec monitors), one per line.
conmon_pids() {
  local d
  for d in /proc/[0-9]*; do
    [[ "$(cat "$d/comm" 2>/dev/null)" == conmon ]] && printf '%s\n' "${d#/proc/}"
  done
  return 0
}
