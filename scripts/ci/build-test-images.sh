#!/usr/bin/env bash
# build-test-images.sh — build the local Docker images the integration tests run.
#
# Why: CI can reach no image registry, so nothing can be pulled and no
# Dockerfile `FROM` works. Instead each image is a root filesystem assembled
# here from busybox-static plus Debian's own binaries (redis-server, redis-cli,
# memcached) with the shared libraries `ldd` reports (paths preserved, the
# dynamic loader included), then turned into an image with `docker import`.
#
# Images (all labelled io.sentry.sentryctl.test=1):
#   sentryctl-test/busybox:latest   busybox only; CMD ["sh"]
#   sentryctl-test/redis:7          redis-server + redis-cli; appendonly, /data
#   sentryctl-test/memcached:1.6    memcached on 11211
#   sentryctl-test/kafka:standin    busybox shell pretending to be a Kafka
#                                   broker: start-up log lines, a `tick <epoch>`
#                                   line per second, a TCP echo listener on
#                                   9092, /usr/bin/kafka-topics that exits 0,
#                                   and a SIGTERM trap so `docker stop` is quick.
#
# Each rootfs is packed into a reproducible tar (sorted, fixed owner and
# mtime); its sha256 plus the import options is stored as the label
# io.sentry.sentryctl.test.hash, and an image whose label already matches is
# not re-imported. Freshly imported images are smoke-tested (redis PING over a
# published port, memcached `version`, kafka stand-in probe/echo/stop time).
#
# Usage: build-test-images.sh [--force] [--verify|--no-verify] [-v]
#   --force      re-import even if the hash label matches
#   --verify     smoke-test all images even if none was rebuilt
#   --no-verify  skip the smoke tests
#   -v           say what is being done (default: silent on success)
set -euo pipefail

FORCE=${BUILD_TEST_IMAGES_FORCE:-0}
VERIFY=auto        # auto = verify only images that were (re)imported
VERBOSE=${CI_VERBOSE:-0}
for arg in "$@"; do
  case $arg in
    --force) FORCE=1 ;;
    --verify) VERIFY=all ;;
    --no-verify) VERIFY=none ;;
    -v|--verbose) VERBOSE=1 ;;
    *) echo "usage: $0 [--force] [--verify|--no-verify] [-v]" >&2; exit 2 ;;
  esac
done

LABEL=io.sentry.sentryctl.test
SYS_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
PREFIX=sentryctl-ci-verify-$$

say() { if [[ $VERBOSE == 1 ]]; then printf 'build-test-images: %s\n' "$*" >&2; fi; }
die() { printf 'build-test-images: ERROR: %s\n' "$*" >&2; exit 1; }

