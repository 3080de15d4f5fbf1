// `agent-orchestrator conflicts [--json]`: what would collide. Its output is a list of parts, each
// from one source: the predicted conflicts of merging every completed task (here), and whatever
// else knows about collisions (the conflict radar's pairs) adds its own source to
// CONFLICT_SOURCES. Text prints each part's lines in order; --json is one object with a key per part.
import type { Orchestrator } from '../core';
import { radarConflicts } from './radarCommands';

export interface ConflictsPart {
  /** The part's key in the --json object. */
  readonly key: string;
  readonly json: unknown;
  readonly lines: readonly string[];
  /** Whether this part found a conflict (the command's exit code says so). */
  readonly found: boolean;
}

export type ConflictsSource = (orchestrator: Orchestrator) => Promise<ConflictsPart>;

/** Merging every completed, unmerged task into the run's integration branch, simulated. */
export const predictedConflicts: ConflictsSource = async (orchestrator) => {
  let plan;
  try {
    plan = await orchestrator.planMerge({ all: true });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { key: 'predicted', json: { target: null, conflicts: [], note: why }, lines: [`Predicted conflicts: none to check (${why})`], found: false };
  }
  const conflicts = plan.steps.filter((step) => step.state === 'conflict').map((step) => ({ taskId: step.taskId, files: step.conflictFiles, conflictsWith: step.conflictsWith }));
  const lines = [`Predicted conflicts of merging ${plan.steps.length} task(s) into ${plan.target}${plan.usedFallback ? ' (simulated in a temporary worktree: git < 2.38)' : ''}:`];
  if (conflicts.length === 0) lines.push('  none');
  for (const c of conflicts) lines.push(`  ${c.taskId}: ${c.files.join(', ')}${c.conflictsWith.length > 0 ? ` (with ${c.conflictsWith.join(', ')})` : ''}`);
  return { key: 'predicted', json: { target: plan.target, conflicts }, lines, found: conflicts.length > 0 };
};

/** The parts `conflicts` prints, in this order. */
export const CONFLICT_SOURCES: ConflictsSource[] = [predictedConflicts, radarConflicts];

export async function conflictsReport(orchestrator: Orchestrator, sources: readonly ConflictsSource[] = CONFLICT_SOURCES): Promise<ConflictsPart[]> {
  const parts: ConflictsPart[] = [];
  for (const source of sources) parts.push(await source(orchestrator));
  return parts;
}
