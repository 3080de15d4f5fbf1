// The status sets of src/core/model.ts as the rest of the code relies on them: the store flushes
// a row at once when its task leaves ACTIVE_STATUSES, Retry Failed and Cancel are offered (in the
// tree, the dashboard and the engine) by RETRYABLE_STATUSES and CANCELLABLE_STATUSES.
import * as assert from 'node:assert/strict';
import {
  ACTIVE_STATUSES,
  CANCELLABLE_STATUSES,
  FINAL_STATUSES,
  isLegalTransition,
  RETRYABLE_STATUSES,
  SPEC_TASK_STATUSES,
  TASK_STATUSES,
} from '../../src/core/model';

describe('status sets', () => {
  it('puts every task status in exactly one of: active, final, interrupted', () => {
    for (const status of TASK_STATUSES) {
      const homes = [ACTIVE_STATUSES.has(status), FINAL_STATUSES.has(status), status === 'interrupted'].filter(Boolean);
      assert.equal(homes.length, 1, `${status} is in ${homes.length} of the groups`);
    }
    assert.deepEqual([...ACTIVE_STATUSES].sort(), ['running', 'spawned']);
  });

  it('retries every end but success, and an interruption: each one may legally go back to spawned', () => {
    assert.deepEqual([...RETRYABLE_STATUSES].sort(), ['blocked', 'cancelled', 'failed', 'interrupted', 'timed_out']);
    for (const status of TASK_STATUSES) {
      if (RETRYABLE_STATUSES.has(status)) assert.ok(isLegalTransition(status, 'spawned'), `${status} → spawned is not legal`);
    }
    assert.equal(RETRYABLE_STATUSES.has('completed'), false);
    for (const status of SPEC_TASK_STATUSES) assert.equal(RETRYABLE_STATUSES.has(status), false, `plan status ${status} is retryable`);
  });

  it('cancels what has not ended: the plan statuses and the active ones, each a legal move to cancelled', () => {
    assert.deepEqual([...CANCELLABLE_STATUSES].sort(), ['assigned', 'pending', 'ready', 'running', 'spawned']);
    for (const status of TASK_STATUSES) {
      if (CANCELLABLE_STATUSES.has(status)) assert.ok(isLegalTransition(status, 'cancelled'), `${status} → cancelled is not legal`);
    }
    for (const status of FINAL_STATUSES) assert.equal(CANCELLABLE_STATUSES.has(status), false, `final status ${status} is cancellable`);
  });
});
