// The agent profiles a run starts with, checked before git is asked anything or a row is
// written: the settings' profiles must be valid, and every task's routed agent must have one.
// In run/ because it joins two rooms of the layer below: the profiles (agents/) and the routing
// (plan/routing.ts).
import { resolveProfiles, type AgentProfile, type BuiltinProfileOptions } from '../agents';
import type { PlanTask } from '../model';
import type { RouteDecision } from '../plan/routing';

/** The built-in profiles with the settings' `custom` ones over them; throws when any is invalid. */
export function runProfiles(custom: unknown, builtins: BuiltinProfileOptions): Map<string, AgentProfile> {
  const { profiles, errors } = resolveProfiles(custom, builtins);
  if (errors.length > 0) throw new Error(`Invalid agent profiles in settings:\n- ${errors.join('\n- ')}`);
  return profiles;
}

/** Throws, naming them, when tasks are routed to an agent no profile describes. */
export function assertProfilesFor(tasks: readonly PlanTask[], routes: ReadonlyMap<string, RouteDecision>, profiles: ReadonlyMap<string, AgentProfile>): void {
  const unknown = tasks.filter((task) => !profiles.has(routes.get(task.id)!.agent));
  if (unknown.length > 0) {
    throw new Error(
      `No agent profile for ${unknown.map((t) => `${t.id} (${routes.get(t.id)!.agent})`).join(', ')}; known profiles: ${[...profiles.keys()].join(', ')}`,
    );
  }
}
