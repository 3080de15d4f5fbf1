// Review comments for the agent: VS Code's Comments API on the review documents (the scheme of
// src/vscode/review/reviewUri.ts). The user comments on lines of the right side of a task's diff
// (its branch tip); "Send Comments to Agent" turns the task's threads into one follow-up text
// (followUpText.ts), records it like "Send Follow-up…" does, and clears the threads it sent.
import * as vscode from 'vscode';
import { registerCommand, writableOrchestrator, type CommandDeps } from '../commands/commandSupport';
import { taskIdsFromArgs } from '../commands/taskArgs';
import { parseReviewUri } from '../review/reviewUri';
import { readyForFollowUp, recordFollowUp } from './followUpCommands';
import { followUpFromComments, type CommentedRange } from './followUpText';

export const REVIEW_COMMENTS_CONTROLLER = 'agentOrchestrator.review';

class ReviewComment implements vscode.Comment {
  readonly mode = vscode.CommentMode.Preview;
  readonly author = { name: 'You' };
  readonly contextValue = 'orchReviewComment';
  readonly body: vscode.MarkdownString;

  constructor(readonly text: string) {
    // appendText: the comment is shown as the user typed it, never as markup.
    this.body = new vscode.MarkdownString().appendText(text);
  }
}

/** What a caller sends instead of VS Code's CommentReply: a comment on lines of a review document. */
export interface CommentRequest {
  readonly uri: vscode.Uri | string;
  /** 1-based; endLine defaults to line. */
  readonly line: number;
  readonly endLine?: number;
  readonly text: string;
}

export class ReviewComments implements vscode.Disposable {
  private readonly controller: vscode.CommentController;
  /** Threads holding at least one comment, by creation order. */
  private readonly threads = new Set<vscode.CommentThread>();

  constructor(private readonly deps: CommandDeps) {
    this.controller = vscode.comments.createCommentController(REVIEW_COMMENTS_CONTROLLER, 'Agent Orchestrator review');
    this.controller.options = { prompt: 'Comment for the agent…', placeHolder: 'What should the agent change here? (Send Comments to Agent sends them all)' };
    this.controller.commentingRangeProvider = { provideCommentingRanges: (document) => this.commentingRanges(document) };
  }

  commands(): vscode.Disposable[] {
    const { log } = this.deps;
    return [
      registerCommand('agentOrchestrator.addReviewComment', log, (arg) => this.add(arg)),
      registerCommand('agentOrchestrator.deleteReviewThread', log, (arg) => {
        if (isThread(arg)) this.drop([arg]);
      }),
      registerCommand('agentOrchestrator.sendCommentsToAgent', log, async (...args) => {
        const taskId = isThread(args[0]) ? parseReviewUri(args[0].uri)?.taskId : (taskIdsFromArgs(this.deps.model, args)[0] ?? (await this.pickTask()));
        return taskId ? this.send(taskId) : undefined;
      }),
    ];
  }

  /** The comments waiting for a task's agent (tests and menus read it). */
  pending(taskId: string): number {
    return this.threadsOf(taskId).reduce((sum, thread) => sum + thread.comments.length, 0);
  }

  /** Only the right side (the task's branch tip) takes comments: that is what the agent continues from. */
  private async commentingRanges(document: vscode.TextDocument): Promise<vscode.Range[]> {
    const ref = parseReviewUri(document.uri);
    if (!ref) return [];
    const changes = await this.deps.session.orchestrator?.taskChanges(ref.taskId).catch(() => undefined);
    if (!changes || changes.headCommit !== ref.commit) return [];
    return [new vscode.Range(0, 0, Math.max(0, document.lineCount - 1), 0)];
  }

  /** VS Code's reply (a thread and the text typed into it), or a CommentRequest. */
  private add(arg: unknown): vscode.CommentThread | undefined {
    let thread: vscode.CommentThread;
    let text: string;
    if (isReply(arg)) {
      ({ thread, text } = arg);
    } else if (isRequest(arg)) {
      const uri = typeof arg.uri === 'string' ? vscode.Uri.parse(arg.uri) : arg.uri;
      if (!parseReviewUri(uri)) throw new Error(`comments go on the review of a task's changes, not on ${uri.toString()}`);
      const end = Math.max(arg.line, arg.endLine ?? arg.line);
      thread = this.controller.createCommentThread(uri, new vscode.Range(arg.line - 1, 0, end - 1, 0), []);
      text = arg.text;
    } else {
      return undefined;
    }
    if (text.trim() === '') return thread;
    const taskId = parseReviewUri(thread.uri)?.taskId ?? 'the task';
    thread.comments = [...thread.comments, new ReviewComment(text)];
    thread.label = `For ${taskId}'s agent`;
    thread.contextValue = 'orchReviewThread';
    thread.canReply = true;
    thread.collapsibleState = vscode.CommentThreadCollapsibleState.Expanded;
    this.threads.add(thread);
    return thread;
  }

