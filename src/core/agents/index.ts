// The agents module: how an agent is described (profiles), started (a ProcessLauncher), read
// (parsers) and how it reports status (the seed-002 status file).
export * from './ports';
export { NodeProcessLauncher, runProcess } from './processRunner';
export { killProcessTree, listDescendants } from './processTree';
export * from './env';
export * from './profiles';
export { loginHint } from './loginHint';
export { describeApiRetry } from './describeApiRetry';
export * from './statusFile';
export { createParser, detectSignals, parseRetryAfter, PARSER_IDS, isParserId } from './parsers';
export type { AgentEvent, ApiRetryEvent, OutputParser, ParserId } from './parsers';
export { parseInstructions, type Instruction } from './scripted/instructions';
export { SCRIPTED_EXIT } from './scripted/protocol';
