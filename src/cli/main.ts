// The headless entry point: the same engine as the extension, driven from a terminal or CI.
import './engineFlags';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { describeRecovery, isStrategy, KEEP_WORKTREES, Orchestrator, PlanValidationError, progressLine, ReadOnlyStoreError, StoreFileError, WorkspaceBusyError, type KeepWorktrees, type OrchestratorSettings, type TaskStatus } from '../core';
import { corkForThisTick } from './corkForThisTick';
import { doctorCommand } from './doctorCommand';
import { EXIT, signalExitCode } from './exitCodes';
import { followUpCommand, pullRequestCommand } from './radarCommands';
import { stopOnSignals } from './stopOnSignals';
import { formatStatusTable } from './statusTable';
import { cliSettings } from './workspaceSettings';
import { readsOnly, REVIEW_COMMANDS, REVIEW_USAGE, reviewCommand, type ReviewOptions } from './reviewCommands';
import { withSpawnHelper } from './withSpawnHelper';
import { UsageError } from './usageError';
import { keepOption, pruneRunsCommand } from './pruneCommand';

const USAGE = `Usage: agent-orchestrator <command> [options]

Commands:
  import <plan>          check a plan (Markdown, YAML or JSON) and store it in the workspace database
  run [TASK-ID...]       run every unfinished task (or these and what they need) until each is final;
                         with --plan FILE, import that plan first (one command from plan to branches)
  status                 the tasks, their status, agent, attempts and errors
  cancel <TASK-ID>|--all cancel a task (or the whole run) of the run in progress
  pause | resume         stop starting new agents / start again
  retry [TASK-ID...]     put failed, timed-out, cancelled, blocked or interrupted tasks back in the queue
  summary [--run ID]     the run's summary.md (with --json: its metrics.json)
  clean [--branches]     remove the worktrees the orchestrator made (--branches: completed work's branches too)
  clean --runs [--keep N] prune the event trace, logs and reports of runs older than the newest N
                         (default: the keepRuns setting, 20); their tasks and totals stay
${REVIEW_USAGE}
  followup <TASK-ID> --prompt TEXT [--resolve [--into BRANCH]]
                         send a finished task a follow-up; the next \`run\` continues its branch
                         (--resolve: merge its branch into BRANCH, the latest integration branch by
                         default, and let the agent resolve the conflicts)
  pr <TASK-ID> | --integration [BRANCH]
                         push the branch and open its pull request (gh), or print the compare link
  doctor                 check the agent CLIs (found on PATH, version, how to log in) and git;
                         exit 1 when the default agent or git is not usable
  version | help

Options:
  --workspace DIR        the workspace (a git repository); default: the current folder
  --json                 machine-readable output
  --agent NAME           default agent profile (claude, codex, gemini, aider, copilot, scripted, or custom)
  --max-parallel N       agents at once (default 4)
  --strategy S           wait_all | fail_fast | best_effort | race (default wait_all);
                         for merge: merge | squash | rebase (default: the mergeStrategy setting, squash)
  --threshold X          best_effort's success share (default 0.8)
  --timeout MIN          minutes per agent attempt (default 30)
  --stall-minutes MIN    stop an agent that printed nothing for this long (default 5; 0: never)
  --retries N            retries after a failure or time-out (default 1)
  --retry-delay SEC      seconds before the first retry, doubling for each further one (default 5)
  --keep-worktrees K     failed | all | none: whose worktrees stay once their work is on the branch
                         (default: the keepWorktrees setting, failed)
  --recover              the database file is damaged: keep it aside and start a new, empty one
  --profiles FILE        agent profiles from FILE (JSON, shaped like the agentProfiles setting)

Settings: the workspace's .vscode/settings.json (agentOrchestrator.*: agentProfiles, routingRules,
defaultAgent…) as in the editor; --profiles replaces its agentProfiles; flags win over both.

Exit codes: 0 done, 1 tasks failed (or the command failed: the message says why; for doctor: the
default agent or git is not usable), 2 usage, 3 invalid plan, 4 merge conflicts, 5 busy (another
process runs this workspace), 6 damaged or newer database, 128+N stopped by signal N after the run
was cancelled.
`;

