// A follow-up with the real Claude Code CLI (scripts/install-agent-clis.sh) against the stub
// Anthropic API on 127.0.0.1: the session id the first attempt recorded reaches the CLI as
// `--resume <id>` in the follow-up's attempt, which runs in a new worktree on the task's branch.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startAnthropicStub, isAgentTurn, writeFileScript } from '../../fixtures/modelStubs/anthropicStub';
import type { StubServer } from '../../fixtures/modelStubs/stubServer';
import { git, useWorkspaces } from '../engine/engineFixture';
import { claudeProfiles } from '../engine/realCliFixture';

const TASK = 'TASK-1-1';

describe('review: a follow-up with the real Claude Code CLI (stub Anthropic API)', function () {
  this.timeout(90_000);
  const workspace = useWorkspaces();
  let server: StubServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('resumes the first attempt’s session: --resume <session id> reaches the CLI, on the task’s branch', async () => {
    const ws = workspace();
    // The first attempt writes a file; the follow-up's turns get a sentence (the stub's tool ids are
    // fixed, and the resumed conversation already holds one).
    const write = writeFileScript('hello.txt', 'hello from the stub\n');
    server = await startAnthropicStub((request) => (JSON.stringify(request.body ?? '').includes('Now say hello once more') ? { kind: 'text', text: 'Hello again.' } : write(request)), { maxRequests: 40 });
    const o = await ws.withPlan([{ id: TASK, prompt: 'Create hello.txt saying hello.' }], { defaultAgent: 'claude', agentProfiles: claudeProfiles(ws, server.url) });
    assert.equal((await o.run()).status, 'completed');
    const first = o.store.listAttempts(TASK)[0];
    assert.ok(first.sessionId, 'the first attempt recorded its session');
    const turnsBefore = server.requestsTo('/v1/messages').filter(isAgentTurn).length;

    await o.followUp(TASK, 'Now say hello once more.');
    await o.run();
    const second = o.store.listAttempts(TASK)[1];
    const log = readFileSync(second.logPath!, 'utf8');
    // The CLI's own words: it reports the session it continues, and the follow-up alone was sent.
    const init = log.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { type?: string; subtype?: string; session_id?: string }).find((event) => event.type === 'system' && event.subtype === 'init');
    assert.equal(second.outcome, 'completed', log.slice(-2000));
    assert.equal(init?.session_id, first.sessionId, 'the follow-up continued the recorded session');
    const turns = server.requestsTo('/v1/messages').filter(isAgentTurn).slice(turnsBefore);
    const sent = JSON.stringify(turns[0].body);
    assert.match(sent, /Now say hello once more\./);
    assert.match(sent, /Create hello\.txt saying hello\./, 'the resumed conversation holds the original task');
    assert.equal(second.startCommit, git(ws.repo, 'rev-parse', first.branch!), 'on the task’s branch');
  });
});
