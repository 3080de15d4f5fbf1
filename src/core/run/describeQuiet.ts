// Words for the no-output watchdog's error ("stalled: no output for 5 min"), short enough for a
// summary line: whole minutes as minutes, anything shorter (tests use fractions) in seconds.
export function describeQuiet(ms: number): string {
  const minutes = ms / 60_000;
  if (Number.isInteger(minutes)) return `${minutes} min`;
  if (ms >= 60_000) return `${Number(minutes.toFixed(1))} min`;
  return `${Number((ms / 1000).toFixed(1))} s`;
}
