// The workspace's orchestrator as a whole: reports, cleaning up, where the data lives, the view.
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describePrune } from '../../core';
import type { TreeGrouping } from '../tree/TaskTreeModel';
import { requireTrust } from '../trust';
import { registerCommand, writableOrchestrator, type CommandDeps } from './commandSupport';

export const GROUPING_KEY = 'agentOrchestrator.grouping';

export function registerWorkspaceCommands(deps: CommandDeps, version: string): vscode.Disposable[] {
  const { log, session, model } = deps;
  const group = (mode: TreeGrouping) => {
    model.grouping = mode;
    void deps.workspaceState.update(GROUPING_KEY, mode);
    void vscode.commands.executeCommand('setContext', 'agentOrchestrator.grouping', mode);
  };
  return [
    registerCommand('agentOrchestrator.showVersion', log, () => {
      void vscode.window.showInformationMessage(`Agent Orchestrator ${version}`);
      return version;
    }),
    registerCommand('agentOrchestrator.groupBySpec', log, () => group('spec')),
    registerCommand('agentOrchestrator.groupByStatus', log, () => group('status')),
    registerCommand('agentOrchestrator.refresh', log, async () => {
      const orchestrator = await session.openIfDatabaseExists();
      if (orchestrator?.readOnly) await orchestrator.refresh();
      model.refresh();
    }),
    registerCommand('agentOrchestrator.exportSummary', log, (target) => exportSummary(deps, target instanceof vscode.Uri ? target : undefined)),
    registerCommand('agentOrchestrator.cleanWorktrees', log, async (options) => {
      if (!requireTrust('clean up worktrees')) return undefined;
      const orchestrator = await writableOrchestrator(deps);
      if (!orchestrator) return undefined;
      let deleteBranches: boolean;
      if (isCleanOptions(options)) deleteBranches = options.deleteBranches === true;
      else {
        const keep = 'Remove Worktrees';
        const all = 'Remove Worktrees and Branches';
        const choice = await vscode.window.showWarningMessage(
          'Remove the git worktrees Agent Orchestrator created for its agents?',
          { modal: true, detail: 'Branches of completed tasks are kept unless you also remove branches; they hold the work to merge.' },
          keep,
          all,
        );
        if (!choice) return undefined;
        deleteBranches = choice === all;
      }
      const { removed } = await orchestrator.clean({ deleteBranches });
      void vscode.window.showInformationMessage(`Agent Orchestrator: removed ${removed.length} worktree${removed.length === 1 ? '' : 's'}.`);
      model.refresh();
      return removed;
    }),
    // Retention on demand, as `clean --runs` (docs/database.md, "Retention"); `{ keepRuns }` skips the question.
    registerCommand('agentOrchestrator.pruneOldRuns', log, async (options) => {
      const orchestrator = await writableOrchestrator(deps);
      if (!orchestrator) return undefined;
      const given = typeof options === 'object' && options !== null ? (options as { keepRuns?: unknown }).keepRuns : undefined;
      if (given === undefined) {
        const prune = 'Prune Old Runs';
        const keep = orchestrator.settings.keepRuns;
        const detail = `The event trace, agent logs and reports of runs older than the newest ${keep} (the keepRuns setting) are removed. Tasks, plans, branches and each run's totals stay.`;
        if ((await vscode.window.showWarningMessage('Prune old runs?', { modal: true, detail }, prune)) !== prune) return undefined;
      }
      const report = await orchestrator.pruneRuns({ keepRuns: given as number | undefined });
      void vscode.window.showInformationMessage(`Agent Orchestrator: ${describePrune(report)}`);
      model.refresh();
      return report;
    }),
    registerCommand('agentOrchestrator.startFresh', log, async () => {
      const orchestrator = await session.startFresh();
      const aside = orchestrator.storeNotice?.movedTo;
      // A healthy database is never moved aside (StoreOptions.recover only acts on a damaged one).
      void vscode.window.showInformationMessage(
        aside
          ? `Agent Orchestrator: started a new, empty database; the damaged one is kept at ${aside}. Import the plan again to go on.`
          : 'Agent Orchestrator: the database is usable, so nothing was moved aside.',
      );
      model.refresh();
      return aside;
    }),
    registerCommand('agentOrchestrator.openDatabaseFolder', log, async () => {
      const database = vscode.Uri.file(session.databasePath());
      const inWorkspace = !path.relative(session.workspaceRoot, database.fsPath).startsWith('..');
      if (inWorkspace) await vscode.commands.executeCommand('revealInExplorer', database);
      else await vscode.commands.executeCommand('revealFileInOS', database);
      return path.dirname(database.fsPath);
    }),
  ];
}

/** Writes the latest run's summary.md (and its metrics beside it) where the user chooses. */
async function exportSummary(deps: CommandDeps, target: vscode.Uri | undefined): Promise<string | undefined> {
  const orchestrator = await deps.session.open();
  const run = orchestrator.runs(10).find((r) => r.summaryMd !== null);
  if (!run?.summaryMd) {
    void vscode.window.showInformationMessage('Agent Orchestrator: no run has finished yet, so there is no summary to export.');
    return undefined;
  }
  const uri =
    target ??
    (await vscode.window.showSaveDialog({
      title: 'Export the run summary',
      defaultUri: vscode.Uri.file(path.join(deps.session.workspaceRoot, `orchestrator-summary-${run.runId}.md`)),
      filters: { Markdown: ['md'] },
    }));
  if (!uri) return undefined;
  await writeFile(uri.fsPath, run.summaryMd, 'utf8');
  const metricsPath = uri.fsPath.replace(/(\.md)?$/i, '.metrics.json');
  await writeFile(metricsPath, `${JSON.stringify(run.metrics ?? {}, null, 2)}\n`, 'utf8');
  if (!target) {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
    void vscode.window.showInformationMessage(`Agent Orchestrator: exported ${path.basename(uri.fsPath)} and ${path.basename(metricsPath)}.`);
  }
  return uri.fsPath;
}

function isCleanOptions(value: unknown): value is { deleteBranches?: boolean } {
  return typeof value === 'object' && value !== null && !(value instanceof vscode.Uri) && !('kind' in value);
}
