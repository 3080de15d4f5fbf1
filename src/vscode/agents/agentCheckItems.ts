// The words of "Check Agents" (./checkAgentsCommand.ts): one Quick Pick row per agent profile and
// one for git, decided here without `vscode` so a unit test reads them (test/unit/vscode/). Labels
// carry codicons as `$(name)`, which Quick Pick renders.
import type { AgentsReport, GitCheck, ProfileCheck } from '../../core';

export interface AgentRow {
  readonly kind: 'profile' | 'invalid-profile' | 'git';
  /** The profile this row stands for (kind `profile`). */
  readonly profile?: string;
  readonly label: string;
  readonly description: string;
  readonly detail: string;
  /** The command is there (or known only per task): it may become the default agent. */
  readonly usable: boolean;
}

const STATE_TEXT: Readonly<Record<ProfileCheck['state'], string>> = {
  found: '',
  missing: 'not found',
  'not-executable': 'cannot be executed',
  unchecked: 'command known per task',
};

function profileRow(check: ProfileCheck, defaultAgent: string): AgentRow {
  const usable = check.state === 'found' || check.state === 'unchecked';
  const problem = check.limits.length > 0 || (check.state === 'found' && check.versionProblem !== undefined);
  const icon = !usable ? '$(error)' : problem ? '$(warning)' : '$(pass)';
  const version = check.state === 'found' ? (check.version ?? `version unknown: ${check.versionProblem ?? 'no answer'}`) : STATE_TEXT[check.state];
  const where = check.path ?? (check.state === 'missing' ? `\`${check.command}\` is not on PATH` : check.command);
  return {
    kind: 'profile',
    profile: check.name,
    label: `${icon} ${check.name}`,
    description: [version, check.name === defaultAgent ? '(default agent)' : ''].filter(Boolean).join(' '),
    detail: [where, `to log in: ${check.loginHint}`, ...check.limits].join(' · '),
    usable,
  };
}

function gitRow(git: GitCheck): AgentRow {
  const icon = !git.usable ? '$(error)' : git.problems.length > 0 ? '$(warning)' : '$(pass)';
  return {
    kind: 'git',
    label: `${icon} git`,
    description: git.versionText ?? 'not found',
    detail: [git.path, ...(git.problems.length > 0 ? git.problems : ['worktrees and merge-tree --write-tree available'])].filter(Boolean).join(' · '),
    usable: git.usable,
  };
}

/** The rows in the report's order: the profiles, the settings' invalid ones, then git (when it was checked). */
export function agentRows(report: AgentsReport): AgentRow[] {
  return [
    ...report.profiles.map((check) => profileRow(check, report.defaultAgent)),
    ...report.profileErrors.map((error) => ({ kind: 'invalid-profile' as const, label: '$(error) invalid agent profile', description: 'in agentOrchestrator.agentProfiles', detail: error, usable: false })),
    ...(report.git ? [gitRow(report.git)] : []),
  ];
}

/** The Quick Pick's title: whether a run can start, and why not. */
export function agentsTitle(report: AgentsReport): string {
  if (report.ok) return `Agent Orchestrator: ready — the default agent "${report.defaultAgent}" and git are usable`;
  if (!report.defaultAgentUsable) return `Agent Orchestrator: the default agent "${report.defaultAgent}" is not usable — pick another or fix its profile`;
  return 'Agent Orchestrator: git is not usable — install git 2.38 or later';
}
