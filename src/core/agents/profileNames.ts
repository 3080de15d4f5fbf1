// The names a plan may give in `agent:` (docs/plan-format.md): the built-in profiles and the
// valid custom ones of the settings. The editor completes them in a plan's metadata
// (src/vscode/plan/planCompletion.ts); the profiles' paths and commands do not matter here.
import { resolveProfiles } from './profiles';

export function agentProfileNames(customProfiles: unknown): string[] {
  return [...resolveProfiles(customProfiles, { scriptedAgentPath: '' }).profiles.keys()];
}
