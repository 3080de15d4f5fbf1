#!/usr/bin/env bash
# Installs the real agent CLIs the tests drive against stub model servers (docs/agents.md):
# Claude Code and the Codex CLI, at pinned versions, into .vscode-test/agent-clis/ — a cache
# folder git ignores, beside the code-server test host — not into the project's node_modules.
# Safe to run again: it does nothing when the pinned versions are already there and start.
set -euo pipefail
cd "$(dirname "$0")/.."

CLAUDE_CODE_VERSION=2.1.197
CODEX_VERSION=0.171.0
dir=.vscode-test/agent-clis
claude="$dir/node_modules/@anthropic-ai/claude-code"

installed() {
  node -e 'process.exit(require(process.argv[1]).version === process.argv[2] ? 0 : 1)' "$PWD/$1/package.json" "$2" 2>/dev/null
}

if installed "$claude" "$CLAUDE_CODE_VERSION" && installed "$dir/node_modules/@openai/codex" "$CODEX_VERSION" \
  && "$dir/node_modules/.bin/claude" --version >/dev/null 2>&1 && "$dir/node_modules/.bin/codex" --version >/dev/null 2>&1; then
  echo "== agent CLIs: Claude Code $CLAUDE_CODE_VERSION and Codex $CODEX_VERSION already in $dir"
  exit 0
fi

echo "== agent CLIs: Claude Code $CLAUDE_CODE_VERSION and Codex $CODEX_VERSION into $dir"
mkdir -p "$dir"
cat >"$dir/package.json" <<JSON
{
  "name": "agent-clis",
  "private": true,
  "description": "The agent CLIs the tests drive (scripts/install-agent-clis.sh)",
  "dependencies": {
    "@anthropic-ai/claude-code": "$CLAUDE_CODE_VERSION",
    "@openai/codex": "$CODEX_VERSION"
  }
}
JSON
(cd "$dir" && npm install --no-audit --no-fund --no-package-lock)
# Claude Code's postinstall links its native binary into bin/claude.exe; npm may skip install
# scripts (ignore-scripts, or a policy that has not approved this package): run it ourselves.
if ! "$dir/node_modules/.bin/claude" --version >/dev/null 2>&1; then
  (cd "$claude" && node install.cjs)
fi
"$dir/node_modules/.bin/claude" --version
"$dir/node_modules/.bin/codex" --version
