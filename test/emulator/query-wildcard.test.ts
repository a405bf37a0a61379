// The emulator's own wildcard matcher for query terms: what the `^…$` RegExp with flags `isu` it
// replaced answered, without its exponential backtracking on terms like `a*a*a*…b`.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchesQuery, parseQuery, type ThingDocument } from '../../src/emulator/query/index.js';
import type { WordPart } from '../../src/emulator/query/lexer.js';
import { compileWildcard } from '../../src/emulator/query/wildcard.js';

function parts(pattern: string): WordPart[] {
  return [...pattern].map((ch) => (ch === '*' ? { kind: 'star' } : ch === '?' ? { kind: 'one' } : { kind: 'text', text: ch }));
}

/** The replaced RegExp; only ever run on small inputs here. */
function oldRegExp(pattern: string): RegExp {
  const source = parts(pattern)
    .map((p) => (p.kind === 'star' ? '.*' : p.kind === 'one' ? '.' : p.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 'isu');
}

// Letters with case pairs (and the characters whose folding is special: ſ, K, ı, İ, ς/σ/Σ, ß/ẞ),
// a line break, an astral character and a lone surrogate.
const CHARS = ['a', 'A', 'k', 'K', 's', 'S', '1', '-', 'é', 'É', 'ſ', '\u212a', 'ı', 'i', 'I', 'İ', 'ς', 'σ', 'Σ', 'ß', 'ẞ', '\n', '😀', '\ud83d'];

describe('emulator query wildcard matcher', () => {
  it('answers what the RegExp with flags isu answered', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...CHARS, '*', '?'), { maxLength: 8 }).map((cs) => cs.join('')),
        fc.array(fc.constantFrom(...CHARS), { maxLength: 10 }).map((cs) => cs.join('')),
        (pattern, value) => {
          expect(compileWildcard(parts(pattern)).test(value)).toBe(oldRegExp(pattern).test(value));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('treats a surrogate pair as one character for ?', () => {
    expect(compileWildcard(parts('a?b')).test('a😀b')).toBe(true);
    expect(compileWildcard(parts('a??b')).test('a😀b')).toBe(false);
  });

  it('answers pathological terms on a 1,000-character value (limits raised, as SearchIndex callers cannot)', () => {
    const limits = { maxTerms: 7, maxBytes: 10_000, maxStarsPerTerm: 64, maxQuestionMarksPerTerm: 64 };
    const doc: ThingDocument = { thingName: 'a'.repeat(1000), thingId: 'id', thingGroupNames: [], attributes: {} };
    expect(matchesQuery(parseQuery(`thingName:${'a*'.repeat(64)}b`, limits), doc)).toBe(false);
    expect(matchesQuery(parseQuery(`thingName:a${'*?'.repeat(32)}Q`, limits), doc)).toBe(false);
    expect(matchesQuery(parseQuery(`thingName:${'a*'.repeat(64)}A`, limits), doc)).toBe(true);
  });
});
