import { isParserId, PARSER_IDS, type ParserId } from './parsers/types';

// Agent profiles are argv templates (docs/agents.md). Placeholders are substituted inside
// argv elements and nowhere else: an element is never split, quoted or handed to a shell, so
// task text cannot turn into extra arguments or commands.
//
// Prompt placement, per CLI, so that a prompt starting with "-" (a Markdown list item, say) is
// never read as an option: commander and clap stop at `--`; yargs and argparse accept the
// `--flag=value` form whatever the value looks like.

export type { ParserId } from './parsers/types';

export interface AgentProfile {
  readonly name: string;
  /** The executable; may itself contain placeholders (e.g. "{worktree}/bin/agent"). */
  readonly command: string;
  readonly args: readonly string[];
  /** How its stdout is read (parsers/). */
  readonly parser: ParserId;
  /** Extra environment for this agent, merged over the orchestrator's. */
  readonly env?: Readonly<Record<string, string>>;
  readonly description?: string;
  /**
   * Exit codes by which this CLI says what went wrong, so no output has to be read for it: the
   * scripted agent exits 75 when rate limited and 77 when not authenticated.
   */
  readonly exitCodes?: ProfileExitCodes;
  /**
   * The arguments that continue the CLI's own earlier session, for a follow-up (docs/review.md):
   * like `args`, with `{sessionId}` for the session the last attempt reported. Absent: the CLI
   * cannot resume, and the follow-up's prompt carries the context instead.
   */
  readonly resumeArgs?: readonly string[];
  readonly builtin: boolean;
}

export interface ProfileExitCodes {
  readonly rateLimited?: number;
  readonly authError?: number;
}

export interface PlaceholderValues {
  readonly prompt?: string;
  /** A file holding the prompt: for long prompts and for CLIs that read prompts from files. */
  readonly promptFile?: string;
  readonly taskId?: string;
  readonly worktree?: string;
  /** The agent CLI's own session to resume (resumeArgs only). */
  readonly sessionId?: string;
}

export const PLACEHOLDERS = ['prompt', 'promptFile', 'taskId', 'worktree', 'sessionId'] as const;
const PLACEHOLDER_PATTERN = /\{(prompt|promptFile|taskId|worktree|sessionId)\}/g;

/** Whether the profile's command or arguments contain `{key}` (say, whether it reads a prompt file). */
export function usesPlaceholder(profile: Pick<AgentProfile, 'command' | 'args'>, key: (typeof PLACEHOLDERS)[number]): boolean {
  return [profile.command, ...profile.args].some((part) => part.includes(`{${key}}`));
}

/** Linux refuses a single argument longer than this (MAX_ARG_STRLEN); other systems are similar. */
export const MAX_ARG_BYTES = 128 * 1024 - 1;

export class ProfileError extends Error {
  override readonly name = 'ProfileError';
}

/**
 * [command, ...args] with placeholders replaced. One pass: text inserted for a placeholder is not
 * scanned again, so a prompt that mentions "{taskId}" stays as written. Unknown `{words}` are left
 * alone (JSON in an argument, for instance).
 */
export function expandArgv(profile: Pick<AgentProfile, 'name' | 'command' | 'args'>, values: PlaceholderValues): string[] {
  const substitute = (template: string): string =>
    template.replace(PLACEHOLDER_PATTERN, (_match, key: keyof PlaceholderValues) => {
      const value = values[key];
      if (value === undefined) throw new ProfileError(`profile "${profile.name}" uses {${key}} but no ${key} was given`);
      return value;
    });
  const argv = [profile.command, ...profile.args].map(substitute);
  if (argv[0].length === 0) throw new ProfileError(`profile "${profile.name}": the command is empty`);
  const long = argv.findIndex((arg) => Buffer.byteLength(arg) > MAX_ARG_BYTES);
  if (long !== -1) {
    throw new ProfileError(
      `profile "${profile.name}": argument ${long} is ${Buffer.byteLength(argv[long])} bytes, more than the operating system accepts in one argument — use {promptFile} instead of {prompt}`,
    );
  }
  return argv;
}