WORK=$(mktemp -d -t sentryctl-images.XXXXXX)
VERIFY_CONTAINERS=()
cleanup() {
  local c
  for c in "${VERIFY_CONTAINERS[@]}"; do docker rm -f "$c" >/dev/null 2>&1 || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

command -v docker >/dev/null || die "docker CLI not found (run scripts/ci/install-deps.sh)"
timeout 20 docker info >/dev/null 2>&1 || die "no Docker engine answering (run scripts/ci/dockerd-start.sh)"
BUSYBOX=$(command -v busybox || true)
[[ -n $BUSYBOX ]] || die "busybox not found (install busybox-static)"
for b in redis-server redis-cli memcached; do
  command -v "$b" >/dev/null || die "$b not found (run scripts/ci/install-deps.sh)"
done

# ---------------------------------------------------------------- rootfs helpers

# copy_file SRC ROOT DEST: copy SRC (dereferenced) to ROOT/DEST. Removes any
# existing DEST first so we never write *through* a symlink into the host.
copy_file() {
  local src=$1 root=$2 dest=$3
  mkdir -p "$root$(dirname "$dest")"
  rm -f "$root$dest"
  cp -L "$src" "$root$dest"
}

# add_binary ROOT SRC [DEST]: the binary plus every shared library ldd lists,
# each at the path ldd prints (so the loader finds them where it looks).
add_binary() {
  local root=$1 src=$2 dest=${3:-$2} lib
  copy_file "$src" "$root" "$dest"
  # Static binaries: ldd prints "not a dynamic executable" and exits 1.
  while read -r lib; do
    [[ -e "$root$lib" ]] || copy_file "$lib" "$root" "$lib"
  done < <(ldd "$src" 2>/dev/null | awk '
      $2 == "=>" && $3 ~ /^\// { print $3; next }
      $1 ~ /^\//               { print $1 }')
}

# make_base ROOT: busybox at /bin/busybox with applet symlinks (sh, echo,
# sleep, nc, cat, ls, wget, ... at their usual paths), /etc/passwd with root,
# /tmp, /data. Built once; each image starts from a copy (new_rootfs).
make_base() {
  local root=$1 p
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,usr/local/bin,etc,tmp,data,root,proc,sys,dev,run,var/tmp}
  chmod 1777 "$root/tmp" "$root/var/tmp"
  chmod 0700 "$root/root"
  add_binary "$root" "$BUSYBOX" /bin/busybox
  printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' \
    'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' >"$root/etc/passwd"
  printf '%s\n' 'root:x:0:' 'nogroup:x:65534:' >"$root/etc/group"
  printf '%s\n' 'passwd: files' 'group: files' 'hosts: files dns' >"$root/etc/nsswitch.conf"
  # One process instead of ~270 `ln` forks: busybox links its own applets
  # (never overwriting existing files) when run chrooted in the new rootfs.
  if ! chroot "$root" /bin/busybox --install -s >/dev/null 2>&1; then
    while read -r p; do
      [[ -n $p && $p != bin/busybox ]] || continue
      [[ -e "$root/$p" || -L "$root/$p" ]] && continue
      mkdir -p "$root/$(dirname "$p")"
      ln -s /bin/busybox "$root/$p"
    done < <("$BUSYBOX" --list-full)
  fi
  rm -f "$root/linuxrc"
  [[ -L "$root/bin/sh" && -L "$root/usr/bin/nc" ]] || die "busybox applet links missing in $root"
}

# new_rootfs ROOT: a fresh copy of the base rootfs.
new_rootfs() { cp -a "$WORK/base" "$1"; }

# ------------------------------------------------------------------- import

BUILT=()

# import_image ROOT TAG CHANGE... : reproducible tar -> hash -> docker import
import_image() {
  local root=$1 tag=$2; shift 2
  local tarball hash old_id old_hash new_id
  tarball="$WORK/${tag//[\/:]/_}.tar"
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 --format=gnu \
      -C "$root" -cf "$tarball" .
  hash=$( { sha256sum <"$tarball"; printf '%s\n' "$@"; } | sha256sum | cut -c1-32)
  old_id=$(docker image inspect -f '{{.Id}}' "$tag" 2>/dev/null || true)
  if [[ -n $old_id && $FORCE != 1 ]]; then
    old_hash=$(docker image inspect -f "{{ index .Config.Labels \"$LABEL.hash\" }}" "$tag" 2>/dev/null || true)
    if [[ $old_hash == "$hash" ]]; then
      say "$tag up to date ($hash)"
      return 0
    fi
  fi
  local changes=(-c "LABEL $LABEL=1 $LABEL.hash=$hash" -c "ENV PATH=$SYS_PATH")
  local c
  for c in "$@"; do changes+=(-c "$c"); done
  new_id=$(docker import "${changes[@]}" -m "sentryctl test image ($hash)" "$tarball" "$tag") \
    || die "docker import of $tag failed"
  # Drop the image this tag pointed to before (now dangling); ignore if in use.
  if [[ -n $old_id && $old_id != "$new_id" ]]; then
    docker rmi "$old_id" >/dev/null 2>&1 || true
  fi
  BUILT+=("$tag")
  say "imported $tag ($hash)"
}

T0=$SECONDS
make_base "$WORK/base"

# busybox -------------------------------------------------------------------
R="$WORK/busybox"
new_rootfs "$R"
import_image "$R" sentryctl-test/busybox:latest 'CMD ["sh"]'

# redis ---------------------------------------------------------------------
# /usr/bin/redis-server is a symlink to redis-check-rdb on Debian; the binary
# picks its mode from argv[0], so it is copied as a file named redis-server.
R="$WORK/redis"
new_rootfs "$R"
add_binary "$R" "$(command -v redis-server)" /usr/bin/redis-server
add_binary "$R" "$(command -v redis-cli)" /usr/bin/redis-cli
import_image "$R" sentryctl-test/redis:7 \
  'WORKDIR /data' 'EXPOSE 6379' \
  'CMD ["redis-server","--appendonly","yes","--dir","/data","--protected-mode","no","--bind","0.0.0.0"]'

# memcached -----------------------------------------------------------------
R="$WORK/memcached"
new_rootfs "$R"
add_binary "$R" "$(command -v memcached)" /usr/bin/memcached
import_image "$R" sentryctl-test/memcached:1.6 \
  'EXPOSE 11211' 'CMD ["memcached","-u","root","-p","11211"]'

# kafka stand-in ------------------------------------------------------------
# busybox nc (Debian 12, 1.35) has no -k; `-ll ... -e PROG` is its persistent
# listener (one PROG per connection); the outer loop restarts it if it dies.
# PID 1 ignores SIGTERM unless it installs a handler, so the script traps TERM
# and sleeps via `sleep 1 & wait $!`, which a trapped signal interrupts at once.
R="$WORK/kafka"
new_rootfs "$R"
cat >"$R/usr/local/bin/kafka-standin" <<'SH'
#!/bin/sh
# Kafka broker stand-in for sentryctl tests (no JVM, no protocol): log lines a
# log-watcher can match, a TCP listener on $KAFKA_PORT (echo), quick SIGTERM.
PORT=${KAFKA_PORT:-9092}
ts() { date '+%Y-%m-%d %H:%M:%S,000'; }
trap 'echo "[$(ts)] INFO [KafkaServer id=1] shut down completed (kafka.server.KafkaServer)"; exit 0' TERM INT
echo "[$(ts)] INFO starting (kafka.server.KafkaServer)"
echo "[$(ts)] INFO Awaiting socket connections on 0.0.0.0:$PORT. (kafka.network.Acceptor)"
( while :; do nc -ll -p "$PORT" -e cat; sleep 1; done ) </dev/null >/dev/null 2>&1 &
echo "[$(ts)] INFO [KafkaServer id=1] started (kafka.server.KafkaServer)"
while :; do
  echo "tick $(date +%s)"
  sleep 1 &
  wait $!
done
SH
printf '#!/bin/sh\n# kafka-topics stand-in: lets exec health probes pass.\nexit 0\n' \
  >"$R/usr/bin/kafka-topics"
chmod 0755 "$R/usr/local/bin/kafka-standin" "$R/usr/bin/kafka-topics"
ln -s kafka-topics "$R/usr/bin/kafka-topics.sh"
import_image "$R" sentryctl-test/kafka:standin \
  'EXPOSE 9092' 'CMD ["/usr/local/bin/kafka-standin"]'

T_BUILD=$((SECONDS - T0))

# ------------------------------------------------------------------- verify

should_verify() {
  case $VERIFY in
    none) return 1 ;;
    all) return 0 ;;
  esac
  local t
  for t in "${BUILT[@]}"; do [[ $t == "$1" ]] && return 0; done
  return 1
}

