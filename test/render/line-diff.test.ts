import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineDiff } from '../../src/render/line-diff.js';

describe('lineDiff', () => {
  it('puts removals before additions and keeps context around changes', () => {
    expect(lineDiff(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'], ['a', 'b', 'c', 'd', 'X', 'f', 'g', 'h', 'i'], 1)).toEqual([
      { op: '…', skipped: 3 },
      { op: ' ', text: 'd' },
      { op: '-', text: 'e' },
      { op: '+', text: 'X' },
      { op: ' ', text: 'f' },
      { op: '…', skipped: 3 },
    ]);
  });

  it('shows nothing but a skip count for equal input, and covers pure additions', () => {
    expect(lineDiff(['a', 'b'], ['a', 'b'])).toEqual([{ op: '…', skipped: 2 }]);
    expect(lineDiff([], ['x', 'y'])).toEqual([
      { op: '+', text: 'x' },
      { op: '+', text: 'y' },
    ]);
  });

  it('rebuilds both sides exactly when no context is dropped, and shows only a skip when nothing changed', () => {
    const lines = fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 12 });
    fc.assert(
      fc.property(lines, lines, (before, after) => {
        const diff = lineDiff(before, after, Number.MAX_SAFE_INTEGER);
        if (JSON.stringify(before) === JSON.stringify(after)) {
          expect(diff).toEqual(before.length === 0 ? [] : [{ op: '…', skipped: before.length }]);
          return;
        }
        const text = (ops: string[]) => diff.flatMap((l) => (l.op !== '…' && ops.includes(l.op) ? [l.text] : []));
        expect(text([' ', '-'])).toEqual(before);
        expect(text([' ', '+'])).toEqual(after);
      }),
      { numRuns: 500 },
    );
  });
});
