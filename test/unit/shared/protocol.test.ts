// The host trusts nothing a webview posts: isWebviewToHostMessage lets through only the messages
// the protocol defines, and only the commands the dashboard may run.
import * as assert from 'node:assert/strict';
import { DASHBOARD_COMMANDS, isWebviewToHostMessage, TASK_COMMANDS } from '../../../src/shared/protocol';

describe('dashboard protocol: what the host accepts from the webview', () => {
  it('accepts ready, a known command (with or without a task), and selecting a task or none', () => {
    for (const message of [
      { type: 'ready' },
      { type: 'runCommand', command: 'agentOrchestrator.runAll' },
      { type: 'runCommand', command: 'agentOrchestrator.cancelTask', taskId: 'TASK-1-1' },
      { type: 'selectTask', taskId: 'TASK-1-1' },
      { type: 'selectTask', taskId: null },
      { type: 'openReview', taskId: 'TASK-1-2' },
    ]) {
      assert.equal(isWebviewToHostMessage(message), true, JSON.stringify(message));
    }
  });

  it('accepts every command the dashboard lists', () => {
    for (const command of DASHBOARD_COMMANDS) assert.equal(isWebviewToHostMessage({ type: 'runCommand', command }), true, command);
  });

  it('rejects what is not a message: nothing, a string, an array, an unknown or missing type', () => {
    for (const value of [undefined, null, 'ready', 42, [], ['ready'], {}, { type: 'state' }, { type: 'output', taskId: 'TASK-1-1' }, { type: 'READY' }, { kind: 'ready' }]) {
      assert.equal(isWebviewToHostMessage(value), false, JSON.stringify(value));
    }
  });

  it('rejects a command the dashboard may not run, or one with a malformed task', () => {
    for (const message of [
      { type: 'runCommand' },
      { type: 'runCommand', command: 'agentOrchestrator.startFresh' },
      { type: 'runCommand', command: 'workbench.action.terminal.new' },
      { type: 'runCommand', command: 42 },
      { type: 'runCommand', command: 'agentOrchestrator.cancelTask', taskId: 7 },
      { type: 'runCommand', command: 'agentOrchestrator.cancelTask', taskId: null },
    ]) {
      assert.equal(isWebviewToHostMessage(message), false, JSON.stringify(message));
    }
  });

  it('rejects selecting a task that is not a string or null', () => {
    for (const message of [{ type: 'selectTask' }, { type: 'selectTask', taskId: 1 }, { type: 'selectTask', taskId: { id: 'TASK-1-1' } }]) {
      assert.equal(isWebviewToHostMessage(message), false, JSON.stringify(message));
    }
  });

  it('rejects opening a review without a task id', () => {
    for (const message of [{ type: 'openReview' }, { type: 'openReview', taskId: '' }, { type: 'openReview', taskId: 3 }, { type: 'openReview', taskId: null }]) {
      assert.equal(isWebviewToHostMessage(message), false, JSON.stringify(message));
    }
  });

  it('passes a task only to the commands that act on one task, all of them dashboard commands', () => {
    assert.deepEqual([...TASK_COMMANDS].sort(), [
      'agentOrchestrator.cancelTask',
      'agentOrchestrator.openTaskWorktree',
      'agentOrchestrator.retryFailed',
      'agentOrchestrator.runSelected',
      'agentOrchestrator.showTaskLog',
    ]);
    for (const command of TASK_COMMANDS) assert.ok((DASHBOARD_COMMANDS as readonly string[]).includes(command), command);
  });
});
