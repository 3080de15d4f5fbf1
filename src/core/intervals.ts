/** The most intervals [start, end) that overlap at one instant; an open interval has end Infinity. */
export function peakOverlap(intervals: Iterable<{ readonly start: number; readonly end: number }>): number {
  const edges: { at: number; delta: number }[] = [];
  for (const { start, end } of intervals) edges.push({ at: start, delta: 1 }, { at: end, delta: -1 });
  // Ends sort before starts at the same instant: a slot freed and taken at once is not an overlap.
  edges.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let current = 0;
  let peak = 0;
  for (const edge of edges) {
    current += edge.delta;
    peak = Math.max(peak, current);
  }
  return peak;
}
