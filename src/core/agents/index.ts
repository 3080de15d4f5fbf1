// The agents module: how an agent is described (profiles) and told its task (env), how its
// output is read (parsers) and how it reports status (the status file). Starting and stopping
// its process is the process layer's (src/core/process).
export * from './env';
export * from './profiles';
export { loginHint } from './loginHint';
export { describeApiRetry } from './describeApiRetry';
export * from './statusFile';
export { createParser, detectSignals, parseRetryAfter, PARSER_IDS, isParserId } from './parsers';
export type { AgentEvent, ApiRetryEvent, OutputParser, ParserId } from './parsers';
export { parseInstructions, type Instruction } from './scripted/instructions';
export { SCRIPTED_EXIT } from './scripted/protocol';
export { checkProfile, profileLimits, type CommandState, type ProfileCheck, type ProfileCheckOptions } from './doctor';
