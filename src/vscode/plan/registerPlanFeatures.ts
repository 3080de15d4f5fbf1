// The plan file as a live document (docs/plan-format.md#the-plan-as-a-live-document): CodeLens,
// hovers, completion, definitions, references and symbols for the plan files the import accepts.
import * as vscode from 'vscode';
import { agentProfileNames } from '../../core';
import type { OrchestratorSession } from '../session/OrchestratorSession';
import { readSettings } from '../settings';
import type { TaskTreeModel } from '../tree/TaskTreeModel';
import { PlanCompletion } from './planCompletion';
import { PLAN_SELECTOR, PlanOutlines } from './planDocuments';
import { PlanLensProvider } from './PlanLensProvider';
import { PlanNavigation } from './planNavigation';
import { PlanSync } from './planSync';

export function registerPlanFeatures(session: OrchestratorSession, model: TaskTreeModel): vscode.Disposable[] {
  const outlines = new PlanOutlines();
  const sync = new PlanSync(session, (taskId) => model.task(taskId)?.status != null);
  const lenses = new PlanLensProvider(session, model, outlines, sync);
  const navigation = new PlanNavigation(model, outlines);
  const completion = new PlanCompletion(outlines, () => agentProfileNames(readSettings(session.folder.uri).agentProfiles));
  return [
    outlines,
    sync,
    lenses,
    vscode.languages.registerCodeLensProvider(PLAN_SELECTOR, lenses),
    vscode.languages.registerHoverProvider(PLAN_SELECTOR, navigation),
    vscode.languages.registerDefinitionProvider(PLAN_SELECTOR, navigation),
    vscode.languages.registerReferenceProvider(PLAN_SELECTOR, navigation),
    vscode.languages.registerDocumentSymbolProvider(PLAN_SELECTOR, navigation, { label: 'Agent Orchestrator plan' }),
    vscode.languages.registerCompletionItemProvider(PLAN_SELECTOR, completion, ...PlanCompletion.triggers),
  ];
}
