// Set-up for the tests that run the real Claude Code and Codex CLIs through the orchestrator,
// against the stub model servers of test/fixtures/modelStubs/: the built-in profiles, extended
// only by settings a user could write (docs/agents.md) — the installed binary's path and the
// environment that points the CLI at the stub and keeps it from waiting minutes on errors.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Orchestrator, OrchestratorEvent } from '../../../src/core/orchestrator';
import { progressLine } from '../../../src/core/report/progressLine';
import type { AttemptRecord } from '../../../src/core/store';
import { codexConfig } from '../../fixtures/modelStubs/openaiStub';
import { agentCli } from '../../runners/agentClis';
import type { Workspace } from './engineFixture';

/**
 * `agentProfiles` for the built-in `claude` profile against `baseUrl`. `retries`: Claude Code's
 * own retries of a failed request (CLAUDE_CODE_MAX_RETRIES; by default 10 over about three
 * minutes, too slow for a test).
 */
export function claudeProfiles(ws: Workspace, baseUrl: string, retries = 1): Record<string, unknown> {
  const configDir = join(ws.dir, 'claude-config');
  mkdirSync(configDir, { recursive: true });
  return {
    claude: {
      command: agentCli('claude'),
      env: {
        ANTHROPIC_BASE_URL: baseUrl,
        ANTHROPIC_API_KEY: 'sk-test',
        // Its settings, sessions and credentials in the test's folder, not the user's ~/.claude.
        CLAUDE_CONFIG_DIR: configDir,
        CLAUDE_CODE_MAX_RETRIES: String(retries),
        DISABLE_AUTOUPDATER: '1',
      },
    },
  };
}

/**
 * `agentProfiles` for the built-in `codex` profile against `baseUrl`: a CODEX_HOME of its own
 * whose config.toml names the stub as the model provider (codexConfig says why).
 */
export function codexProfiles(ws: Workspace, baseUrl: string, retries = 0): Record<string, unknown> {
  const home = join(ws.dir, 'codex-home');
  mkdirSync(home, { recursive: true });
  writeFileSync(join(home, 'config.toml'), codexConfig({ url: baseUrl }, retries));
  return { codex: { command: agentCli('codex'), env: { CODEX_HOME: home, OPENAI_API_KEY: 'sk-test' } } };
}

/** Every line of agent output the orchestrator reported live, per task. */
export function liveOutput(orchestrator: Orchestrator): Map<string, string[]> {
  const lines = new Map<string, string[]>();
  orchestrator.onEvent((event: OrchestratorEvent) => {
    if (event.type !== 'output') return;
    lines.set(event.taskId, [...(lines.get(event.taskId) ?? []), event.line]);
  });
  return lines;
}

/** The progress lines a person watching the run sees (the CLI prints them as they come). */
export function progressLines(orchestrator: Orchestrator): string[] {
  const lines: string[] = [];
  orchestrator.onEvent((event: OrchestratorEvent) => {
    const line = progressLine(event);
    if (line) lines.push(line);
  });
  return lines;
}

/** Scheduler decisions (paused, rate_limited, auth_failed…) as "kind: message". */
export function decisions(orchestrator: Orchestrator): string[] {
  const seen: string[] = [];
  orchestrator.onEvent((event: OrchestratorEvent) => {
    if (event.type === 'decision') seen.push(`${event.decision.kind}: ${event.decision.message}`);
  });
  return seen;
}

/** The JSON events of an attempt's log (the CLI's stdout), skipping anything else. */
export function loggedEvents(attempt: AttemptRecord): Array<Record<string, unknown>> {
  return readFileSync(attempt.logPath!, 'utf8')
    .split('\n')
    .flatMap((line) => {
      const start = line.indexOf('{');
      if (start === -1) return [];
      try {
        const value = JSON.parse(line.slice(start)) as unknown;
        return typeof value === 'object' && value !== null && !Array.isArray(value) ? [value as Record<string, unknown>] : [];
      } catch {
        return [];
      }
    });
}