export interface BuiltinProfileOptions {
  /** Absolute path of dist/scripted-agent.js (or the transpiled scriptedAgent.js in tests). */
  readonly scriptedAgentPath: string;
  /**
   * The Node executable for the scripted agent. Default "node" from PATH: inside VS Code
   * `process.execPath` is the editor's binary, which runs scripts only with ELECTRON_RUN_AS_NODE=1
   * (pass that through `scriptedEnv` if you use it).
   */
  readonly nodeCommand?: string;
  readonly scriptedEnv?: Readonly<Record<string, string>>;
}

/** The built-in profiles (docs/agents.md explains their flags). */
export function builtinProfiles(options: BuiltinProfileOptions): AgentProfile[] {
  return [
    {
      name: 'claude',
      command: 'claude',
      args: ['-p', '--output-format', 'stream-json', '--verbose', '--permission-mode', 'acceptEdits', '--', '{prompt}'],
      resumeArgs: ['-p', '--output-format', 'stream-json', '--verbose', '--permission-mode', 'acceptEdits', '--resume', '{sessionId}', '--', '{prompt}'],
      parser: 'claude',
      description: 'Claude Code, non-interactive, streaming JSON events',
      builtin: true,
    },
    {
      name: 'codex',
      command: 'codex',
      args: ['exec', '--json', '-C', '{worktree}', '-s', 'workspace-write', '--', '{prompt}'],
      // `exec resume` takes neither -C nor -s: the working folder is the launch's, the sandbox a -c setting.
      resumeArgs: ['exec', 'resume', '--json', '-c', 'sandbox_mode="workspace-write"', '{sessionId}', '--', '{prompt}'],
      parser: 'codex',
      description: 'OpenAI Codex CLI, exec mode with JSON events',
      builtin: true,
    },
    {
      name: 'gemini',
      command: 'gemini',
      args: ['--prompt={prompt}', '--output-format', 'stream-json', '--approval-mode', 'auto_edit'],
      parser: 'gemini',
      description: 'Gemini CLI, headless with streaming JSON',
      builtin: true,
    },
    {
      name: 'aider',
      command: 'aider',
      args: ['--message-file={promptFile}', '--yes-always', '--no-stream', '--no-pretty'],
      parser: 'aider',
      description: 'aider, one message from a file, plain-text output',
      builtin: true,
    },
    {
      name: 'copilot',
      command: 'copilot',
      args: ['-p', '{prompt}', '--allow-all-tools', '--output-format', 'json'],
      parser: 'copilot',
      description: 'GitHub Copilot CLI, prompt mode with JSON output',
      builtin: true,
    },
    {
      name: 'scripted',
      command: options.nodeCommand ?? 'node',
      // The prompt as an argument, like the other agent CLIs: no file to create per attempt
      // (measured: 41 ± 19 ms of the CLI's CPU per 50-task run). Custom profiles can still use
      // `--prompt-file {promptFile}`.
      args: [options.scriptedAgentPath, '--task', '{taskId}', '--prompt', '{prompt}'],
      resumeArgs: [options.scriptedAgentPath, '--task', '{taskId}', '--resume', '{sessionId}', '--prompt', '{prompt}'],
      parser: 'scripted',
      env: options.scriptedEnv,
      exitCodes: { rateLimited: 75, authError: 77 },
      description: "The project's deterministic scripted agent (docs/scripted-agent.md)",
      builtin: true,
    },
  ];
}

function isExitCodes(value: unknown): value is ProfileExitCodes {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const code = (n: unknown) => n === undefined || (typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 255);
  const record = value as Record<string, unknown>;
  return Object.keys(record).every((key) => key === 'rateLimited' || key === 'authError') && code(record.rateLimited) && code(record.authError);
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}

/**
 * One custom profile from settings, checked. Returns the problems instead of throwing so the
 * settings UI can list them all at once.
 */
