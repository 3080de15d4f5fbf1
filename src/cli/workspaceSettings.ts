// The CLI's settings from files, so a terminal run uses the same agents as the editor: the
// workspace's `.vscode/settings.json` (the `agentOrchestrator.*` keys the extension reads, see
// src/vscode/settings.ts) and, with `--profiles FILE`, the agent profiles from that file instead
// (the same shape as the `agentOrchestrator.agentProfiles` setting). Command-line flags win over
// both. VS Code writes settings.json with comments and trailing commas: ./jsonc.ts reads those.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { userSettings, type OrchestratorSettings } from '../core';
import { parseJsonc } from './jsonc';

const SECTION = 'agentOrchestrator';

/** A settings or profiles file that cannot be used: the message names the file and the place. */
export class SettingsFileError extends Error {
  override readonly name = 'SettingsFileError';
}

/** The JSON (comments and trailing commas allowed) in `file`, or a SettingsFileError saying where it breaks. */
export function readJsonc(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SettingsFileError(`cannot read ${file}: ${(error as Error).message}`);
  }
  if (text.trim() === '') return undefined;
  try {
    return parseJsonc(text);
  } catch (error) {
    throw new SettingsFileError(`${file}: invalid JSON: ${(error as Error).message}`);
  }
}

/** The `agentOrchestrator.*` settings in the workspace's .vscode/settings.json; none if there is no such file. */
export function workspaceFileSettings(workspaceRoot: string): Partial<OrchestratorSettings> {
  const file = join(workspaceRoot, '.vscode', 'settings.json');
  if (!existsSync(file)) return {};
  const json = readJsonc(file);
  if (json === undefined) return {};
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new SettingsFileError(`${file}: must hold a JSON object`);
  return userSettings((key) => (json as Record<string, unknown>)[`${SECTION}.${key}`], workspaceRoot);
}

/** The agent profiles in a `--profiles` file: an object by name, or a list, as the setting. */
export function profilesFile(file: string): unknown {
  const path = resolve(file);
  if (!existsSync(path)) throw new SettingsFileError(`--profiles ${path} does not exist`);
  const json = readJsonc(path);
  if (typeof json !== 'object' || json === null) {
    throw new SettingsFileError(`${path}: must hold agent profiles, an object by name ({"my-agent": {"command": "…"}}) or a list`);
  }
  return json;
}

/**
 * Settings for a CLI run: the workspace file's, the `--profiles` file's profiles over them, and
 * the flags (only those given) over both.
 */
export function cliSettings(workspaceRoot: string, profiles: string | undefined, flags: Partial<OrchestratorSettings>): Partial<OrchestratorSettings> {
  const given = Object.fromEntries(Object.entries(flags).filter(([, value]) => value !== undefined)) as Partial<OrchestratorSettings>;
  return {
    ...workspaceFileSettings(workspaceRoot),
    ...(profiles === undefined ? {} : { agentProfiles: profilesFile(profiles) }),
    ...given,
  };
}
