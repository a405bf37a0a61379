// Closest-name suggestions for typos in policy actions, keys, SQL functions and rule actions.

export function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = prev[j];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + cost);
      diag = above;
    }
  }
  return prev[b.length];
}

/**
 * The candidate nearest to `input` (case-insensitive), or undefined when none is close enough
 * to be a plausible typo: at most a third of the input's length, and never more than 3 edits.
 */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  const needle = input.toLowerCase();
  const limit = Math.min(3, Math.max(1, Math.floor(needle.length / 3)));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const d = editDistance(needle, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

export function suggestion(input: string, candidates: readonly string[]): string {
  const near = didYouMean(input, candidates);
  return near === undefined ? '' : ` (did you mean "${near}"?)`;
}
