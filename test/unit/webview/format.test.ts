// The webview's small formatters and its icon per status.
import * as assert from 'node:assert/strict';
import { formatCost, formatCount, formatDuration, formatInteger, STATUS_ICONS, STATUS_LABELS, truncate } from '../../../webview-ui/src/format';

describe('webview: formatting', () => {
  it('truncates long text to the given length, ending in an ellipsis', () => {
    assert.equal(truncate('Add the greeting module', 30), 'Add the greeting module');
    assert.equal(truncate('abcdef', 6), 'abcdef');
    assert.equal(truncate('abcdefg', 6), 'abcde…');
    assert.equal(truncate('abcdefg', 6).length, 6);
  });

  it('groups an integer\'s thousands with commas, as en-US does, without Intl', () => {
    const samples = [0, 7, 999, 1000, 12_345, 1_000_000, 2_147_483_647];
    assert.deepEqual(samples.map(formatInteger), samples.map((n) => n.toLocaleString('en-US')));
  });

  it('shows a cost in dollars and cents', () => {
    assert.deepEqual([formatCost(0), formatCost(0.1), formatCost(1.5), formatCost(12.345)], ['$0.00', '$0.10', '$1.50', '$12.35']);
  });

  it('shows token counts from a thousand on in k, with one decimal', () => {
    assert.deepEqual([formatCount(0), formatCount(999), formatCount(1000), formatCount(1510), formatCount(250_000)], ['0', '999', '1.0k', '1.5k', '250.0k']);
  });

  it('shows durations as seconds, then m:ss, then h:mm:ss', () => {
    assert.deepEqual([formatDuration(-5), formatDuration(400), formatDuration(42_000), formatDuration(187_000), formatDuration(3_723_000)], ['0s', '0s', '42s', '3:07', '1:02:03']);
  });

  it('has an icon and a label for every status, failures and waits told apart', () => {
    const statuses = ['pending', 'ready', 'assigned', 'spawned', 'running', 'completed', 'failed', 'timed_out', 'cancelled', 'blocked', 'interrupted'] as const;
    assert.deepEqual(Object.keys(STATUS_ICONS).sort(), [...statuses].sort());
    assert.deepEqual(
      statuses.map((s) => STATUS_LABELS[s]),
      ['pending', 'ready', 'queued', 'queued', 'running', 'completed', 'failed', 'timed out', 'cancelled', 'blocked', 'interrupted'],
    );
    assert.equal(new Set(['completed', 'failed', 'timed_out', 'cancelled', 'blocked', 'interrupted'].map((s) => STATUS_ICONS[s as (typeof statuses)[number]])).size, 6, 'each ending has its own icon');
  });
});
