// Keyword routing: a task that names no agent goes to the agent of the first
// rule whose keyword appears in it. The decision says why, so the event trace can record it.

import type { PlanTask, RoutingRule } from '../model';

export interface RouteDecision {
  readonly agent: string;
  /** 'explicit', 'default', or the rule that matched, e.g. 'rule #2 (keywords: test, spec)'. */
  readonly matchedRule: string;
  /** The keyword that made the rule match. */
  readonly keyword?: string;
}

/**
 * Whole words only, so `test` does not route "latest"; letters, digits and `_` count as word
 * characters in any script. A keyword of several words matches across any run of whitespace.
 */
function keywordPattern(keyword: string): RegExp {
  const body = keyword
    .trim()
    .split(/\s+/)
    .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}_])${body}(?![\\p{L}\\p{N}_])`, 'iu');
}

function describeRule(rule: RoutingRule, at: number): string {
  const name = rule.name === undefined ? '' : ` "${rule.name}"`;
  return `rule #${at + 1}${name} (keywords: ${rule.keywords.join(', ')})`;
}

/** Picks the agent for a task: its own, else the first rule with a keyword in its title or prompt, else the default. */
export function routeTask(
  task: Pick<PlanTask, 'title' | 'prompt' | 'agent'>,
  rules: readonly RoutingRule[],
  defaultAgent: string,
): RouteDecision {
  if (task.agent !== undefined) return { agent: task.agent, matchedRule: 'explicit' };
  const text = `${task.title}\n${task.prompt}`;
  for (const [at, rule] of rules.entries()) {
    const keyword = rule.keywords.find((candidate) => candidate.trim() !== '' && keywordPattern(candidate).test(text));
    if (keyword !== undefined) return { agent: rule.agent, matchedRule: describeRule(rule, at), keyword };
  }
  return { agent: defaultAgent, matchedRule: 'default' };
}
