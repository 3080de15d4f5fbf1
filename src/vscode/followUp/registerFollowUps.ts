// The follow-up side of review in VS Code, registered in one call from the composition root
// (src/vscode/extension.ts): Send Follow-up…, the review comments and Send Comments to Agent, and
// Create Pull Request (task and integration branch). docs/review.md describes them.
import type * as vscode from 'vscode';
import type { CommandDeps } from '../commands/commandSupport';
import { registerFollowUpCommand } from './followUpCommands';
import { registerPullRequestCommands } from './pullRequestCommands';
import { ReviewComments } from './reviewComments';

export function registerFollowUps(deps: CommandDeps): vscode.Disposable[] {
  const comments = new ReviewComments(deps);
  return [comments, ...comments.commands(), registerFollowUpCommand(deps), ...registerPullRequestCommands(deps)];
}
