import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultLimits, matchesQuery, parseQuery } from '../../src/emulator/query/index.js';
import type { ThingDocument } from '../../src/emulator/query/index.js';

// Small vocabularies so generated queries and documents actually meet.
const words = ['tv', 'tvLiving', 'lamp', 'Legacy', 'red', 'kitchen', '15', '80', '-3', '9.5', 'true', 'false'];
const fields = [
  'thingName',
  'thingTypeName',
  'thingGroupNames',
  'attributes.battery',
  'attributes.model',
  'shadow.reported.temp',
  'shadow.desired.temp',
  'shadow.hasDelta',
  'connectivity.connected',
  'connectivity.timestamp',
  'noSuchField',
];

const docArb: fc.Arbitrary<ThingDocument> = fc.record({
  thingName: fc.constantFrom('tvLiving', 'tvKitchen', 'lamp-1', 'sensor', 'red'),
  thingId: fc.constantFrom('id-1', 'id-2'),
  thingTypeName: fc.option(fc.constantFrom('TV', 'lamp', 'Legacy'), { nil: undefined }),
  thingGroupNames: fc.subarray(['kitchen', 'tv', 'critical']),
  attributes: fc.record(
    { battery: fc.constantFrom('5', '15', '80', '9.5', 'low'), model: fc.constantFrom('legacy', 'QN90', 'red') },
    { requiredKeys: [] },
  ),
  shadow: fc.option(
    fc.record(
      { reported: fc.record({ temp: fc.constantFrom(-3, 15, 80, 'hot') }), desired: fc.record({ temp: fc.constantFrom(-3, 15) }) },
      { requiredKeys: [] },
    ),
    { nil: undefined },
  ),
  connectivity: fc.option(
    fc.record({ connected: fc.boolean(), timestamp: fc.constantFrom(1000, 2000, 3000) }),
    { nil: undefined },
  ),
});

// Wildcard stems start with a letter or digit: a leading wildcard is a parse error, not a query.
const stems = words.filter((w) => /^[a-z0-9]{3}/i.test(w));

const valueArb = fc.oneof(
  fc.constantFrom(...words),
  fc.constantFrom(...stems).map((w) => `${w.slice(0, 2)}*`),
  fc.constantFrom(...stems).map((w) => `${w.slice(0, -1)}?`),
  fc.constant('*'),
  fc.constantFrom(...words).map((w) => `"${w}"`),
);

const rangeArb = fc
  .tuple(fc.constantFrom('[', '{'), fc.constantFrom('*', ...words), fc.constantFrom('*', ...words), fc.constantFrom(']', '}'))
  .map(([open, lower, upper, close]) => `${open}${lower} TO ${upper}${close}`);

const leafArb = fc.oneof(
  fc.tuple(fc.constantFrom(...fields), fc.oneof(valueArb, rangeArb)).map(([f, v]) => `${f}:${v}`),
  fc
    .tuple(fc.constantFrom(...fields), fc.constantFrom('<', '<=', '>', '>='), fc.constantFrom(...words, '1500'))
    .map(([f, op, v]) => `${f}${op}${v}`),
  valueArb,
);

// Generated queries that exceed the term limit are dropped rather than made to throw.
const unlimited = { ...defaultLimits, maxTerms: Number.POSITIVE_INFINITY };

const queryArb: fc.Arbitrary<string> = fc.letrec<{ q: string }>((tie) => ({
  q: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    fc.tuple(tie('q'), fc.constantFrom(' AND ', ' OR ', ' ', ' NOT '), tie('q')).map(([a, op, b]) => `(${a})${op}(${b})`),
    tie('q').map((a) => `NOT (${a})`),
    tie('q').map((a) => `-(${a})`),
  ),
})).q.filter((text) => parseQuery(text, unlimited).termCount <= defaultLimits.maxTerms);

describe('query properties', () => {
  it('NOT q matches exactly the complement of q', () => {
    fc.assert(
      fc.property(queryArb, fc.array(docArb, { minLength: 1, maxLength: 8 }), (text, docs) => {
        const query = parseQuery(text);
        const negated = parseQuery(`NOT (${text})`);
        const excluded = parseQuery(`-(${text})`);
        for (const doc of docs) {
          expect(matchesQuery(negated, doc)).toBe(!matchesQuery(query, doc));
          expect(matchesQuery(excluded, doc)).toBe(!matchesQuery(query, doc));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('an unqualified term matches the same alone (document walk) as repeated (gathered values)', () => {
    fc.assert(
      fc.property(fc.oneof(valueArb, rangeArb), docArb, (value, doc) => {
        expect(matchesQuery(parseQuery(`${value} OR ${value}`), doc)).toBe(matchesQuery(parseQuery(value), doc));
      }),
      { numRuns: 400 },
    );
  });

  it('implicit AND equals explicit AND, and De Morgan holds', () => {
    fc.assert(
      fc.property(leafArb, leafArb, docArb, (a, b, doc) => {
        const both = matchesQuery(parseQuery(`${a} AND ${b}`), doc);
        expect(matchesQuery(parseQuery(`${a} ${b}`), doc)).toBe(both);
        expect(matchesQuery(parseQuery(`NOT (${a} OR ${b})`), doc)).toBe(
          matchesQuery(parseQuery(`NOT ${a} AND NOT ${b}`), doc),
        );
      }),
      { numRuns: 400 },
    );
  });
});
