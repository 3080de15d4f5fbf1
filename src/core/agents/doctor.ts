// One agent profile, checked before any task needs it: is its command there (and where), what
// does `--version` say, how does it log in, and what will it refuse. "Check Agents" and
// `agent-orchestrator doctor` show this for every profile (src/core/run/checkAgents.ts adds git
// and the default agent); a run would otherwise be the first to find a CLI missing.
import { findOnPath, programVersion, type VersionProbe } from '../process';
import { loginHint } from './loginHint';
import type { AgentProfile } from './profiles';

/** `unchecked`: the command holds a placeholder (`{worktree}/bin/agent`), known only per task. */
export type CommandState = 'found' | 'missing' | 'not-executable' | 'unchecked';

export interface ProfileCheck {
  readonly name: string;
  readonly command: string;
  readonly builtin: boolean;
  readonly description?: string;
  readonly state: CommandState;
  /** The full path the command resolves to (when found, or found but not executable). */
  readonly path?: string;
  /** The first line of `<command> --version`. */
  readonly version?: string;
  /** Why there is no version: it timed out, failed or exited non-zero. */
  readonly versionProblem?: string;
  /** How this CLI authenticates (src/core/agents/loginHint.ts). */
  readonly loginHint: string;
  /** What this profile will run into on this machine, in words. */
  readonly limits: readonly string[];
}

export interface ProfileCheckOptions {
  /** Where `--version` runs, and where a relative command is resolved. */
  readonly cwd: string;
  readonly timeoutMs: number;
  /** false: look the command up only, start nothing (cheap enough for an editor's activation). */
  readonly runVersion?: boolean;
  /** The user id the agents run as; default this process's (undefined on Windows). */
  readonly uid?: number;
}

const SKIP_PERMISSIONS = '--dangerously-skip-permissions';

/** What the profile will refuse or miss on this machine. */
export function profileLimits(profile: Pick<AgentProfile, 'args'>, uid: number | undefined): string[] {
  const limits: string[] = [];
  // Claude Code exits at once with this flag when it runs as root (CI containers often do).
  if (uid === 0 && profile.args.includes(SKIP_PERMISSIONS)) {
    limits.push(`Claude Code refuses ${SKIP_PERMISSIONS} when run as root: use --permission-mode acceptEdits, or run as another user`);
  }
  return limits;
}

function describeProbe(probe: VersionProbe): Pick<ProfileCheck, 'version' | 'versionProblem'> {
  if (probe.state === 'ok') return { version: probe.text };
  if (probe.state === 'timed-out') return { versionProblem: `--version timed out after ${probe.afterMs} ms` };
  return { versionProblem: probe.message };
}

export async function checkProfile(profile: AgentProfile, options: ProfileCheckOptions): Promise<ProfileCheck> {
  const base = {
    name: profile.name,
    command: profile.command,
    builtin: profile.builtin,
    ...(profile.description === undefined ? {} : { description: profile.description }),
    loginHint: loginHint(profile),
    limits: profileLimits(profile, 'uid' in options ? options.uid : process.getuid?.()),
  };
  if (/\{\w+\}/.test(profile.command)) return { ...base, state: 'unchecked' };
  // The profile's own PATH, if it sets one, is the one its launch will search.
  const found = findOnPath(profile.command, { cwd: options.cwd, path: profile.env?.PATH });
  if (found.state === 'missing') return { ...base, state: 'missing' };
  if (found.state === 'not-executable') return { ...base, state: 'not-executable', path: found.path };
  if (options.runVersion === false) return { ...base, state: 'found', path: found.path };
  const probe = await programVersion([found.path, '--version'], { cwd: options.cwd, timeoutMs: options.timeoutMs, env: profile.env });
  return { ...base, state: 'found', path: found.path, ...describeProbe(probe) };
}
