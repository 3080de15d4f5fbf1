// The plan file as a live document, in a real VS Code: CodeLens per task state after a run with
// the scripted agent (one task completes, one fails, one never runs), "plan changed — re-import"
// after an edit, and hover, completion, definition, references and symbols through VS Code's own
// commands (what the editor itself calls).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunResult } from '../../src/core/orchestrator';
import { testingApi, waitFor, workspaceRoot, type TestingApi } from './helpers';

const PLAN = `# Live plan

## SPEC-071: Live plan

- [ ] TASK-71-1: Write a file {priority: high; agent: scripted; files: lens/a.txt}
  write lens/a.txt: a
  cost 0.05
- [ ] TASK-71-2: Planned breakage {after: TASK-71-1; files: lens/b.txt}
  fail with planned failure
- [ ] TASK-71-3: Not run {after: TASK-71-2; priority: low; files: lens/c.txt}
`;
const LINE = { spec: 2, first: 4, second: 7, third: 9 } as const;

/** Polls an asynchronous probe (the providers answer through promises) until it gives something truthy. */
async function eventually<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((line) => line.includes(needle));
}

describe('the plan as a live document', function () {
  this.timeout(180_000);
  let api: TestingApi;
  let uri: vscode.Uri;
  let document: vscode.TextDocument;

  const lenses = async () => (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
  const titlesAt = async (line: number) => (await lenses()).filter((lens) => lens.range.start.line === line).map((lens) => lens.command?.title ?? '');
  const lensAt = async (line: number, title: string) => (await lenses()).find((lens) => lens.range.start.line === line && lens.command?.title.includes(title));
  const position = (needle: string, after = true) => {
    const text = document.getText();
    const offset = text.indexOf(needle);
    assert.ok(offset >= 0, `${needle} is in the plan`);
    return document.positionAt(offset + (after ? needle.length : 0));
  };

  before(async () => {
    api = await testingApi();
    const config = vscode.workspace.getConfiguration('agentOrchestrator');
    await config.update('defaultAgent', 'scripted', vscode.ConfigurationTarget.Workspace);
    await config.update('maxRetries', 0, vscode.ConfigurationTarget.Workspace);
    const file = path.join(workspaceRoot(), 'live.plan.md');
    fs.writeFileSync(file, PLAN);
    uri = vscode.Uri.file(file);
    document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    assert.equal(lineOf(PLAN, 'TASK-71-2: Planned'), LINE.second);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    // Leave no completed work for the later suites' "merge all", and no task waiting to run.
    await vscode.commands.executeCommand('agentOrchestrator.discardTask', { taskId: 'TASK-71-1', confirmed: true });
    fs.writeFileSync(uri.fsPath, PLAN.slice(0, PLAN.indexOf('- [ ] TASK-71-3')));
    await vscode.commands.executeCommand('agentOrchestrator.importPlan', uri);
  });

  it('offers "Import plan" before the import, then one status lens per task and the spec\'s progress', async () => {
    const offer = await eventually('the Import plan lens', async () => (await lenses()).find((lens) => lens.command?.command === 'agentOrchestrator.importPlan'));
    assert.match(offer.command!.title, /Import plan/);
    assert.equal((await lenses()).length, 1, 'only the import offer before the plan is imported');

    await vscode.commands.executeCommand('agentOrchestrator.importPlan', uri);
    await waitFor('the imported tasks in the tree', () => api.model.task('TASK-71-3'));
    const spec = await titlesAt(LINE.spec);
    assert.deepEqual(spec, ['$(checklist) 0/3 done', '$(run-all) Run Spec']);
    assert.deepEqual(await titlesAt(LINE.first), ['$(circle-large-outline) pending', '$(play) Run']);
    assert.ok(!(await lenses()).some((lens) => /plan changed/.test(lens.command?.title ?? '')), 'a freshly imported plan is not "changed"');
  });

  it('shows each task\'s state after a run: completed, failed, not run, with the actions that fit', async () => {
    const result = await vscode.commands.executeCommand<RunResult>('agentOrchestrator.runSelected', 'TASK-71-2');
    assert.ok(result, 'the run started');
    await waitFor('the run to be reflected', () => api.model.task('TASK-71-2')?.displayStatus === 'failed' && api.model.task('TASK-71-1')?.displayStatus === 'completed');
    await eventually('the completed lens', async () => (await titlesAt(LINE.first))[0]?.startsWith('$(pass-filled) completed'));

    const first = await titlesAt(LINE.first);
    assert.match(first[0], /^\$\(pass-filled\) completed · attempt 1 · \d+s · \$0\.05$/);
    assert.deepEqual(first.slice(1), ['$(output) Show Log', '$(diff) Review Changes']);
    const review = await lensAt(LINE.first, 'Review Changes');
    assert.equal(review?.command?.command, 'agentOrchestrator.reviewChanges');
    assert.deepEqual(review?.command?.arguments, [{ taskId: 'TASK-71-1' }]);

    const second = await titlesAt(LINE.second);
    assert.match(second[0], /^\$\(error\) failed · attempt 1/);
    assert.ok(second.includes('$(refresh) Retry') && second.includes('$(output) Show Log'), second.join(' | '));
    const retry = await lensAt(LINE.second, 'Retry');
    assert.equal(retry?.command?.command, 'agentOrchestrator.retryFailed');
    assert.deepEqual(retry?.command?.arguments, [{ taskId: 'TASK-71-2' }]);

    const third = await titlesAt(LINE.third);
    assert.equal(third[0], '$(circle-large-outline) pending');
    const run = await lensAt(LINE.third, 'Run');
    assert.equal(run?.command?.command, 'agentOrchestrator.runSelected');
    assert.deepEqual(run?.command?.arguments, [{ taskId: 'TASK-71-3' }]);

    assert.equal((await titlesAt(LINE.spec))[0], '$(checklist) 1/3 done');
    const runSpec = await lensAt(LINE.spec, 'Run Spec');
    assert.deepEqual(runSpec?.command?.arguments, ['TASK-71-2', ['TASK-71-2', 'TASK-71-3']]);
  });

  it('hovers a task id on its line and inside {after: …} with status, agent, branch and error', async () => {
    const hovers = async (at: vscode.Position) =>
      ((await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, at)) ?? [])
        .flatMap((hover) => hover.contents)
        .map((content) => (typeof content === 'string' ? content : content.value))
        .join('\n');
    const onAfter = await hovers(position('{after: TASK-71-2').translate(0, -1));
    assert.match(onAfter, /TASK\\-71\\-2/);
    assert.match(onAfter, /Status: \*\*failed\*\*/);
    assert.match(onAfter, /planned failure/);
    assert.match(onAfter, /Agent: scripted/);
    const onLine = await hovers(position('TASK-71-1: Write', false).translate(0, 2));
    assert.match(onLine, /Status: \*\*completed\*\*/);
    assert.match(onLine, /Branch: `orch\/TASK-71-1\//);
  });

  it('completes metadata keys, task ids, agent names and priorities inside {…}', async () => {
    const labels = async (at: vscode.Position) =>
      ((await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, at))?.items ?? []).map((item) =>
        typeof item.label === 'string' ? item.label : item.label.label,
      );
    const keys = await labels(position('TASK-71-3: Not run {'));
    for (const key of ['after', 'priority', 'est', 'agent', 'files', 'verify', 'strategy']) assert.ok(keys.includes(key), `key ${key} in ${keys.join(', ')}`);
    const ids = await labels(position('TASK-71-3: Not run {after: '));
    assert.ok(ids.includes('TASK-71-1') && ids.includes('TASK-71-2'), ids.join(', '));
    assert.ok(!ids.includes('TASK-71-3'), 'a task is not offered as its own dependency');
    const agents = await labels(position('agent: '));
    assert.ok(agents.includes('scripted') && agents.includes('claude'), agents.join(', '));
    const priorities = await labels(position('priority: '));
    for (const priority of ['high', 'medium', 'low']) assert.ok(priorities.includes(priority), priorities.join(', '));
  });

  it('goes to a task\'s definition, finds its references and lists specs and tasks as symbols', async () => {
    const inAfter = position('{after: TASK-71-1', true).translate(0, -1);
    const definitions = (await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeDefinitionProvider', uri, inAfter)) ?? [];
    assert.deepEqual(definitions.map((location) => [location.range.start.line, location.range.start.character, location.range.end.character]), [[LINE.first, 6, 15]]);
    const references = (await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', uri, inAfter)) ?? [];
    assert.deepEqual(references.map((location) => location.range.start.line).sort(), [LINE.first, LINE.second]);
    const symbols = (await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', uri)) ?? [];
    // Markdown's own provider adds the headings; ours gives the spec with its tasks.
    const spec = symbols.find((symbol) => symbol.name === 'SPEC-071');
    assert.ok(spec, symbols.map((symbol) => symbol.name).join(', '));
    assert.equal(spec.kind, vscode.SymbolKind.Namespace);
    assert.equal(spec.detail, 'Live plan');
    assert.deepEqual(spec.children.map((child) => [child.name, child.kind, child.range.start.line]), [
      ['TASK-71-1', vscode.SymbolKind.Function, LINE.first],
      ['TASK-71-2', vscode.SymbolKind.Function, LINE.second],
      ['TASK-71-3', vscode.SymbolKind.Function, LINE.third],
    ]);
  });

  it('says "plan changed — re-import" once the text differs from the import, and re-imports from it', async () => {
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(document.lineCount, 0), '- [ ] TASK-71-4: Added after the import {files: lens/d.txt}\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const lens = await eventually('the plan changed lens', async () => (await lenses()).find((candidate) => /plan changed — re-import/.test(candidate.command?.title ?? '')));
    assert.equal(lens.range.start.line, 0);
    assert.equal(lens.command?.command, 'agentOrchestrator.importPlan');
    assert.ok((await titlesAt(lineOf(document.getText(), 'TASK-71-4'))).includes('$(circle-large-outline) not imported yet'));

    await vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? []));
    await waitFor('the new task in the tree', () => api.model.task('TASK-71-4'));
    await eventually('the plan changed lens to go', async () => !(await lenses()).some((candidate) => /plan changed/.test(candidate.command?.title ?? '')));
  });
});
