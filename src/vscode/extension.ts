// The composition root: the only place that builds the extension's objects and wires them
// together. Constructors receive their dependencies; every disposable goes to the context.
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { registerExamplePlanCommand } from './commands/examplePlanCommand';
import { registerCheckAgents } from './agents/checkAgentsCommand';
import { DefaultAgentWatch } from './agents/defaultAgentWatch';
import { registerPlanCommands } from './commands/planCommands';
import { registerRunCommands } from './commands/runCommands';
import { registerTaskCommands } from './commands/taskCommands';
import { GROUPING_KEY, registerWorkspaceCommands } from './commands/workspaceCommands';
import { showError, type CommandDeps } from './commands/commandSupport';
import { taskIdsFromArgs } from './commands/taskArgs';
import { ContextKeys } from './contextKeys';
import { DashboardPanel } from './dashboard/DashboardPanel';
import { registerFollowUps } from './followUp/registerFollowUps';
import { PlanDiagnostics } from './plan/PlanDiagnostics';
import { registerPlanFeatures } from './plan/registerPlanFeatures';
import { registerReviewCommands } from './review/reviewCommands';
import { ReviewParts } from './review/reviewParts';
import { OrchestratorSession } from './session/OrchestratorSession';
import { showRecoveryNotice } from './session/recoveryNotice';
import { RunActivity } from './session/RunActivity';
import { readNotificationLevel, RunNotifier } from './session/RunNotifier';
import { SharedReads } from './session/sharedReads';
import { affectsSettings, readSettings } from './settings';
import { StatusBarController } from './statusBar/StatusBarController';
import { AgentTaskProvider } from './tasks/AgentTaskProvider';
import { TASK_TYPE } from './tasks/taskDefinition';
import { VsCodeTaskLauncher } from './tasks/VsCodeTaskLauncher';
import { TaskTreeModel, type TreeGrouping } from './tree/TaskTreeModel';
import { TaskTreeProvider } from './tree/TaskTreeProvider';
import { UNTRUSTED_MESSAGE } from './trust';
import { SpawnHelperClient, useSpawner } from '../core';

const TREE_VIEW_ID = 'agentOrchestrator.tasks';

let session: OrchestratorSession | undefined;
let spawnHelper: SpawnHelperClient | undefined;

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const started = performance.now();
  const version = String(context.extension.packageJSON.version ?? '0.0.0');
  const log = vscode.window.createOutputChannel('Agent Orchestrator', { log: true });
  context.subscriptions.push(log);

  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    registerWithoutFolder(context, version);
    return { version, activationMs: performance.now() - started };
  }

  // Agents and git start from a small helper process, never from this one: a fork of the
  // extension host blocks its thread for tens of milliseconds (src/core/process/spawnHelper.ts).
  spawnHelper = new SpawnHelperClient({ script: path.join(context.extensionPath, 'dist', 'spawnHelper.js'), onProblem: (message) => log.warn(message) });
  useSpawner(spawnHelper.spawner);

  // Inside VS Code, process.execPath is the editor's runtime: Node under code-server, Electron in
  // the desktop app, which runs scripts as Node only with ELECTRON_RUN_AS_NODE. Either way no
  // `node` on PATH is needed for the scripted agent.
  const scriptedEnv: Record<string, string> = process.versions.electron ? { ELECTRON_RUN_AS_NODE: '1' } : {};
  const launcher = new VsCodeTaskLauncher({
    folder,
    log,
    onUserStop: (origin) => {
      session?.orchestrator?.control({ command: 'cancel', taskId: origin.taskId }).catch((error: unknown) => log.warn(`cancel ${origin.taskId}: ${String(error)}`));
    },
  });
  const scriptedAgentPath = path.join(context.extensionPath, 'dist', 'scripted-agent.js');
  const current = new OrchestratorSession({
    folder,
    scriptedAgentPath,
    nodeCommand: process.execPath,
    scriptedEnv,
    launcher,
    readSettings: () => readSettings(folder.uri),
    log,
  });
  session = current;
  const activity = new RunActivity(current.onDidEmit);
  // The tree and the dashboard redraw together from one snapshot of the store (src/vscode/session/sharedReads.ts).
  const reads = new SharedReads(current);
  const model = new TaskTreeModel(
    {
      read: () => {
        const snapshot = reads.current();
        return snapshot ? { tasks: snapshot.rows(), specs: snapshot.specs(), reviews: snapshot.reviewStates(), overlaps: snapshot.overlaps() } : undefined;
      },
      onDidChange: reads.onDidChange,
      renew: () => reads.renew(),
    },
    activity,
    { grouping: context.workspaceState.get<TreeGrouping>(GROUPING_KEY, 'spec') },
  );
  const review = new ReviewParts(current, model);
  const treeProvider = new TaskTreeProvider(model, review.changes);
  const treeView = vscode.window.createTreeView(TREE_VIEW_ID, { treeDataProvider: treeProvider, showCollapseAll: true, canSelectMany: true });
  const statusBar = new StatusBarController(current, model);
  const notifier = new RunNotifier({ session: current, model, statusBar, level: () => readNotificationLevel(folder.uri, log) });
  const contextKeys = new ContextKeys(current, model);
  const dashboard = new DashboardPanel(context.extensionUri, version, current, activity, reads);
  const diagnostics = new PlanDiagnostics();
  const agentDeps = { folder, builtins: { scriptedAgentPath, nodeCommand: process.execPath, scriptedEnv }, readSettings: () => readSettings(folder.uri), log };
  const agentWatch = new DefaultAgentWatch(agentDeps);
  const deps: CommandDeps = { session: current, model, selection: () => treeView.selection, log, extensionUri: context.extensionUri, workspaceState: context.workspaceState };

  const showTrust = () => (treeView.message = vscode.workspace.isTrusted ? undefined : UNTRUSTED_MESSAGE);
  showTrust();

  context.subscriptions.push(
    current,
    activity,
    reads,
    model,
    treeView,
    statusBar,
    notifier,
    contextKeys,
    dashboard,
    diagnostics,
    vscode.window.registerWebviewPanelSerializer(DashboardPanel.viewType, dashboard.serializer()),
    vscode.tasks.registerTaskProvider(TASK_TYPE, new AgentTaskProvider(current)),
    // From a task's menu (or with a task id) the dashboard opens on that task's details.
    vscode.commands.registerCommand('agentOrchestrator.openDashboard', (...args: unknown[]) => {
      dashboard.show(taskIdsFromArgs(model, args)[0]);
    }),
    ...registerPlanCommands(deps, diagnostics),
    registerExamplePlanCommand(deps),
    ...registerRunCommands(deps),
    ...registerTaskCommands(deps),
    ...registerWorkspaceCommands(deps, version),
    review,
    ...registerReviewCommands(deps, review, treeView),
    ...registerFollowUps(deps),
    agentWatch,
    registerCheckAgents(agentDeps, agentWatch),
    ...registerPlanFeatures(current, model),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (affectsSettings(event, folder.uri)) {
        void current.settingsChanged().catch((error: unknown) => showError(log, error));
        agentWatch.schedule();
      }
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      showTrust();
      contextKeys.update();
      agentWatch.schedule();
    }),
    watchForDatabase(current, log),
    current.onDidRecover((report) => {
      model.refresh();
      showRecoveryNotice(report);
    }),
  );

  // Open the database in the background when it exists; otherwise the first command creates it.
  void current.openIfDatabaseExists().then(
    () => model.refresh(),
    (error: unknown) => showError(log, error),
  );
  // Looked up after activation returns (nothing is run): the welcome view learns whether the default agent is missing.
  agentWatch.schedule();
  const activationMs = performance.now() - started;
  log.info(`Agent Orchestrator ${version} activated in ${activationMs.toFixed(1)} ms`);
  return { version, activationMs, testing: { session: current, model, treeProvider, statusBar, dashboard, treeView, contextKeys, review, notifier, agentWatch } };
}

