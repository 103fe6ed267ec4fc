/**
 * The most half-open spans [start, end) that hold at one instant. Spans are given as two lists in
 * any order, `starts[i]` and `ends[i]` bounding the same span. Only a start can raise the count, so
 * the peak is at one: the spans begun by then, less those ended by then (an end at the very instant
 * of a start has ended, so back-to-back spans never count twice).
 */
export function peakOverlap(starts: Float64Array, ends: Float64Array): number {
  const sortedStarts = starts.slice().sort();
  const sortedEnds = ends.slice().sort();
  let ended = 0;
  let peak = 0;
  for (let begun = 0; begun < sortedStarts.length; begun++) {
    while (ended < sortedEnds.length && sortedEnds[ended] <= sortedStarts[begun]) ended++;
    peak = Math.max(peak, begun + 1 - ended);
  }
  return peak;
}
