#!/bin/sh
# Installs the sentryctl binary for this machine (SPEC §1a). POSIX sh: no bash-isms, so it runs
# under dash, busybox ash and macOS's sh alike. Usage:
#   curl -fsSL <release URL>/install.sh | sh
# Environment:
#   SENTRYCTL_DOWNLOAD_URL  where releases live (default below); ${BASE}/<version>/… is fetched
#   SENTRYCTL_VERSION       a release such as v0.1.0 (default: latest)
#   SENTRYCTL_INSTALL_DIR   where the binary goes (default: ~/.local/bin)
# The archive is checked against the release's SHA256SUMS before anything is installed. That
# proves the download is intact, not who made it: the sums come from the same server.
set -eu

# No release is published yet: this placeholder (`.invalid` never resolves) is where the
# project's release URL goes; until then set SENTRYCTL_DOWNLOAD_URL.
DEFAULT_BASE="https://sentryctl.invalid/releases"
BASE="${SENTRYCTL_DOWNLOAD_URL:-$DEFAULT_BASE}"
BASE="${BASE%/}"
VERSION="${SENTRYCTL_VERSION:-latest}"
INSTALL_DIR="${SENTRYCTL_INSTALL_DIR:-${HOME:?HOME is not set}/.local/bin}"

say() { printf 'sentryctl-install: %s\n' "$*"; }
die() {
  printf 'sentryctl-install: error: %s\n' "$*" >&2
  exit 1
}

# A glibc loader means glibc, even if a musl loader sits beside it (Debian's `musl` package).
is_musl() {
  for f in /lib64/ld-linux-x86-64.so.2 /lib/ld-linux-aarch64.so.1; do
    [ -e "$f" ] && return 1
  done
  for f in /lib/ld-musl-*.so.1; do
    [ -e "$f" ] && return 0
  done
  if command -v ldd >/dev/null 2>&1 && ldd --version 2>&1 | grep -qi musl; then
    return 0
  fi
  return 1
}

detect_target() {
  os=$(uname -s)
  arch=$(uname -m)
  case "$os" in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    *) die "unsupported operating system: $os (sentryctl ships for Linux and macOS)" ;;
  esac
  case "$arch" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) die "unsupported CPU: $arch (sentryctl ships for x86-64 and arm64)" ;;
  esac
  # An x86-64 shell on Apple silicon runs under Rosetta: the native arm64 binary is better.
  if [ "$os" = darwin ] && [ "$arch" = x64 ] &&
    [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || echo 0)" = 1 ]; then
    arch=arm64
  fi
  libc=""
  if [ "$os" = linux ] && is_musl; then libc="-musl"; fi
  echo "$os-$arch$libc"
}

download() { # URL FILE
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --retry 2 -o "$2" "$1"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O "$2" "$1"
  else
    die "neither curl nor wget is installed"
  fi
}

sha256_of() { # FILE
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d ' ' -f 1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d ' ' -f 1
  else
    die "neither sha256sum nor shasum is installed: cannot verify the download"
  fi
}

TARGET=$(detect_target)
ARCHIVE="sentryctl-$TARGET.tar.gz"
TMP=$(mktemp -d 2>/dev/null || mktemp -d -t sentryctl)
PARTIAL=""
trap 'rm -rf "$TMP" ${PARTIAL:+"$PARTIAL"}' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "downloading $ARCHIVE ($VERSION) from $BASE"
download "$BASE/$VERSION/$ARCHIVE" "$TMP/$ARCHIVE" || die "download failed: $BASE/$VERSION/$ARCHIVE"
download "$BASE/$VERSION/SHA256SUMS" "$TMP/SHA256SUMS" || die "download failed: $BASE/$VERSION/SHA256SUMS"

expected=$(awk -v f="$ARCHIVE" '$2 == f || $2 == "*" f { print $1 }' "$TMP/SHA256SUMS")
[ -n "$expected" ] || die "SHA256SUMS has no entry for $ARCHIVE"
actual=$(sha256_of "$TMP/$ARCHIVE")
if [ "$actual" != "$expected" ]; then
  die "checksum mismatch for $ARCHIVE (expected $expected, got $actual); nothing was installed"
fi
say "checksum OK ($actual)"

mkdir "$TMP/x"
tar -xzf "$TMP/$ARCHIVE" -C "$TMP/x" sentryctl || die "cannot unpack $ARCHIVE"
[ -f "$TMP/x/sentryctl" ] || die "$ARCHIVE holds no sentryctl binary"

mkdir -p "$INSTALL_DIR" || die "cannot create $INSTALL_DIR"
# Copy beside the target then rename, so a running sentryctl is never half-overwritten.
PARTIAL="$INSTALL_DIR/.sentryctl.$$"
cp "$TMP/x/sentryctl" "$PARTIAL" || die "cannot write to $INSTALL_DIR"
chmod 755 "$PARTIAL"
mv -f "$PARTIAL" "$INSTALL_DIR/sentryctl" || die "cannot move the binary into $INSTALL_DIR"
PARTIAL=""
say "installed $INSTALL_DIR/sentryctl"

case "$TARGET" in
  *-musl)
    say "musl build: it needs the C++ runtime; on Alpine run: apk add libstdc++"
    ;;
esac
if ! installed=$("$INSTALL_DIR/sentryctl" --version 2>&1); then
  die "installed, but $INSTALL_DIR/sentryctl does not run: $installed"
fi
say "$installed"
case ":${PATH:-}:" in
  *":$INSTALL_DIR:"*) ;;
  *) say "$INSTALL_DIR is not on your PATH; add it, e.g.: export PATH=\"$INSTALL_DIR:\$PATH\"" ;;
esac