export async function deactivate(): Promise<void> {
  // Flushes the database and frees the writer lock; context.subscriptions does not wait for that.
  await session?.close();
  session = undefined;
  useSpawner(undefined);
  spawnHelper?.close();
  spawnHelper = undefined;
}

/** A CLI (or another window) may create the database after activation: start showing it then. */
function watchForDatabase(current: OrchestratorSession, log: vscode.LogOutputChannel): vscode.Disposable {
  const databasePath = current.databasePath();
  const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(databasePath)), path.basename(databasePath)), false, true, true);
  return vscode.Disposable.from(
    watcher,
    watcher.onDidCreate(() => {
      if (!current.orchestrator) void current.openIfDatabaseExists().catch((error: unknown) => log.warn(String(error)));
    }),
  );
}

/** Without a folder there is nothing to orchestrate: the commands say so instead of failing. */
function registerWithoutFolder(context: vscode.ExtensionContext, version: string): void {
  const commands = (context.extension.packageJSON.contributes?.commands ?? []) as Array<{ command: string }>;
  for (const { command } of commands) {
    if (command === 'agentOrchestrator.showVersion') {
      context.subscriptions.push(
        vscode.commands.registerCommand(command, () => {
          void vscode.window.showInformationMessage(`Agent Orchestrator ${version}`);
          return version;
        }),
      );
      continue;
    }
    context.subscriptions.push(vscode.commands.registerCommand(command, () => vscode.window.showInformationMessage('Agent Orchestrator works on a folder: open a folder (a git repository) first.')));
  }
}

/** What `vscode.extensions.getExtension(...).exports` gives tests and other extensions. */
export interface ExtensionApi {
  readonly version: string;
  /** How long activate() took, in milliseconds. */
  readonly activationMs: number;
  /** For the integration tests: the live objects behind the views. Not a stable API. */
  readonly testing?: {
    readonly session: OrchestratorSession;
    readonly model: TaskTreeModel;
    readonly treeProvider: TaskTreeProvider;
    readonly statusBar: StatusBarController;
    readonly dashboard: DashboardPanel;
    readonly treeView: vscode.TreeView<unknown>;
    readonly contextKeys: ContextKeys;
    readonly review: ReviewParts;
    readonly notifier: RunNotifier;
    readonly agentWatch: DefaultAgentWatch;
  };
}
