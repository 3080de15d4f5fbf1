// "Check Agents" and `agent-orchestrator doctor`: every agent profile a run could use (the
// built-ins and the settings' custom ones, resolved as a run resolves them), git, and whether the
// default agent and git are usable, as plain data for the editor's Quick Pick and the CLI's
// table. In run/ because it joins two rooms of the layer below: agents/ (the profile check) and
// git/ (the version check). Everything is checked at once; each program gets `timeoutMs`.
import { checkProfile, resolveProfiles, type BuiltinProfileOptions, type ProfileCheck } from '../agents';
import { checkGit, type GitCheck } from '../git';
import { DEFAULT_SETTINGS, type OrchestratorSettings } from '../settings';

export type { CommandState, ProfileCheck } from '../agents';
export type { GitCheck, GitVersion } from '../git';

/** How long one `--version` may take before it counts as timed out. */
export const DEFAULT_CHECK_TIMEOUT_MS = 5000;

export interface CheckAgentsOptions {
  /** The settings a user set (only `defaultAgent` and `agentProfiles` are read). */
  readonly settings: Partial<OrchestratorSettings>;
  /** What the built-in profiles need, as for Orchestrator.open. */
  readonly builtins: BuiltinProfileOptions;
  /** Where the programs run (the workspace), and where relative commands are resolved. */
  readonly cwd: string;
  readonly timeoutMs?: number;
  /**
   * false: only look commands up, start nothing: no `--version`, no git. Cheap and safe where
   * running programs is not (an editor's activation, an untrusted workspace).
   */
  readonly runPrograms?: boolean;
  /** The user id agents run as; default this process's. */
  readonly uid?: number;
}

export interface AgentsReport {
  /** Every profile, built-ins first, in the order a user sees them in settings. */
  readonly profiles: readonly ProfileCheck[];
  /** Custom profiles in the settings that are not valid (each names the profile and the field). */
  readonly profileErrors: readonly string[];
  readonly defaultAgent: string;
  /** The default agent has a profile and its command is there. */
  readonly defaultAgentUsable: boolean;
  /** Absent when programs were not run. */
  readonly git?: GitCheck;
  /** The default agent and git are usable: a run can start. */
  readonly ok: boolean;
}

function defaultAgentOf(settings: Partial<OrchestratorSettings>): string {
  const name = settings.defaultAgent;
  return typeof name === 'string' && name.trim() !== '' ? name.trim() : DEFAULT_SETTINGS.defaultAgent;
}

/** Checks every profile and git; never throws for what it finds (a bad setting is a profile error). */
export async function checkAgents(options: CheckAgentsOptions): Promise<AgentsReport> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  const runPrograms = options.runPrograms !== false;
  const { profiles, errors } = resolveProfiles(options.settings.agentProfiles, options.builtins);
  const uid = 'uid' in options ? { uid: options.uid } : {};
  const [checks, git] = await Promise.all([
    Promise.all([...profiles.values()].map((profile) => checkProfile(profile, { cwd: options.cwd, timeoutMs, runVersion: runPrograms, ...uid }))),
    runPrograms ? checkGit(options.cwd, timeoutMs) : Promise.resolve(undefined),
  ]);
  const defaultAgent = defaultAgentOf(options.settings);
  const defaultCheck = checks.find((check) => check.name === defaultAgent);
  // A command known only per task (a placeholder) is given the benefit of the doubt.
  const defaultAgentUsable = defaultCheck !== undefined && (defaultCheck.state === 'found' || defaultCheck.state === 'unchecked');
  return { profiles: checks, profileErrors: errors, defaultAgent, defaultAgentUsable, git, ok: defaultAgentUsable && (git?.usable ?? true) };
}
