// Where the task tree places each row: by spec (fan-out children under their parent) or by
// status group, and when a reload must rebuild the tree rather than re-render a few nodes.
import * as assert from 'node:assert/strict';
import { formatSpecId, parseTaskId } from '../../../src/core/plan/ids';
import type { DisplayStatus } from '../../../src/shared/taskCounts';
import { statusGroupOf, treeLinks, treeShapeKey, type PlacedRow, type TreeGrouping, type TreeLink, type TreePlace } from '../../../src/vscode/tree/taskTreeGroups';

function row(taskId: string, displayStatus: DisplayStatus = 'pending', parentTaskId: string | null = null, specId = formatSpecId(parseTaskId(taskId)!.spec)): PlacedRow {
  return { taskId, specId, parentTaskId, displayStatus };
}

/** "parent > child" per link, a group by its id and a task by its task id: the tree, read top to bottom. */
function outline(rows: readonly PlacedRow[], grouping: TreeGrouping): string[] {
  const name = (place: TreePlace | undefined) => (place === undefined ? '(root)' : place.kind === 'group' ? place.id : place.taskId);
  return treeLinks(rows, grouping).map((link: TreeLink) => `${name(link.parent)} > ${name(link.child)}`);
}

describe('task tree: placing rows', () => {
  describe('by spec', () => {
    it('makes a group per spec in order of its first task, each task under its spec, in plan order', () => {
      assert.deepEqual(outline([row('TASK-2-1'), row('TASK-1-1'), row('TASK-2-2'), row('TASK-1-2')], 'spec'), [
        '(root) > spec/SPEC-002',
        'spec/SPEC-002 > TASK-2-1',
        '(root) > spec/SPEC-001',
        'spec/SPEC-001 > TASK-1-1',
        'spec/SPEC-002 > TASK-2-2',
        'spec/SPEC-001 > TASK-1-2',
      ]);
    });

    it('puts fan-out children under their parent, not beside it', () => {
      const rows = [row('TASK-1-1'), row('TASK-1-2', 'running'), row('TASK-1-3', 'running', 'TASK-1-2'), row('TASK-1-4', 'completed', 'TASK-1-2'), row('TASK-1-5')];
      assert.deepEqual(outline(rows, 'spec'), [
        '(root) > spec/SPEC-001',
        'spec/SPEC-001 > TASK-1-1',
        'spec/SPEC-001 > TASK-1-2',
        'TASK-1-2 > TASK-1-3',
        'TASK-1-2 > TASK-1-4',
        'spec/SPEC-001 > TASK-1-5',
      ]);
    });

    it('keeps a child whose parent is not listed under its spec', () => {
      assert.deepEqual(outline([row('TASK-1-3', 'pending', 'TASK-1-2')], 'spec'), ['(root) > spec/SPEC-001', 'spec/SPEC-001 > TASK-1-3']);
    });

    it('gives a spec group the spec id as its key', () => {
      const [first] = treeLinks([row('TASK-7-1')], 'spec');
      assert.deepEqual(first.child, { kind: 'group', id: 'spec/SPEC-007', key: 'SPEC-007' });
    });
  });

  describe('by status', () => {
    it('lists the groups that have tasks in a fixed order (running first, completed last), not in order of appearance', () => {
      const rows = [row('TASK-1-1', 'completed'), row('TASK-1-2', 'failed'), row('TASK-1-3', 'running'), row('TASK-1-4', 'pending'), row('TASK-1-5', 'completed')];
      assert.deepEqual(outline(rows, 'status'), [
        '(root) > status/running',
        'status/running > TASK-1-3',
        '(root) > status/failed',
        'status/failed > TASK-1-2',
        '(root) > status/pending',
        'status/pending > TASK-1-4',
        '(root) > status/completed',
        'status/completed > TASK-1-1',
        'status/completed > TASK-1-5',
      ]);
    });

    it('puts ready, assigned and spawned tasks in one queued group, and fan-out children flat under their status', () => {
      const rows = [row('TASK-1-1', 'ready'), row('TASK-1-2', 'spawned'), row('TASK-1-3', 'assigned', 'TASK-1-2')];
      assert.deepEqual(outline(rows, 'status'), ['(root) > status/queued', 'status/queued > TASK-1-1', 'status/queued > TASK-1-2', 'status/queued > TASK-1-3']);
    });

    it('maps every status to its group', () => {
      const statuses: DisplayStatus[] = ['pending', 'ready', 'assigned', 'spawned', 'running', 'completed', 'failed', 'timed_out', 'cancelled', 'blocked', 'interrupted'];
      assert.deepEqual(
        statuses.map((status) => statusGroupOf(status)),
        ['pending', 'queued', 'queued', 'queued', 'running', 'completed', 'failed', 'timed_out', 'cancelled', 'blocked', 'interrupted'],
      );
    });
  });

  describe('the shape key', () => {
    const rows = [row('TASK-1-1', 'pending'), row('TASK-1-2', 'spawned', 'TASK-1-1')];

    it('by spec: a status change keeps the shape (only that node re-renders); a new parent or spec changes it', () => {
      const key = treeShapeKey(rows, 'spec', true);
      assert.equal(treeShapeKey([row('TASK-1-1', 'running'), row('TASK-1-2', 'completed', 'TASK-1-1')], 'spec', true), key);
      assert.notEqual(treeShapeKey([row('TASK-1-1'), row('TASK-1-2', 'spawned')], 'spec', true), key);
      assert.notEqual(treeShapeKey([row('TASK-1-1'), row('TASK-1-2', 'spawned', 'TASK-1-1', 'SPEC-009')], 'spec', true), key);
    });

    it('by status: moving to another group changes the shape, moving within the queued group does not', () => {
      const key = treeShapeKey(rows, 'status', true);
      assert.equal(treeShapeKey([row('TASK-1-1', 'pending'), row('TASK-1-2', 'assigned', 'TASK-1-1')], 'status', true), key);
      assert.notEqual(treeShapeKey([row('TASK-1-1', 'pending'), row('TASK-1-2', 'running', 'TASK-1-1')], 'status', true), key);
    });

    it('changes with the grouping, with a database appearing, and with a task added or reordered', () => {
      const key = treeShapeKey(rows, 'spec', true);
      assert.notEqual(treeShapeKey(rows, 'status', true), key);
      assert.notEqual(treeShapeKey([], 'spec', true), treeShapeKey([], 'spec', false));
      assert.notEqual(treeShapeKey([...rows, row('TASK-1-3')], 'spec', true), key);
      assert.notEqual(treeShapeKey([...rows].reverse(), 'spec', true), key);
    });
  });
});
