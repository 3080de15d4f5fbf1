// A mistake in how the CLI was called: main.ts prints the usage and exits 2 (src/cli/exitCodes.ts).
// In a file of its own so that each command group's file can throw it.
export class UsageError extends Error {}
