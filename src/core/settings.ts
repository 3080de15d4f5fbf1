// The orchestrator's settings and their defaults. The extension
// reads them from VS Code settings (`agentOrchestrator.*`, same names), the CLI from flags; both
// fill the gaps from here, so a default lives in exactly one place.
import { isAbsolute, join } from 'node:path';
import { DEFAULT_SUCCESS_THRESHOLD, isMergeStrategy, isStrategy, MERGE_STRATEGIES, STRATEGIES, type MergeStrategy, type RoutingRule, type Strategy } from './model';

export interface OrchestratorSettings {
  /** How many agents run at once (default 4). */
  readonly maxParallel: number;
  /** The profile for tasks that name none and match no routing rule. */
  readonly defaultAgent: string;
  readonly routingRules: readonly RoutingRule[];
  /** Custom agent profiles (argv templates), validated by resolveProfiles. */
  readonly agentProfiles: unknown;
  /** How long one attempt may run (default 30 minutes); then its whole process tree is killed. */
  readonly timeoutMinutes: number;
  /** An agent silent (no output line) this long is stopped and fails as stalled; 0: never. */
  readonly stallMinutes: number;
  readonly maxRetries: number;
  /** The first retry waits this long; each further one twice as long (capped at 5 minutes). */
  readonly retryDelaySeconds: number;
  readonly strategy: Strategy;
  /** best_effort's success share (default 80%). */
  readonly threshold: number;
  /** Where worktrees go; default: a folder beside the repository, outside the workspace. */
  readonly worktreeRoot: string | undefined;
  readonly branchPrefix: string;
  /** Run in each new worktree before the agent, as an argv array (e.g. ["npm", "ci"]). */
  readonly setupCommand: readonly string[] | undefined;
  /** Copy the files listed in `.worktreeinclude` (e.g. `.env`) into each worktree. */
  readonly useWorktreeInclude: boolean;
  /** The database file, relative to the workspace root unless absolute: one per workspace, in a folder of its own. */
  readonly databasePath: string;
  /** How "Merge into…" brings a task's work into its target (docs/review.md); default one commit per task. */
  readonly mergeStrategy: MergeStrategy;
  /** While a run goes on, flag tasks that touch the same files (docs/review.md, "Conflict radar"). */
  readonly conflictRadar: boolean;
  /** How often the radar looks at the running tasks' worktrees, in milliseconds. */
  readonly conflictRadarIntervalMs: number;
  /**
   * How many of the newest runs keep their event trace, logs and reports; older runs keep only
   * their row and totals (docs/database.md, "Retention"). Pruned at the start of each run.
   */
  readonly keepRuns: number;
  /** Whose checkouts stay once their work is committed to the branch (docs/architecture.md, "Worktrees"). */
  readonly keepWorktrees: KeepWorktrees;
}

/**
 * Which attempts keep their worktree once their work is on their branch: `failed` those that did
 * not complete (for inspection), `all` every one (until `clean`), `none` no one. The branch always
 * stays; a follow-up, a retry or "Open Task Worktree" makes a checkout again from it.
 */
export type KeepWorktrees = 'failed' | 'all' | 'none';
export const KEEP_WORKTREES: readonly KeepWorktrees[] = ['failed', 'all', 'none'];

export const DEFAULT_SETTINGS: OrchestratorSettings = {
  maxParallel: 4,
  defaultAgent: 'claude',
  routingRules: [],
  agentProfiles: {},
  timeoutMinutes: 30,
  stallMinutes: 5,
  maxRetries: 1,
  retryDelaySeconds: 5,
  strategy: 'wait_all',
  threshold: DEFAULT_SUCCESS_THRESHOLD,
  worktreeRoot: undefined,
  branchPrefix: 'orch/',
  setupCommand: undefined,
  useWorktreeInclude: true,
  databasePath: '.agent-orchestrator/orchestrator.db',
  mergeStrategy: 'squash',
  conflictRadar: true,
  conflictRadarIntervalMs: 3000,
  keepRuns: 20,
  keepWorktrees: 'failed',
};

// Limits the engine keeps that no user sets. They live beside the settings' defaults so that
// every value the engine falls back to has this one home.

/** How long the Scheduler pauses starts after a rate limit when the agent does not say. */
export const DEFAULT_RATE_LIMIT_PAUSE_MS = 60_000;
/** Requeues after rate limits per task and run; one more rate limit fails the task. */
export const DEFAULT_MAX_RATE_LIMIT_REQUEUES = 3;
/** The longest wait before a retry, however often its delay doubled. */
export const MAX_RETRY_DELAY_MS = 5 * 60_000;
/** A task's verify command is stopped after this long. */
export const DEFAULT_VERIFY_TIMEOUT_MS = 15 * 60_000;

