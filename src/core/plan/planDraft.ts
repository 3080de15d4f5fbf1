// What a parser hands to buildPlan: the plan as written, before ids are assigned, values are
// normalized and fan-out is expanded. Both formats produce it, so every rule after parsing
// (ids, defaults, fan-out, graph checks) lives in one place and behaves the same for both.

import type { FanOut } from '../model';

/** A problem found while parsing; buildPlan adds the file and, for a task, its final id. */
export interface DraftIssue {
  readonly line: number;
  readonly message: string;
}

export interface DraftTask {
  /** As written (possibly malformed); undefined when an id is to be assigned. */
  readonly id: string | undefined;
  readonly title: string;
  /** Undefined when the plan gives none; the title is used then. */
  readonly prompt: string | undefined;
  /** Raw values: a class name or a number 1–10 (possibly as text), or something invalid. */
  readonly priority: unknown;
  readonly estimatedHours: unknown;
  readonly dependsOn: readonly string[];
  readonly agent: string | undefined;
  readonly files: readonly string[];
  readonly verify: string | undefined;
  readonly done: boolean;
  readonly fanOut: FanOut | undefined;
  readonly strategy: unknown;
  readonly threshold: unknown;
  readonly line: number;
  readonly issues: readonly DraftIssue[];
}

export interface DraftSpec {
  readonly id: string | undefined;
  readonly title: string;
  readonly description: string;
  readonly line: number;
  readonly tasks: readonly DraftTask[];
}

export interface PlanDraft {
  readonly source: string;
  readonly specs: readonly DraftSpec[];
  /** Problems that belong to no task (syntax, spec headings, the file as a whole). */
  readonly issues: readonly DraftIssue[];
}
