// The few pieces of VS Code's built-in git extension (`vscode.git`, its API version 1) that review
// uses: the workspace's branches for the merge target pick, and a repository it knows, so its
// `git.openMergeEditor` can open the merge editor on a conflicted file the way the Source Control
// view does (it finds the base, "current" and "incoming" sides from the index itself). The types
// are a subset of the extension's published git.d.ts. When the extension is disabled or does not
// know the repository, the callers fall back (a typed branch name, a plain text editor) and the
// merge editor's fallback says why.
import * as vscode from 'vscode';

interface GitRef {
  readonly type: number; // 0: a local branch (RefType.Head)
  readonly name?: string;
}

interface GitRepository {
  readonly rootUri: vscode.Uri;
  readonly state: { readonly HEAD: GitRef | undefined; readonly refs: readonly GitRef[] };
  getBranches?(query: { readonly remote?: boolean }): Promise<GitRef[]>;
}

interface GitApi {
  getRepository(uri: vscode.Uri): GitRepository | null;
  openRepository?(root: vscode.Uri): Promise<GitRepository | null>;
}

interface GitExtension {
  readonly enabled: boolean;
  getAPI(version: 1): GitApi;
}

/** The git extension's API, or why there is none. */
async function gitApi(): Promise<GitApi | string> {
  const extension = vscode.extensions.getExtension<GitExtension>('vscode.git');
  if (!extension) return 'the git extension (vscode.git) is not installed';
  try {
    const exports = extension.isActive ? extension.exports : await extension.activate();
    return exports.enabled ? exports.getAPI(1) : 'the git extension is disabled (git.enabled)';
  } catch (error) {
    return `the git extension did not start: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** The repository at `root` as the git extension knows it, opening it there if needed; or why not. */
async function repositoryAt(root: vscode.Uri): Promise<GitRepository | string> {
  const api = await gitApi();
  if (typeof api === 'string') return api;
  const known = api.getRepository(root);
  if (known) return known;
  try {
    return (await api.openRepository?.(root)) ?? `the git extension did not open the repository at ${root.fsPath}`;
  } catch (error) {
    return `the git extension could not open ${root.fsPath}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** The checked-out branch and the other local branches of the repository at `root`; undefined when the git extension cannot say. */
export async function localBranches(root: vscode.Uri): Promise<{ readonly current: string | undefined; readonly others: string[] } | undefined> {
  const repository = await repositoryAt(root);
  if (typeof repository === 'string') return undefined;
  let refs: readonly GitRef[];
  try {
    refs = repository.getBranches ? await repository.getBranches({ remote: false }) : repository.state.refs;
  } catch {
    refs = repository.state.refs;
  }
  const current = repository.state.HEAD?.name;
  const others = refs.filter((ref) => ref.type === 0 && ref.name && ref.name !== current).map((ref) => ref.name!);
  return { current, others: [...new Set(others)].sort() };
}

/**
 * Opens VS Code's merge editor on a conflicted file of the worktree at `root` through the git
 * extension: true, or why it could not (the caller opens the file with its conflict markers).
 */
export async function openMergeEditor(root: vscode.Uri, file: vscode.Uri): Promise<true | string> {
  const repository = await repositoryAt(root);
  if (typeof repository === 'string') return repository;
  try {
    await vscode.commands.executeCommand('git.openMergeEditor', file);
    return true;
  } catch (error) {
    return `git.openMergeEditor failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}
