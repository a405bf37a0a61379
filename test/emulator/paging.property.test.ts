import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SortedKeys } from '../../src/emulator/indexes.js';
import { pageFromSorted } from '../../src/emulator/ops/paging.js';

const key = fc.stringMatching(/^[a-e]{1,3}$/);

describe('pagination under concurrent changes', () => {
  it('returns every key that existed for the whole walk exactly once, in order, whatever is inserted or deleted between pages', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(key, { maxLength: 60 }),
        fc.integer({ min: 1, max: 7 }),
        fc.array(fc.tuple(fc.boolean(), key), { maxLength: 40 }),
        (initial, size, changes) => {
          const keys = new SortedKeys(initial);
          const present = new Set(initial);
          const stable = new Set(initial);
          const seen: string[] = [];
          let token: string | undefined;
          let step = 0;
          do {
            const page = pageFromSorted('k', keys, { nextToken: token, size }, (k) => (present.has(k) ? k : undefined));
            expect(page.items.length).toBeLessThanOrEqual(size);
            seen.push(...page.items);
            token = page.nextToken;
            const [insert, k] = changes[step++] ?? [true, 'a'];
            if (step <= changes.length) {
              if (insert) {
                keys.insert(k);
                present.add(k);
              } else {
                keys.remove(k);
                present.delete(k);
                stable.delete(k);
              }
            }
          } while (token);
          expect(new Set(seen).size).toBe(seen.length);
          expect(seen).toEqual([...seen].sort());
          for (const k of stable) expect(seen).toContain(k);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps SortedKeys equal to a sorted set under random inserts and removes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), key), { maxLength: 100 }), (ops) => {
        const keys = new SortedKeys([]);
        const model = new Set<string>();
        for (const [insert, k] of ops) {
          if (insert) {
            keys.insert(k);
            model.add(k);
          } else {
            keys.remove(k);
            model.delete(k);
          }
        }
        const listed = Array.from({ length: keys.size }, (_, i) => keys.at(i));
        expect(listed).toEqual([...model].sort());
      }),
    );
  });
});