const OPTIONS = {
  workspace: { type: 'string' },
  json: { type: 'boolean' },
  all: { type: 'boolean' },
  branches: { type: 'boolean' },
  runs: { type: 'boolean' },
  keep: { type: 'string' },
  run: { type: 'string' },
  plan: { type: 'string' },
  agent: { type: 'string' },
  'max-parallel': { type: 'string' },
  strategy: { type: 'string' },
  threshold: { type: 'string' },
  timeout: { type: 'string' },
  'stall-minutes': { type: 'string' },
  retries: { type: 'string' },
  'retry-delay': { type: 'string' },
  'keep-worktrees': { type: 'string' },
  recover: { type: 'boolean' },
  profiles: { type: 'string' },
  into: { type: 'string' },
  'dry-run': { type: 'boolean' },
  'accept-partial': { type: 'boolean' },
  prompt: { type: 'string' },
  resolve: { type: 'boolean' },
  integration: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

function version(): string {
  // dist/cli.js sits one folder below package.json, both in the repo and in the .vsix.
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

function numberOption(values: Values, name: 'max-parallel' | 'threshold' | 'timeout' | 'stall-minutes' | 'retries' | 'retry-delay'): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new UsageError(`--${name} takes a number, not "${raw}"`);
  return value;
}

function settingsFrom(values: Values): Partial<OrchestratorSettings> {
  if (values.strategy !== undefined && !isStrategy(values.strategy)) {
    throw new UsageError(`--strategy must be wait_all, fail_fast, best_effort or race, not "${values.strategy}"`);
  }
  const keep = values['keep-worktrees'];
  if (keep !== undefined && !KEEP_WORKTREES.includes(keep as KeepWorktrees)) throw new UsageError(`--keep-worktrees must be ${KEEP_WORKTREES.join(', ')}, not "${keep}"`);
  return {
    keepWorktrees: keep as KeepWorktrees | undefined,
    defaultAgent: values.agent,
    maxParallel: numberOption(values, 'max-parallel'),
    strategy: values.strategy as OrchestratorSettings['strategy'] | undefined,
    threshold: numberOption(values, 'threshold'),
    timeoutMinutes: numberOption(values, 'timeout'),
    stallMinutes: numberOption(values, 'stall-minutes'),
    maxRetries: numberOption(values, 'retries'),
    retryDelaySeconds: numberOption(values, 'retry-delay'),
  };
}

function scriptedAgentPath(): string {
  const bundled = join(__dirname, 'scripted-agent.js');
  if (existsSync(bundled)) return bundled;
  // Run from the transpiled sources (out/src/cli) in development: use the built bundle.
  return resolve(__dirname, '..', '..', '..', 'dist', 'scripted-agent.js');
}

function print(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}


/** The folder --workspace names (default: the current one); a usage error when it does not exist. */
function workspaceRootOf(values: Values): string {
  const workspaceRoot = resolve(values.workspace ?? process.cwd());
  if (!existsSync(workspaceRoot)) throw new UsageError(`--workspace ${workspaceRoot} does not exist`);
  return workspaceRoot;
}

/** Commands that need the writer: they say so when opening recovered a run whose process died. */
const WRITER_COMMANDS: ReadonlySet<string> = new Set(['run', 'import', 'retry', 'clean', 'merge', 'discard', 'followup']);

/**
 * Opens the workspace's orchestrator for `body`. `reader`: never take the writer lock, so that any
 * number of status pollers (and control requests, which only leave a file for the running process)
 * can never make a `run`, `import` or `clean` find the workspace busy.
 */
async function withOrchestrator<T>(
  values: Values,
  body: (orchestrator: Orchestrator) => Promise<T>,
  options: { readonly prepareRun?: boolean; readonly reader?: boolean; readonly command?: string; readonly runsAgents?: boolean } = {},
): Promise<T> {
  const workspaceRoot = workspaceRootOf(values);
  return withSpawnHelper(options.runsAgents === true, () => withOpenOrchestrator(workspaceRoot, values, body, options));
}

async function withOpenOrchestrator<T>(
  workspaceRoot: string,
  values: Values,
  body: (orchestrator: Orchestrator) => Promise<T>,
  options: { readonly prepareRun?: boolean; readonly reader?: boolean; readonly command?: string },
): Promise<T> {
  const orchestrator = await Orchestrator.open({
    workspaceRoot,
    settings: cliSettings(workspaceRoot, values.profiles, settingsFrom(values)),
    scriptedAgentPath: scriptedAgentPath(),
    prepareRun: options.prepareRun,
    // --recover needs the writer (it moves the damaged file aside), even for a reader's command.
    storeOptions: options.reader && values.recover !== true ? { readOnly: true } : { recover: values.recover === true },
  });
  // --recover moved a damaged file aside: say where it is kept before anything else.
  if (orchestrator.storeNotice) process.stderr.write(`agent-orchestrator: ${orchestrator.storeNotice.message}\n`);
  // On stderr: stdout may be --json.
  if (orchestrator.lastRecovery && WRITER_COMMANDS.has(options.command ?? '')) process.stderr.write(`${describeRecovery(orchestrator.lastRecovery)}\n`);
  try {
    return await body(orchestrator);
  } finally {
    await orchestrator.close();
  }
}

function reviewOptions(values: Values): ReviewOptions {
  return { json: values.json === true, all: values.all === true, into: values.into, strategy: values.strategy, dryRun: values['dry-run'] === true, acceptPartial: values['accept-partial'] === true };
}

async function command(name: string, args: readonly string[], values: Values): Promise<number> {
  if (REVIEW_COMMANDS.has(name)) {
    const options = reviewOptions(values);
    // --strategy names a merge strategy here, not the run's.
    return withOrchestrator({ ...values, strategy: undefined }, (o) => reviewCommand(name, args, options, o, print), { reader: readsOnly(name, options), command: name });
  }
  switch (name) {
    case 'import': {
      if (args.length !== 1) throw new UsageError('import takes one plan file');
      return withOrchestrator(values, async (o) => {
        const { plan, saved } = await o.importPlan(resolve(args[0]));
        if (values.json) print(JSON.stringify({ specs: plan.specs.length, tasks: plan.tasks.length, saved }, null, 2));
        else print(`Imported ${plan.tasks.length} tasks in ${plan.specs.length} specifications from ${args[0]}.`);
        return EXIT.ok;
      }, { command: name });
    }
    case 'run':
      return withOrchestrator(values, async (o) => {
        if (!values.json) o.onEvent((event) => {
          const line = progressLine(event);
          if (!line) return;
          // A task's start is several state changes in one tick: one write for all their lines.
          corkForThisTick(process.stdout);
          print(line);
        });
        // Ctrl+C, `kill` and a closed terminal: cancel the run cleanly (agents' process trees
        // stopped, statuses recorded, the run ended and its summary written), then exit 128+N.
        // A second signal exits at once.
        const stopping = stopOnSignals(() => {
          if (o.activeRunId) void o.control({ command: 'cancelAll' });
        });
        // A signal that came while the plan was imported or the run prepared cancels it as it starts.
        const offStarted = o.onEvent((event) => {
          if (event.type === 'runStarted' && stopping.signal) void o.control({ command: 'cancelAll' });
        });
        try {
          if (values.plan) {
            // The run writes on at once; its own flushes carry the import to the disk.
            const { plan } = await o.importPlan(resolve(values.plan), { waitForDisk: false });
            if (!values.json) print(`Imported ${plan.tasks.length} tasks in ${plan.specs.length} specifications from ${values.plan}.`);
          }
          if (stopping.signal) return signalExitCode(stopping.signal);
          const result = await o.run({ only: args.length > 0 ? args : undefined });
          if (values.json) print(JSON.stringify(result, null, 2));
          else print(`\n${result.summaryMd}\nSummary: ${result.summaryPath}\nMetrics: ${result.metricsPath}`);
          if (stopping.signal) return signalExitCode(stopping.signal);
          if (result.status === 'completed') return EXIT.ok;
          // An attempt ends `blocked` only when its dependencies' branches conflicted (agentExecutor.ts).
          return o.runAttempts(result.runId).some((attempt) => attempt.outcome === 'blocked') ? EXIT.conflicts : EXIT.failed;
        } finally {
          offStarted();
          stopping.dispose();
        }
      }, { prepareRun: true, command: name, runsAgents: true });
    case 'status':
      return withOrchestrator(values, async (o) => {
        const tasks = o.taskViews();
        if (values.json) print(JSON.stringify({ run: o.latestRun() ?? null, counts: o.progressCounts(), tasks }, null, 2));
        else print(tasks.length === 0 ? 'No plan imported yet: run `agent-orchestrator import <plan>`.' : formatStatusTable(tasks, o.progressCounts()));
        return EXIT.ok;
      }, { reader: true });
    case 'cancel':
    case 'pause':
    case 'resume':
      return withOrchestrator(values, async (o) => {
        let request;
        if (name === 'cancel') {
          if (values.all) request = { command: 'cancelAll' } as const;
          else if (args.length === 1) request = { command: 'cancel', taskId: args[0] } as const;
          else throw new UsageError('cancel takes one task id, or --all');
        } else {
          request = { command: name } as const;
        }
        const how = await o.control(request);
        print(how === 'sent' ? `Sent "${name}" to the running orchestrator.` : `${name}: done.`);
        return EXIT.ok;
      }, { reader: true });
    case 'retry':
      return withOrchestrator(values, async (o) => {
        const retried = await o.retry(args.length > 0 ? args : undefined);
        print(values.json ? JSON.stringify({ retried }) : retried.length ? `Queued again: ${retried.join(', ')}. Run \`agent-orchestrator run\`.` : 'Nothing to retry.');
        return EXIT.ok;
      }, { command: name });
    case 'summary':
      return withOrchestrator(values, async (o) => {
        const run = values.run ? o.getRun(values.run) : o.latestRun();
        if (!run) throw new UsageError(values.run ? `No run ${values.run}` : 'No run yet.');
        if (values.json) print(JSON.stringify(run.metrics ?? {}, null, 2));
        else if (run.summaryMd !== null) print(run.summaryMd);
        // An ended run without one never wrote it, or was pruned (docs/database.md, "Retention").
        else print(run.status === 'running' ? `Run ${run.runId} is running and has no summary yet.` : `Run ${run.runId} ended ${run.status} and has no summary: it never wrote one, or it is older than the newest keepRuns runs, which keep theirs (its totals: summary --run ${run.runId} --json).`);
        return EXIT.ok;
      }, { reader: true });
    case 'clean':
      if (values.keep !== undefined && !values.runs) throw new UsageError('--keep goes with --runs');
      if (values.runs) {
        const keep = keepOption(values.keep);
        return withOrchestrator(values, async (o) => {
          print(await pruneRunsCommand(o, keep, values.json === true));
          return EXIT.ok;
        }, { command: name });
      }
      return withOrchestrator(values, async (o) => {
        const { removed, deletedBranches, keptUnknownBranches } = await o.clean({ deleteBranches: values.branches });
        if (values.json) print(JSON.stringify({ removed, deletedBranches, keptUnknownBranches }));
        else {
          print(`Removed ${removed.length} worktree(s)${values.branches ? ` and ${deletedBranches.length} unused branch(es)` : ''}.`);
          if (keptUnknownBranches.length > 0) print(`Kept ${keptUnknownBranches.length} ${o.settings.branchPrefix}* branch(es) this database has no record of.`);
        }
        return EXIT.ok;
      }, { command: name });
    case 'followup': {
      if (args.length !== 1) throw new UsageError('followup takes one task id');
      if (!values.prompt) throw new UsageError('followup needs --prompt TEXT: what the agent should change');
      if (values.into !== undefined && !values.resolve) throw new UsageError('--into goes with --resolve');
      const prompt = values.prompt;
      return withOrchestrator(values, async (o) => {
        const said = await followUpCommand(o, args[0], prompt, values.resolve ? { into: values.into } : undefined);
        print(values.json ? JSON.stringify({ taskId: args[0], queued: true }) : said);
        return EXIT.ok;
      }, { command: name });
    }
    case 'pr': {
      if (values.integration ? args.length > 1 : args.length !== 1) throw new UsageError('pr takes one task id, or --integration [BRANCH]');
      const what = values.integration ? { integration: args[0] ?? '' } : { taskId: args[0] };
      return withOrchestrator(values, async (o) => {
        const result = await pullRequestCommand(o, what);
        print(values.json ? JSON.stringify(result, null, 2) : result.message);
        return result.how === 'no-remote' ? EXIT.failed : EXIT.ok;
      }, { reader: true });
    }
    case 'doctor': {
      if (args.length > 0) throw new UsageError('doctor takes no arguments');
      const workspaceRoot = workspaceRootOf(values);
      const settings = cliSettings(workspaceRoot, values.profiles, settingsFrom(values));
      return doctorCommand({ workspaceRoot, settings, scriptedAgentPath: scriptedAgentPath(), json: values.json === true }, print);
    }
    case 'version':
      print(version());
      return EXIT.ok;
    case 'help':
      print(USAGE);
      return EXIT.ok;
    default:
      throw new UsageError(`unknown command "${name}"`);
  }
}

/** The exit code of a command that failed with `error` (src/cli/exitCodes.ts). */
function exitCodeOf(error: unknown): number {
  if (error instanceof PlanValidationError) return EXIT.invalidPlan;
  if (error instanceof WorkspaceBusyError || error instanceof ReadOnlyStoreError) return EXIT.busy;
  if (error instanceof StoreFileError) return EXIT.database;
  return EXIT.failed;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
    if (values.version) return await command('version', [], values);
    if (values.help || positionals.length === 0) return await command('help', [], values);
    const [name, ...args] = positionals;
    return await command(name, args, values);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`agent-orchestrator: ${(error as Error).message}\n\n${USAGE}`);
      return EXIT.usage;
    }
    // Bad input (an invalid plan, not a git repository, a corrupt database): say what and where.
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`agent-orchestrator: ${message}\n`);
    return exitCodeOf(error);
  }
}

export type { TaskStatus };

/** Resolves once everything written to `stream` so far has been handed to the operating system. */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => stream.write('', () => resolve()));
}

/** Runs the CLI as a process: `main`, then exit with its code. */
export async function runCli(argv: readonly string[]): Promise<void> {
  const code = await main(argv);
  process.exitCode = code;
  // Everything is done and closed, but simple-git leaves a 50 ms timer behind each git process
  // that exits (its wait for a lingering stdout), which would hold the process that long after
  // the last one. Leave once the output has drained instead.
  await Promise.all([drained(process.stdout), drained(process.stderr)]);
  process.exit(code);
}

// dist/cli.js (launcher.ts) calls runCli; run directly (out/src/cli/main.js), this file does.
if (require.main === module) void runCli(process.argv.slice(2));
