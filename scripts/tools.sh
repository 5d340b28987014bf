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
