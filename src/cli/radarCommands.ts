// The CLI's words for the conflict radar, follow-ups and pull requests (docs/review.md): `followup`,
// `pr`, and the radar's part of `conflicts`. Apart from main.ts so the command switch stays a list;
// each function takes an open orchestrator and returns the lines to print.
import type { Orchestrator, OverlapPair, PullRequestResult } from '../core';

/** The radar's pairs as `conflicts` prints them, one line each, or a line saying there are none. */
export function formatOverlapPairs(pairs: readonly OverlapPair[], runId: string | undefined): string {
  if (!runId) return 'Conflict radar: no run yet.';
  if (pairs.length === 0) return `Conflict radar (run ${runId}): no two tasks touched the same file.`;
  const verdict = (pair: OverlapPair) => (pair.conflict === null ? 'conflict unknown' : pair.conflict ? 'CONFLICT' : 'merges cleanly');
  return [
    `Conflict radar (run ${runId}): ${pairs.length} pair${pairs.length === 1 ? '' : 's'} of tasks touched the same files`,
    ...pairs.map((pair) => `  ${pair.taskA} ↔ ${pair.taskB}  ${verdict(pair)}  ${pair.files.join(', ')}`),
  ].join('\n');
}

/**
 * `conflicts`' radar part (a source of src/cli/conflictsCommand.ts, same shape as its
 * ConflictsPart): the latest run's pairs; a pair whose branches conflict counts as found.
 */
export async function radarConflicts(o: Orchestrator): Promise<{ key: string; json: unknown; lines: readonly string[]; found: boolean }> {
  const runId = o.latestRun()?.runId;
  const overlaps = runId ? o.overlaps(runId) : [];
  return { key: 'radar', json: { runId: runId ?? null, overlaps }, lines: formatOverlapPairs(overlaps, runId).split('\n'), found: overlaps.some((pair) => pair.conflict === true) };
}

/** `followup TASK --prompt TEXT [--resolve [--into BRANCH]]`: recorded, the task queued for the next `run`. */
export async function followUpCommand(o: Orchestrator, taskId: string, prompt: string, resolve: { readonly into?: string } | undefined): Promise<string> {
  await o.followUp(taskId, prompt, resolve ? { kind: 'resolve', into: resolve.into } : {});
  return resolve
    ? `${taskId} will resolve its merge${resolve.into ? ` into ${resolve.into}` : ''} in the next run: \`agent-orchestrator run\`.`
    : `Follow-up recorded: ${taskId} continues its branch in the next run: \`agent-orchestrator run\`.`;
}

/** `pr TASK | --integration [BRANCH]`: what happened, for a person. */
export async function pullRequestCommand(o: Orchestrator, what: { readonly taskId: string } | { readonly integration: string }): Promise<PullRequestResult> {
  return o.createPullRequest(what);
}
