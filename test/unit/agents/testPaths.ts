import { join, resolve } from 'node:path';

// Tests run from out/test/unit/agents; fixtures are read from the source tree, the scripted agent
// from its transpiled copy.
export const REPO_ROOT = resolve(__dirname, '../../../..');
export const FIXTURES = join(REPO_ROOT, 'test/fixtures/agents');
export const SCRIPTED_AGENT = join(REPO_ROOT, 'out/src/core/agents/scripted/scriptedAgent.js');
