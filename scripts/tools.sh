#!/usr/bin/env bash
# Shared by scripts/*: locate (or install, pinned, into the git-ignored .tools/) deno and bun.
# Only Node/npm is assumed on a fresh machine; both runtimes come from the npm registry.
set -euo pipefail
BD_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DENO_VERSION="2.9.6"
BUN_VERSION="1.4.4"
TOOLS="$BD_ROOT/.tools"

install_tools() {
  mkdir -p "$TOOLS"
  echo "bd: installing deno@$DENO_VERSION and bun@$BUN_VERSION into .tools/ (npm registry)" >&2
  npm install --prefix "$TOOLS" --no-audit --no-fund --no-save --loglevel=error \
    "deno@$DENO_VERSION" "bun@$BUN_VERSION" >&2
}

# Prints the path of a deno binary of the pinned version.
deno_bin() {
  if [ -n "${BD_DENO:-}" ]; then echo "$BD_DENO"; return; fi
  # Call the real binary, not the npm wrapper: the wrapper costs ~70 ms per call. The pinned copy
  # in .tools/ comes first: asking a deno on PATH for its version costs tens of ms on every call.
  local bin="$TOOLS/node_modules/@deno/linux-x64-glibc/deno"
  if [ -x "$bin" ]; then echo "$bin"; return; fi
  if command -v deno >/dev/null 2>&1 && deno --version 2>/dev/null | grep -q "^deno $DENO_VERSION "; then
    command -v deno; return
  fi
  install_tools
  echo "$bin"
}

# Prints the path of a bun binary of the pinned version.
bun_bin() {
  local bin="$TOOLS/node_modules/bun/bin/bun.exe"
  [ -x "$bin" ] || install_tools
  echo "$bin"
}

# Chromium for the web UI's browser tests: Debian's package, pinned; installed by the scripts when
# missing (the machines reach Debian's archive; Playwright's own browser download is unreachable).
CHROMIUM_VERSION="150.0.7871.100-1~deb12u1"
chromium_bin() {
  if [ -n "${BD_CHROMIUM:-}" ]; then echo "$BD_CHROMIUM"; return; fi
  if [ -x /usr/bin/chromium ]; then echo /usr/bin/chromium; return; fi
  echo "bd: installing chromium $CHROMIUM_VERSION from Debian's archive (apt-get)" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2 || true
  if ! $sudo apt-get install -y -qq "chromium=$CHROMIUM_VERSION" >&2; then
    # The archive moves on (security updates replace versions): take its current one, and say so.
    echo "bd: chromium $CHROMIUM_VERSION is no longer in the archive; installing the current version" >&2
    $sudo apt-get install -y -qq chromium >&2 || return 1
  fi
  echo /usr/bin/chromium
}
