// Where the tests find the real agent CLIs: scripts/install-agent-clis.sh (run by
// scripts/setup.sh) installs them into .vscode-test/agent-clis/. A missing CLI fails the test
// with what to run, rather than skipping it: a skipped test would hide that nothing was tested.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/repoRoot';

export const AGENT_CLIS_DIR = join(repoRoot(), '.vscode-test', 'agent-clis');

/** The executable of `name` ("claude" or "codex"); throws saying how to install it. */
export function agentCli(name: 'claude' | 'codex', dir = AGENT_CLIS_DIR): string {
  const path = join(dir, 'node_modules', '.bin', name);
  if (!existsSync(path)) {
    throw new Error(`${name} is not installed in ${dir}: run scripts/setup.sh (or scripts/install-agent-clis.sh) first`);
  }
  return path;
}
