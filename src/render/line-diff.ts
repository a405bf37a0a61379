// A line diff for large values (policy documents, rule actions) in the text plan: only the
// changed lines and a few lines of context, instead of the whole document twice.

export type DiffLine = { readonly op: ' ' | '-' | '+'; readonly text: string } | { readonly op: '…'; readonly skipped: number };

/** Longest-common-subsequence diff of two line lists, with `context` unchanged lines kept around changes. */
export function lineDiff(before: readonly string[], after: readonly string[], context = 3): DiffLine[] {
  const n = before.length;
  const m = after.length;
  // lcs[i][j] = LCS length of before[i..] and after[j..]; values here are ≤ a few hundred lines.
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = before[i] === after[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const full: Array<{ op: ' ' | '-' | '+'; text: string }> = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && before[i] === after[j]) {
      full.push({ op: ' ', text: before[i]! });
      i++;
      j++;
    } else if (i < n && (j >= m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      full.push({ op: '-', text: before[i]! });
      i++;
    } else {
      full.push({ op: '+', text: after[j]! });
      j++;
    }
  }
  const keep = full.map(() => false);
  full.forEach((line, k) => {
    if (line.op === ' ') return;
    for (let c = Math.max(0, k - context); c <= Math.min(full.length - 1, k + context); c++) keep[c] = true;
  });
  const out: DiffLine[] = [];
  let skipped = 0;
  full.forEach((line, k) => {
    if (keep[k]) {
      if (skipped > 0) out.push({ op: '…', skipped });
      skipped = 0;
      out.push(line);
    } else {
      skipped++;
    }
  });
  if (skipped > 0) out.push({ op: '…', skipped });
  return out;
}
