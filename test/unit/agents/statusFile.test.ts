import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isStatusStale, parseStatus, readStatusFile, STATUS_TIMEOUT_MS, validateStatus, writeStatusFile, type AgentStatus } from '../../../src/core/agents/statusFile';

const inProgress: AgentStatus = {
  agent_id: 'agent-1',
  sub_issue: 123,
  status: 'in_progress',
  start_time: '2025-12-01T12:00:00Z',
  pr_number: 456,
  completion_time: null,
  error: null,
};

describe('statusFile (the agent status file, docs/database.md)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'orch-status-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts an in-progress status and the terminal states', () => {
    assert.deepEqual(parseStatus(JSON.stringify(inProgress)), { state: 'ok', status: inProgress });
    const failed = { ...inProgress, status: 'failed', completion_time: '2025-12-01T12:30:00.000Z', error: 'Import resolution error', extra: true };
    const read = parseStatus(JSON.stringify(failed));
    assert.equal(read.state, 'ok');
    assert.ok(read.state === 'ok' && !('extra' in read.status) && read.status.error === 'Import resolution error');
    assert.equal(parseStatus(JSON.stringify({ agent_id: 'a', status: 'pending' })).state, 'ok');
    assert.equal(parseStatus(JSON.stringify({ ...inProgress, sub_issue: 'TASK-1-2' })).state, 'ok');
  });

  it('treats empty and cut-off files as "not yet"', async () => {
    const file = join(dir, 'status.json');
    assert.deepEqual(readStatusFile(file), { state: 'missing' });
    writeFileSync(file, '');
    assert.deepEqual(readStatusFile(file), { state: 'partial' });
    const text = JSON.stringify(inProgress);
    writeFileSync(file, text.slice(0, text.length / 2));
    assert.deepEqual(readStatusFile(file), { state: 'partial' });
    writeFileSync(file, text);
    assert.equal((readStatusFile(file)).state, 'ok');
  });

  it('names every problem of an invalid status', () => {
    const check = validateStatus({ agent_id: '', status: 'done', start_time: 'yesterday', pr_number: 1.5, error: 3 });
    assert.equal(check.ok, false);
    assert.deepEqual(!check.ok && check.problems, [
      'agent_id must be a non-empty string',
      'status must be one of pending, in_progress, completed, failed',
      'pr_number must be an integer or null',
      'start_time must be an ISO-8601 time or null',
      'error must be a string or null',
    ]);
    assert.deepEqual(parseStatus('[1]'), { state: 'invalid', problems: ['status must be a JSON object'] });
    const done = validateStatus({ agent_id: 'a', status: 'completed', start_time: '2025-12-01T12:00:00Z' });
    assert.deepEqual(!done.ok && done.problems, ['completion_time is required once completed']);
  });

  it('writes atomically and reads back', async () => {
    const file = join(dir, 'nested', 'agent-1.status.json');
    writeStatusFile(file, inProgress);
    assert.deepEqual(readStatusFile(file), { state: 'ok', status: inProgress });
  });

  it('never throws on a file being rewritten while read', async () => {
    const file = join(dir, 'status.json');
    const text = JSON.stringify(inProgress);
    const states = new Set<string>();
    for (let i = 0; i < 200; i++) {
      writeFileSync(file, text.slice(0, i % text.length));
      states.add((readStatusFile(file)).state);
    }
    assert.deepEqual([...states].sort(), ['partial']);
  });

  it('flags an in-progress status older than 30 minutes', () => {
    const start = Date.parse(inProgress.start_time as string);
    assert.equal(isStatusStale(inProgress, new Date(start + STATUS_TIMEOUT_MS - 1000)), false);
    assert.equal(isStatusStale(inProgress, new Date(start + STATUS_TIMEOUT_MS + 1000)), true);
    assert.equal(isStatusStale({ ...inProgress, status: 'completed', completion_time: inProgress.start_time }, new Date(start + 2 * STATUS_TIMEOUT_MS)), false);
  });
});