export function validateCustomProfile(raw: unknown, fallbackName?: string): { profile?: AgentProfile; errors: string[] } {
  const where = fallbackName ? `agent profile "${fallbackName}"` : 'agent profile';
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { errors: [`${where}: must be an object`] };
  const r = raw as Record<string, unknown>;
  const errors: string[] = [];
  const name = r.name ?? fallbackName;
  if (typeof name !== 'string' || name.trim().length === 0) errors.push(`${where}: "name" must be a non-empty string`);
  const label = typeof name === 'string' && name.trim() ? `agent profile "${name}"` : where;
  if (typeof r.command !== 'string' || r.command.trim().length === 0) errors.push(`${label}: "command" must be a non-empty string`);
  const args = r.args ?? [];
  if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) errors.push(`${label}: "args" must be an array of strings`);
  const parser = r.parser ?? 'plain';
  if (!isParserId(parser)) errors.push(`${label}: "parser" must be one of ${PARSER_IDS.join(', ')}`);
  if (r.env !== undefined && !isStringRecord(r.env)) errors.push(`${label}: "env" must map names to strings`);
  if (r.description !== undefined && typeof r.description !== 'string') errors.push(`${label}: "description" must be a string`);
  const resumeArgs = r.resumeArgs;
  if (resumeArgs !== undefined && (!Array.isArray(resumeArgs) || !resumeArgs.every((a) => typeof a === 'string'))) errors.push(`${label}: "resumeArgs" must be an array of strings`);
  if (r.exitCodes !== undefined && !isExitCodes(r.exitCodes)) {
    errors.push(`${label}: "exitCodes" must be { "rateLimited"?: N, "authError"?: N } with whole numbers 1-255`);
  }
  if (errors.length > 0) return { errors };
  return {
    errors,
    profile: {
      name: (name as string).trim(),
      command: r.command as string,
      args: [...(args as string[])],
      parser: parser as ParserId,
      env: r.env as Record<string, string> | undefined,
      description: r.description as string | undefined,
      ...(r.exitCodes === undefined ? {} : { exitCodes: r.exitCodes as ProfileExitCodes }),
      ...(resumeArgs === undefined ? {} : { resumeArgs: [...(resumeArgs as string[])] }),
      builtin: false,
    },
  };
}

/**
 * A settings entry named like a built-in profile, completed from it: the fields it leaves out are
 * the built-in's, and its `env` is merged over the built-in's. So `{"claude": {"env": {...}}}`
 * points the real Claude Code at another endpoint without restating its flags.
 */
function overBuiltin(raw: unknown, builtin: AgentProfile | undefined): unknown {
  if (!builtin || typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const entry = raw as Record<string, unknown>;
  const { builtin: _builtin, ...fields } = builtin;
  const env = isStringRecord(entry.env) && builtin.env ? { ...builtin.env, ...entry.env } : (entry.env ?? builtin.env);
  return { ...fields, ...entry, ...(env === undefined ? {} : { env }) };
}

/**
 * Built-ins plus the custom profiles from settings, which may be an array of profiles or an
 * object keyed by name. A custom profile with a built-in's name extends it (overBuiltin): to
 * change its flags, command or environment.
 */
export function resolveProfiles(custom: unknown, options: BuiltinProfileOptions): { profiles: Map<string, AgentProfile>; errors: string[] } {
  const builtins = new Map(builtinProfiles(options).map((p) => [p.name, p] as const));
  const profiles = new Map(builtins);
  const errors: string[] = [];
  const entries: Array<[unknown, string | undefined]> =
    custom === undefined || custom === null
      ? []
      : Array.isArray(custom)
        ? custom.map((p) => [p, undefined])
        : typeof custom === 'object'
          ? Object.entries(custom).map(([name, p]) => [p, name])
          : [];
  if (custom !== undefined && custom !== null && typeof custom !== 'object') errors.push('agent profiles: must be a list or an object of profiles');
  for (const [raw, name] of entries) {
    const rawName = typeof raw === 'object' && raw !== null && typeof (raw as { name?: unknown }).name === 'string' ? (raw as { name: string }).name : name;
    const builtin = rawName === undefined ? undefined : builtins.get(rawName.trim());
    const result = validateCustomProfile(overBuiltin(raw, builtin), name);
    errors.push(...result.errors);
    if (result.profile) profiles.set(result.profile.name, result.profile);
  }
  return { profiles, errors };
}