/** Every setting's name: the extension's `agentOrchestrator.<name>` and the CLI's settings file use the same. */
export const SETTING_KEYS = Object.keys(DEFAULT_SETTINGS) as readonly (keyof OrchestratorSettings)[];

/**
 * The settings a user set, as `valueOf` finds them (VS Code's configuration, or the CLI's reading
 * of .vscode/settings.json), in the form resolveSettings takes. As in the editor, `null` or an
 * empty string means "the default", and a relative worktree folder is relative to the workspace.
 */
export function userSettings(valueOf: (key: keyof OrchestratorSettings) => unknown, workspaceRoot: string | undefined): Partial<OrchestratorSettings> {
  const values: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) {
    const value = valueOf(key);
    if (value !== undefined && value !== null && value !== '') values[key] = value;
  }
  if (typeof values.worktreeRoot === 'string' && workspaceRoot !== undefined && !isAbsolute(values.worktreeRoot)) {
    values.worktreeRoot = join(workspaceRoot, values.worktreeRoot);
  }
  return values as Partial<OrchestratorSettings>;
}

/** Settings with defaults filled in and every value checked; throws naming the bad setting. */
export function resolveSettings(partial: Partial<OrchestratorSettings> = {}): OrchestratorSettings {
  const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)) as Partial<OrchestratorSettings>;
  const settings = { ...DEFAULT_SETTINGS, ...defined };
  const problems: string[] = [];
  const wholeAtLeast = (name: keyof OrchestratorSettings, min: number) => {
    const value = settings[name];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) problems.push(`${name} must be a whole number ≥ ${min} (got ${JSON.stringify(value)})`);
  };
  wholeAtLeast('maxParallel', 1);
  wholeAtLeast('maxRetries', 0);
  wholeAtLeast('conflictRadarIntervalMs', 50);
  wholeAtLeast('keepRuns', 1);
  if (typeof settings.conflictRadar !== 'boolean') problems.push(`conflictRadar must be true or false (got ${JSON.stringify(settings.conflictRadar)})`);
  if (typeof settings.retryDelaySeconds !== 'number' || !(settings.retryDelaySeconds >= 0)) problems.push(`retryDelaySeconds must be a number ≥ 0 (got ${JSON.stringify(settings.retryDelaySeconds)})`);
  if (typeof settings.timeoutMinutes !== 'number' || !(settings.timeoutMinutes > 0)) problems.push(`timeoutMinutes must be a positive number (got ${JSON.stringify(settings.timeoutMinutes)})`);
  if (typeof settings.stallMinutes !== 'number' || !(settings.stallMinutes >= 0) || !Number.isFinite(settings.stallMinutes)) {
    problems.push(`stallMinutes must be a number ≥ 0, 0 to turn the watchdog off (got ${JSON.stringify(settings.stallMinutes)})`);
  }
  if (!isStrategy(settings.strategy)) problems.push(`strategy must be one of ${STRATEGIES.join(', ')} (got ${JSON.stringify(settings.strategy)})`);
  if (!isMergeStrategy(settings.mergeStrategy)) problems.push(`mergeStrategy must be one of ${MERGE_STRATEGIES.join(', ')} (got ${JSON.stringify(settings.mergeStrategy)})`);
  if (typeof settings.threshold !== 'number' || settings.threshold <= 0 || settings.threshold > 1) problems.push(`threshold must be in (0, 1] (got ${JSON.stringify(settings.threshold)})`);
  if (typeof settings.defaultAgent !== 'string' || settings.defaultAgent.trim() === '') problems.push('defaultAgent must name an agent profile');
  if (!Array.isArray(settings.routingRules) || !settings.routingRules.every(isRoutingRule)) problems.push('routingRules must be a list of { keywords: string[], agent: string, name?: string }');
  if (settings.setupCommand !== undefined && (!Array.isArray(settings.setupCommand) || settings.setupCommand.length === 0 || !settings.setupCommand.every((a) => typeof a === 'string'))) {
    problems.push('setupCommand must be a non-empty list of strings (argv), e.g. ["npm", "ci"]');
  }
  if (!KEEP_WORKTREES.includes(settings.keepWorktrees)) problems.push(`keepWorktrees must be one of ${KEEP_WORKTREES.join(', ')} (got ${JSON.stringify(settings.keepWorktrees)})`);
  if (problems.length > 0) throw new Error(`Invalid Agent Orchestrator settings:\n- ${problems.join('\n- ')}`);
  return settings;
}

function isRoutingRule(value: unknown): value is RoutingRule {
  if (typeof value !== 'object' || value === null) return false;
  const rule = value as Partial<RoutingRule>;
  return typeof rule.agent === 'string' && Array.isArray(rule.keywords) && rule.keywords.every((k) => typeof k === 'string') && (rule.name === undefined || typeof rule.name === 'string');
}
