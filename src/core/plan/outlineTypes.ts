// The shape of a plan's outline (planOutline.ts builds it; structuredOutline.ts for YAML and
// JSON): apart, so both builders share it without importing each other.

export type PlanKind = 'markdown' | 'yaml' | 'json';

/** A range of the text, 0-based lines and UTF-16 columns, as editors count them; `end` is exclusive. */
export interface OutlineSpan {
  readonly line: number;
  readonly start: number;
  readonly endLine: number;
  readonly end: number;
}

/** A task id where the plan names another task (an `after:` / `dependsOn` entry). */
export interface OutlineRef {
  readonly id: string;
  readonly span: OutlineSpan;
}

export interface OutlineTask {
  readonly id: string;
  /** False when the import assigns the id (the plan does not write it). */
  readonly written: boolean;
  readonly title: string;
  readonly specId: string;
  /** The whole item (Markdown: its line; YAML/JSON: its mapping). */
  readonly span: OutlineSpan;
  /** The written id, else the title: where Go to Definition lands. */
  readonly idSpan: OutlineSpan;
  readonly after: readonly OutlineRef[];
  /** Markdown only: the `{…}` block, braces included. */
  readonly metadata: OutlineSpan | undefined;
  readonly done: boolean;
}

export interface OutlineSpec {
  readonly id: string;
  readonly written: boolean;
  readonly title: string;
  readonly span: OutlineSpan;
  readonly idSpan: OutlineSpan;
  readonly tasks: readonly OutlineTask[];
}

export interface PlanOutline {
  readonly kind: PlanKind;
  readonly specs: readonly OutlineSpec[];
  /** Every task, in document order. */
  readonly tasks: readonly OutlineTask[];
}