# run_detached NAME PORT IMAGE [ARGS]: start with PORT published on a random
# loopback port (no clash with anything else on the machine); sets HP to it.
run_detached() {
  local name=$PREFIX-$1 port=$2 hp; shift 2
  VERIFY_CONTAINERS+=("$name")
  docker run -d --name "$name" -p "127.0.0.1::$port" "$@" >/dev/null \
    || die "docker run $* failed"
  hp=$(docker port "$name" "$port/tcp" | head -n1)
  HP=${hp##*:}
}

# tcp_line PORT PAYLOAD: send PAYLOAD (printf %b escapes) to 127.0.0.1:PORT
# and print the first line of the reply, CR stripped.
tcp_line() {
  # shellcheck disable=SC2016 # expanded by the inner bash
  timeout 3 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && printf "%b" "$2" >&3 &&
    IFS= read -r -t 2 line <&3 && printf "%s\n" "$line"' _ "$1" "$2" 2>/dev/null | tr -d '\r'
}

retry() { # SECONDS CMD... : retry CMD every 0.2 s
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do
    (( SECONDS < deadline )) || return 1
    sleep 0.2
  done
}

# stop_fast NAME: docker stop must finish well under 2 s (PID 1 handles TERM).
stop_fast() {
  local name=$PREFIX-$1 t0 ms
  t0=$(date +%s%N)
  docker stop -t 10 "$name" >/dev/null
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  (( ms < 2000 )) || die "docker stop $1 took ${ms} ms (SIGTERM not handled by PID 1?)"
  docker rm -f "$name" >/dev/null 2>&1 || true
  say "$1: stopped in ${ms} ms"
}

T1=$SECONDS

if should_verify sentryctl-test/busybox:latest; then
  out=$(docker run --rm sentryctl-test/busybox:latest sh -c 'echo ok; nc --help 2>&1 | head -n1 >/dev/null; wget --help >/dev/null 2>&1; echo $PATH')
  [[ $out == $'ok\n'"$SYS_PATH" ]] || die "busybox image smoke test failed: $out"
  say "busybox: ok"
fi

if should_verify sentryctl-test/redis:7; then
  run_detached redis 6379 sentryctl-test/redis:7; hp=$HP
  redis_ping() {
    if command -v redis-cli >/dev/null; then
      [[ "$(redis-cli -h 127.0.0.1 -p "$hp" ping 2>/dev/null)" == PONG ]]
    else
      [[ "$(tcp_line "$hp" 'PING\r\n')" == +PONG ]]
    fi
  }
  retry 10 redis_ping || { docker logs "$PREFIX-redis" >&2; die "redis image: no PONG on 127.0.0.1:$hp"; }
  [[ "$(docker exec "$PREFIX-redis" redis-cli ping)" == PONG ]] || die "redis image: in-container redis-cli failed"
  [[ "$(docker exec "$PREFIX-redis" sh -c 'pwd; ls -d /data/appendonlydir')" == $'/data\n/data/appendonlydir' ]] \
    || die "redis image: WORKDIR/appendonly not as expected"
  stop_fast redis
  say "redis: PONG on 127.0.0.1:$hp"
fi

if should_verify sentryctl-test/memcached:1.6; then
  run_detached memcached 11211 sentryctl-test/memcached:1.6; hp=$HP
  mc_version() { [[ "$(tcp_line "$hp" 'version\r\n')" == "VERSION 1.6"* ]]; }
  retry 10 mc_version || { docker logs "$PREFIX-memcached" >&2; die "memcached image: no VERSION on 127.0.0.1:$hp"; }
  stop_fast memcached
  say "memcached: VERSION on 127.0.0.1:$hp"
fi

if should_verify sentryctl-test/kafka:standin; then
  run_detached kafka 9092 sentryctl-test/kafka:standin; hp=$HP
  kafka_started() { docker logs "$PREFIX-kafka" 2>&1 | grep -q 'started (kafka.server.KafkaServer)'; }
  retry 10 kafka_started || { docker logs "$PREFIX-kafka" >&2; die "kafka stand-in: no start-up line"; }
  docker exec "$PREFIX-kafka" kafka-topics --bootstrap-server 127.0.0.1:9092 --list \
    || die "kafka stand-in: kafka-topics probe failed"
  kafka_echo() { [[ "$(tcp_line "$hp" 'hello\n')" == hello ]]; }
  retry 10 kafka_echo || die "kafka stand-in: no echo on 127.0.0.1:$hp"
  kafka_echo || die "kafka stand-in: listener did not survive a second connection"
  retry 5 bash -c "docker logs $PREFIX-kafka 2>&1 | grep -q '^tick [0-9]'" \
    || die "kafka stand-in: no tick lines"
  stop_fast kafka
  say "kafka stand-in: ok on 127.0.0.1:$hp"
fi

say "build ${T_BUILD}s, verify $((SECONDS - T1))s; imported: ${BUILT[*]:-none}"
