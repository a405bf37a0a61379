// The one wildcard matcher of the fleet's patterns (ignore:, policy actions, query terms): the
// answers of the `^…$` RegExps it replaced, in linear time on patterns that made them backtrack
// for minutes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileWildcard, MAX_WILDCARDS, wildcardCount, wildcardParts } from '../../src/lang/wildcard.js';

/** Reference: the textbook dynamic program over (pattern prefix, text prefix), case-sensitive. */
function reference(pattern: string, text: string): boolean {
  const m = pattern.length;
  const n = text.length;
  let row = Array.from({ length: n + 1 }, (_, j) => j === 0);
  for (let i = 1; i <= m; i++) {
    const p = pattern[i - 1];
    const next = Array.from({ length: n + 1 }, () => false);
    next[0] = p === '*' && row[0]!;
    for (let j = 1; j <= n; j++) {
      if (p === '*') next[j] = row[j]! || next[j - 1]!;
      else next[j] = row[j - 1]! && (p === '?' || p === text[j - 1]);
    }
    row = next;
  }
  return row[n]!;
}

/** The RegExp the matcher replaced (plan/fields.ts, check-action.ts): only ever on small inputs here. */
function oldRegExp(pattern: string, flags: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[\\s\\S]*').replace(/\?/g, '[\\s\\S]')}$`, flags);
}

const ALPHABET = ['a', 'b', 'A', 'B', '-', '.', '/', 'é', 'É', 'ß', 'ı', 'I', 'K', 'k', '\n', '\ud83d', '\ude00'];
const patternArb = fc.array(fc.constantFrom(...ALPHABET, '*', '?'), { maxLength: 10 }).map((cs) => cs.join(''));
const textArb = fc.array(fc.constantFrom(...ALPHABET), { maxLength: 12 }).map((cs) => cs.join(''));

describe('compileWildcard', () => {
  it.each([
    ['Thing/lab-*', 'Thing/lab-1', true],
    ['Thing/lab-*', 'Thing/lab-', true],
    ['Thing/lab-*', 'Thing/prod-1', false],
    ['*/tmp-*', 'ThingGroup/tmp-x', true],
    ['Thing/s?', 'Thing/s1', true],
    ['Thing/s?', 'Thing/s12', false],
    ['Thing/s?', 'Thing/s', false],
    ['*', '', true],
    ['', '', true],
    ['', 'a', false],
    ['a**b', 'ab', true],
    ['a*b*c', 'abxbxc', true],
    ['a*b*c', 'abxbx', false],
    ['Thing/a.b', 'Thing/axb', false],
    ['Thing/(x)+', 'Thing/(x)+', true],
  ])('%s on %s is %s (case-sensitive)', (pattern, text, expected) => {
    expect(compileWildcard(pattern).test(text)).toBe(expected);
  });

  it('folds case only when asked, the way a RegExp `i` flag does', () => {
    expect(compileWildcard('get*').test('GetThingShadow')).toBe(false);
    expect(compileWildcard('get*', { caseInsensitive: true }).test('GetThingShadow')).toBe(true);
    expect(compileWildcard('ÉTÉ?', { caseInsensitive: true }).test('étés')).toBe(true);
    // Non-ASCII never folds onto ASCII without the `u` flag: KELVIN SIGN is not k.
    expect(compileWildcard('k', { caseInsensitive: true }).test('\u212a')).toBe(false);
  });

  it('takes escaped parts literally (query terms with \\* and \\?)', () => {
    const m = compileWildcard([{ kind: 'text', text: 'a*' }, { kind: 'one' }, { kind: 'text', text: '?' }, { kind: 'star' }]);
    expect(m.test('a*x?yz')).toBe(true);
    expect(m.test('abx?yz')).toBe(false);
    expect(wildcardParts('a*?b')).toEqual([{ kind: 'text', text: 'a' }, { kind: 'star' }, { kind: 'one' }, { kind: 'text', text: 'b' }]);
  });

  it('answers what the dynamic-programming reference answers', () => {
    fc.assert(
      fc.property(patternArb, textArb, (pattern, text) => {
        expect(compileWildcard(pattern).test(text)).toBe(reference(pattern, text));
      }),
      { numRuns: 3000 },
    );
  });

  it('answers what the replaced RegExp answered, with and without case folding', () => {
    fc.assert(
      fc.property(patternArb, textArb, (pattern, text) => {
        expect(compileWildcard(pattern).test(text)).toBe(oldRegExp(pattern, '').test(text));
        expect(compileWildcard(pattern, { caseInsensitive: true }).test(text)).toBe(oldRegExp(pattern, 'i').test(text));
      }),
      { numRuns: 3000 },
    );
  });

  // The shapes that made the RegExps backtrack for 24 s (validate) and 106 s (plan), and worse on
  // 1,000 characters; the matcher answers them at once (timings: bench/validate.ts).
  it.each([
    ['*?'.repeat(32) + 'Q', false],
    ['a*'.repeat(64) + 'b', false],
    ['*a'.repeat(64) + '*b', false],
    ['*?'.repeat(32) + 'a', true],
    ['a*'.repeat(64) + 'a', true],
  ])('answers the pathological %s on a 1,000-character name', (pattern, expected) => {
    const name = 'a'.repeat(1000);
    expect(compileWildcard(pattern).test(name)).toBe(expected);
    expect(compileWildcard(pattern, { caseInsensitive: true }).test(name.toUpperCase())).toBe(expected);
  });

  it('answers the pathological pattern once the name ends as the pattern wants', () => {
    expect(compileWildcard('a*'.repeat(64) + 'b').test(`${'a'.repeat(999)}b`)).toBe(true);
    expect(compileWildcard('*?'.repeat(32) + 'Q').test(`${'a'.repeat(999)}Q`)).toBe(true);
  });
});

describe('wildcardCount', () => {
  it('counts * and ? against the limit', () => {
    expect(wildcardCount('Thing/lab-*')).toBe(1);
    expect(wildcardCount('*?*?')).toBe(4);
    expect(wildcardCount('plain')).toBe(0);
    expect(MAX_WILDCARDS).toBe(64);
  });
});
