import type { AgentProfile } from './profiles';

// What to tell someone whose agent is not authenticated. By parser, not by name: a custom profile
// that runs `claude` with other flags still logs in the same way.
const HINTS: Readonly<Partial<Record<AgentProfile['parser'], string>>> = {
  claude: 'run `claude` once and log in, or set ANTHROPIC_API_KEY',
  codex: 'run `codex login` or set OPENAI_API_KEY',
  gemini: 'run `gemini` once and log in, or set GEMINI_API_KEY',
  copilot: 'run `copilot` once and /login, or set GH_TOKEN',
  scripted: 'its prompt says `auth-error` (docs/scripted-agent.md)',
  aider: 'set the API key of its model (e.g. OPENAI_API_KEY or ANTHROPIC_API_KEY)',
};

export function loginHint(profile: Pick<AgentProfile, 'parser' | 'command'>): string {
  return HINTS[profile.parser] ?? `log in with \`${profile.command}\` or set its API key`;
}
