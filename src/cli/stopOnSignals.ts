// The signals that end a CLI run from outside: Ctrl+C (SIGINT), `kill` or a service manager
// (SIGTERM), a closed terminal or SSH session (SIGHUP). Node's default for each is to die at once,
// which leaves every agent running (each is in a process group of its own) and the run recorded
// as running. The first one asks for a clean stop instead; a second one exits at once.
import { signalExitCode } from './exitCodes';

export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

const SIGNALS: readonly StopSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export interface SignalStop {
  /** The first signal received, if any. */
  readonly signal: StopSignal | undefined;
  /** Restores Node's default handling. */
  dispose(): void;
}

export function stopOnSignals(stop: (signal: StopSignal) => void): SignalStop {
  const state: { signal: StopSignal | undefined } = { signal: undefined };
  const handlers = SIGNALS.map((signal) => {
    const handler = (): void => {
      if (state.signal) process.exit(signalExitCode(signal));
      state.signal = signal;
      // After SIGHUP the terminal is gone: a write to it fails (EIO, EPIPE), and an unhandled
      // stream error would end the process before the run is cancelled and recorded.
      for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
      const again = signal === 'SIGINT' ? 'Ctrl+C again' : 'a second signal';
      process.stderr.write(`\n${signal}: cancelling the run (${again} exits at once)...\n`);
      stop(signal);
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  return {
    get signal() {
      return state.signal;
    },
    dispose() {
      for (const [signal, handler] of handlers) process.off(signal, handler);
    },
  };
}
