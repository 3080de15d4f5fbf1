// The real-CLI tests find Claude Code and Codex where scripts/install-agent-clis.sh puts them, and
// fail — not skip — saying what to run when they are not there.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { AGENT_CLIS_DIR, agentCli } from '../../runners/agentClis';

describe('the installed agent CLIs', () => {
  it('are the pinned versions, and start', () => {
    assert.match(execFileSync(agentCli('claude'), ['--version'], { encoding: 'utf8' }), /^2\.1\.197 \(Claude Code\)/);
    assert.match(execFileSync(agentCli('codex'), ['--version'], { encoding: 'utf8' }), /^codex-cli 0\.171\.0/);
  });

  it('missing: an error that says to run scripts/setup.sh', () => {
    const nowhere = join(AGENT_CLIS_DIR, 'no-such-folder');
    assert.throws(() => agentCli('codex', nowhere), { message: `codex is not installed in ${nowhere}: run scripts/setup.sh (or scripts/install-agent-clis.sh) first` });
  });
});
