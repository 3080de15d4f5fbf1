// `agent-orchestrator doctor`: which agent CLIs this machine has, their versions, how each logs
// in, and whether git will do, before a run finds out (docs/agents.md, "Checking agents"). The
// check is the engine's (checkAgents); this file only words it for a terminal. Exit 0 when the
// default agent and git are usable, 1 when not (src/cli/exitCodes.ts).
import { checkAgents, type AgentsReport, type GitCheck, type OrchestratorSettings, type ProfileCheck } from '../core';
import { EXIT } from './exitCodes';

export interface DoctorRequest {
  readonly workspaceRoot: string;
  /** The settings as every other command reads them (src/cli/workspaceSettings.ts). */
  readonly settings: Partial<OrchestratorSettings>;
  readonly scriptedAgentPath: string;
  readonly json: boolean;
}

const STATE_WORDS: Readonly<Record<ProfileCheck['state'], string>> = {
  found: 'found',
  missing: 'MISSING',
  'not-executable': 'NOT EXECUTABLE',
  unchecked: 'per task',
};

function versionCell(check: ProfileCheck): string {
  if (check.version) return check.version.slice(0, 40);
  if (check.versionProblem) return `? (${check.versionProblem.slice(0, 40)})`;
  return '-';
}

/** One row per profile (the default marked `*`), then limits, invalid profiles, git and the verdict. */
export function formatDoctorReport(report: AgentsReport): string {
  const header = ['PROFILE', 'STATUS', 'VERSION', 'PATH', 'TO LOG IN'];
  const rows = report.profiles.map((check) => [
    `${check.name === report.defaultAgent ? '*' : ' '} ${check.name}`,
    STATE_WORDS[check.state],
    versionCell(check),
    check.path ?? (check.state === 'missing' ? `${check.command} not on PATH` : check.command),
    check.loginHint,
  ]);
  const widths = header.map((h, i) => Math.max(h.length + 2, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const notes = [
    ...report.profiles.flatMap((check) => check.limits.map((limit) => `! ${check.name}: ${limit}`)),
    ...report.profileErrors.map((error) => `! invalid: ${error}`),
  ];
  return [line(['  ' + header[0], ...header.slice(1)]), ...rows.map(line), '', ...notes, ...(notes.length > 0 ? [''] : []), gitLine(report.git), verdict(report)].join('\n');
}

function gitLine(git: GitCheck | undefined): string {
  if (!git) return 'git: not checked';
  const where = git.path ? ` at ${git.path}` : '';
  const what = git.versionText ?? 'git';
  if (git.problems.length === 0) return `${what}${where}: worktrees and merge-tree --write-tree available`;
  return `${what}${where}: ${git.problems.join('; ')}`;
}

function verdict(report: AgentsReport): string {
  const problems: string[] = [];
  const chosen = report.profiles.find((check) => check.name === report.defaultAgent);
  if (!chosen) problems.push(`no agent profile is named "${report.defaultAgent}" (the default agent)`);
  else if (!report.defaultAgentUsable) problems.push(`the default agent "${report.defaultAgent}" (\`${chosen.command}\`) is ${STATE_WORDS[chosen.state].toLowerCase()}`);
  const agentAdvice = problems.length > 0 ? ' Install its CLI, or choose another default agent (--agent NAME, or agentOrchestrator.defaultAgent in .vscode/settings.json).' : '';
  if (report.git && !report.git.usable) problems.push(`git: ${report.git.problems[0] ?? 'not usable'}`);
  if (problems.length === 0) return `Ready: the default agent "${report.defaultAgent}" and git are usable.`;
  return `Not ready: ${problems.join('; ')}.${agentAdvice}`;
}

export async function doctorCommand(request: DoctorRequest, print: (text: string) => void): Promise<number> {
  const report = await checkAgents({ settings: request.settings, builtins: { scriptedAgentPath: request.scriptedAgentPath }, cwd: request.workspaceRoot });
  print(request.json ? JSON.stringify(report, null, 2) : formatDoctorReport(report));
  return report.ok ? EXIT.ok : EXIT.failed;
}