  private threadsOf(taskId: string): vscode.CommentThread[] {
    return [...this.threads].filter((thread) => parseReviewUri(thread.uri)?.taskId === taskId && thread.comments.length > 0);
  }

  private async pickTask(): Promise<string | undefined> {
    const counts = new Map<string, number>();
    for (const thread of this.threads) {
      const taskId = parseReviewUri(thread.uri)?.taskId;
      if (taskId) counts.set(taskId, (counts.get(taskId) ?? 0) + thread.comments.length);
    }
    if (counts.size === 0) {
      void vscode.window.showInformationMessage('Agent Orchestrator: there are no review comments to send. Open a task’s review (Review Changes) and comment on lines of its changes first.');
      return undefined;
    }
    if (counts.size === 1) return [...counts.keys()][0];
    const picked = await vscode.window.showQuickPick(
      [...counts].map(([taskId, n]) => ({ label: taskId, description: `${n} comment${n === 1 ? '' : 's'}` })),
      { placeHolder: 'Send whose review comments to its agent?' },
    );
    return picked?.label;
  }

  /** Sends the task's comments as one follow-up, then clears those threads; returns what was sent. */
  private async send(taskId: string): Promise<{ taskId: string; text: string; comments: number } | undefined> {
    if (!readyForFollowUp(this.deps, taskId)) return undefined; // the threads stay for later
    const threads = this.threadsOf(taskId);
    const ranges = await Promise.all(threads.map((thread) => commentedRange(thread)));
    const text = followUpFromComments(ranges);
    if (text === '') {
      void vscode.window.showInformationMessage(`Agent Orchestrator: ${taskId} has no review comments to send.`);
      return undefined;
    }
    const orchestrator = await writableOrchestrator(this.deps);
    if (!orchestrator) return undefined;
    await recordFollowUp(this.deps, orchestrator, taskId, text);
    const comments = threads.reduce((sum, thread) => sum + thread.comments.length, 0);
    this.drop(threads);
    return { taskId, text, comments };
  }

  private drop(threads: readonly vscode.CommentThread[]): void {
    for (const thread of threads) {
      this.threads.delete(thread);
      thread.dispose();
    }
  }

  dispose(): void {
    this.drop([...this.threads]);
    this.controller.dispose();
  }
}

/** A thread as plain data, with the commented lines as they are on the task's branch. */
async function commentedRange(thread: vscode.CommentThread): Promise<CommentedRange> {
  const ref = parseReviewUri(thread.uri);
  const range = thread.range ?? new vscode.Range(0, 0, 0, 0);
  let lines: string[] = [];
  try {
    const document = await vscode.workspace.openTextDocument(thread.uri);
    for (let line = range.start.line; line <= Math.min(range.end.line, document.lineCount - 1); line++) lines.push(document.lineAt(line).text);
  } catch {
    lines = []; // The document cannot be read any more: the comment still names file:line.
  }
  return {
    path: ref?.path ?? thread.uri.path,
    startLine: range.start.line + 1,
    endLine: range.end.line + 1,
    comments: thread.comments.map((comment) => (comment instanceof ReviewComment ? comment.text : typeof comment.body === 'string' ? comment.body : comment.body.value)),
    lines,
  };
}

function isThread(value: unknown): value is vscode.CommentThread {
  return typeof value === 'object' && value !== null && (value as { uri?: unknown }).uri instanceof vscode.Uri && Array.isArray((value as { comments?: unknown }).comments);
}

function isReply(value: unknown): value is vscode.CommentReply {
  return typeof value === 'object' && value !== null && isThread((value as { thread?: unknown }).thread) && typeof (value as { text?: unknown }).text === 'string';
}

function isRequest(value: unknown): value is CommentRequest {
  if (typeof value !== 'object' || value === null) return false;
  const request = value as Partial<CommentRequest>;
  return (typeof request.uri === 'string' || request.uri instanceof vscode.Uri) && typeof request.line === 'number' && request.line >= 1 && typeof request.text === 'string';
}
