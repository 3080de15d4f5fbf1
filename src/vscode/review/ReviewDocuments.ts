// The read-only documents behind review diffs (scheme in reviewUri.ts): each is one file at one
// commit, read from git objects by the engine (Orchestrator.readFileAt), so a review still opens
// after `clean` removed the task's worktree. A commit never changes, so neither does a document:
// no change events. A binary or huge file becomes one line saying so (reviewText.ts), an absent
// side (an added or deleted file) an empty document.
import * as vscode from 'vscode';
import type { Orchestrator } from '../../core';
import { UNTRUSTED_MESSAGE } from '../trust';
import { parseReviewUri } from './reviewUri';
import { reviewDocumentText } from './reviewText';

export class ReviewDocuments implements vscode.TextDocumentContentProvider {
  constructor(private readonly orchestrator: () => Promise<Orchestrator>) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const ref = parseReviewUri(uri);
    if (!ref) throw new Error(`not a review document: ${uri.toString()}`);
    // Reading git objects runs git, which an untrusted workspace never does (src/vscode/trust.ts).
    if (!vscode.workspace.isTrusted) return `${UNTRUSTED_MESSAGE}\n`;
    const orchestrator = await this.orchestrator();
    return reviewDocumentText(await orchestrator.readFileAt(ref.commit, ref.path), ref.path);
  }
}
