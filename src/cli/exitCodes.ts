// The CLI's exit codes: scripts and CI branch on them, so each has one meaning, listed in the
// README's "Headless CLI" section. A signal that stopped a run ends it with 128 + the signal's
// number (130 for SIGINT, 129 for SIGHUP, 143 for SIGTERM) after the run was cancelled cleanly.
export const EXIT = {
  /** Every task of the run completed (or the command did what it was asked). */
  ok: 0,
  /**
   * The run ended with failed, timed-out, blocked or cancelled tasks, or the command could not do
   * its work for another reason the message names (not a git repository, a missing agent CLI).
   */
  failed: 1,
  /** The command line was wrong: unknown command or option, a missing argument. */
  usage: 2,
  /** The plan has errors (file:line:task in the message); nothing was stored. */
  invalidPlan: 3,
  /** Work could not be combined: merge conflicts between branches. */
  conflicts: 4,
  /** Another live process runs this workspace's orchestrator; nothing was changed. */
  busy: 5,
  /** The database file is damaged, foreign or from a newer version; nothing was changed. */
  database: 6,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** 128 + the signal's number, the shell's convention for "ended by this signal". */
export function signalExitCode(signal: 'SIGINT' | 'SIGTERM' | 'SIGHUP'): number {
  return 128 + { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 }[signal];
}
