#!/usr/bin/env bash
# Installs everything a fresh Debian machine of this kind lacks, for the demo and for the tests:
# Debian packages (chromium drives the tests' browser; ripgrep, kerberos headers and pkg-config
# let the code-server test host build), then the npm packages of the extension and its webview.
# Safe to run again. Needs root (or sudo) for apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."

# build-essential and python3: node-gyp builds code-server's native modules.
packages=(chromium ripgrep libkrb5-dev pkg-config build-essential python3 git procps ca-certificates)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "== Debian packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

echo "== npm packages"
npm ci --no-audit --no-fund
(cd webview-ui && npm ci --no-audit --no-fund)

# The real Claude Code and Codex CLIs for the tests that drive them against stub servers.
bash scripts/install-agent-clis.sh
