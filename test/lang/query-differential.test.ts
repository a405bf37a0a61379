// Differential test: the controller's query language (src/lang/query) and the emulator's
// (src/emulator/query) are separate implementations of the same AWS semantics on purpose. On
// registry fields they must accept the same queries and give the same answers; a disagreement
// means one of them misreads AWS-IOT-FACTS §4 or the emulator README's decisions.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchesThing, parseFleetQuery, type RegistryThing } from '../../src/lang/query/index.js';
import { matchesQuery, parseQuery, type ThingDocument } from '../../src/emulator/query/index.js';

// Values avoid 'q' so no term can match the emulator's thingId (the controller cannot know it).
const VALUES = ['a', 'ab', 'b1', '10', '2', '-5', '7.5', 'Berlin', 'x-y', 'a*', 'b?', 'a*b', '"ab"', '"x y"', '\\*', 'AND\\'];
const FIELDS = ['thingName', 'thingTypeName', 'thingGroupNames', 'attributes.a', 'attributes.b', 'registry.thingGroupNames', 'ThingName', 'attributes.c'];

const value = fc.constantFrom(...VALUES);
const leaf = fc.oneof(
  fc.tuple(fc.constantFrom(...FIELDS), value).map(([f, v]) => `${f}:${v}`),
  fc.tuple(fc.constantFrom(...FIELDS), fc.constantFrom('<', '<=', '>', '>='), fc.constantFrom('10', '2', 'b', '-5')).map(([f, op, v]) => `${f}${op}${v}`),
  fc.tuple(fc.constantFrom(...FIELDS), fc.constantFrom('[', '{'), fc.constantFrom('1', '*', 'a', '"b"'), fc.constantFrom('9', '*', 'z', '"c"'), fc.constantFrom(']', '}')).map(([f, o, l, u, c]) => `${f}:${o}${l} TO ${u}${c}`),
  fc.tuple(fc.constantFrom(...FIELDS), value, value).map(([f, v, w]) => `${f}:(${v} OR -${w})`),
  fc.tuple(fc.constantFrom(...FIELDS)).map(([f]) => `${f}:*`),
);
const query: fc.Arbitrary<string> = fc.letrec<{ q: string }>((tie) => ({
  q: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.tuple(tie('q'), fc.constantFrom(' AND ', ' OR ', ' '), tie('q')).map(([a, op, b]) => `${a}${op}${b}`),
    tie('q').map((a) => `NOT ${a}`),
    tie('q').map((a) => `-${a}`),
    tie('q').map((a) => `(${a})`),
  ),
})).q;

const SOUP = ['thingName', 'attributes.a', ':', 'a*', '*a', '(', ')', 'AND', 'OR', 'NOT', '-', '[', '{', ']', '}', 'TO', '1', '"x y"', '"open', '<', '>=', '*', '\\*', '?b', 'b', 'and', '<=', '>', '"', '\\', 'x:', '?', '**', 'a?', '-5', '""', 'thingGroupNames:', 'a\\ b'];
const soup = fc.array(fc.tuple(fc.constantFrom(...SOUP), fc.constantFrom('', ' ')), { minLength: 1, maxLength: 9 }).map((parts) => parts.map(([t, s]) => t + s).join(''));

const thing: fc.Arbitrary<RegistryThing> = fc.record({
  thingName: fc.constantFrom('a', 'ab', 'Berlin', 'x-y', 'a1b'),
  thingTypeName: fc.option(fc.constantFrom('a', 'b1', '10'), { nil: undefined }),
  thingGroupNames: fc.uniqueArray(fc.constantFrom('a', 'ab', 'x y', '2'), { maxLength: 3 }),
  attributes: fc.dictionary(fc.constantFrom('a', 'b'), fc.constantFrom('10', '2', '-5', '7.50', 'ab', 'b', 'x y', '*')),
}).map((t) => (t.thingTypeName === undefined ? { thingName: t.thingName, thingGroupNames: t.thingGroupNames, attributes: t.attributes } : { ...t, thingTypeName: t.thingTypeName }));

function emulatorAccepts(text: string): boolean {
  try {
    parseQuery(text);
    return true;
  } catch {
    return false;
  }
}

function asDocument(t: RegistryThing): ThingDocument {
  return { thingId: 'qqqq', thingName: t.thingName, thingGroupNames: t.thingGroupNames, attributes: t.attributes, ...(t.thingTypeName === undefined ? {} : { thingTypeName: t.thingTypeName }) };
}

describe('controller and emulator query languages agree', () => {
  it('on which generated queries are valid, and on what they match', () => {
    fc.assert(
      fc.property(query, fc.array(thing, { minLength: 1, maxLength: 6 }), (text, things) => {
        const ours = parseFleetQuery(text);
        expect({ text, accepted: ours.ok }).toEqual({ text, accepted: emulatorAccepts(text) });
        if (!ours.ok) return;
        const theirs = parseQuery(text);
        for (const t of things) {
          expect({ text, thing: t, match: matchesThing(ours.query, t, { shadowIndexed: false }) }).toEqual({ text, thing: t, match: matchesQuery(theirs, asDocument(t)) });
        }
      }),
      { numRuns: 400, seed: 20261126 },
    );
  });

  it('on which token soups are valid', () => {
    fc.assert(
      fc.property(soup, (text) => {
        expect({ text, accepted: parseFleetQuery(text).ok }).toEqual({ text, accepted: emulatorAccepts(text) });
      }),
      { numRuns: 1500, seed: 20261126 },
    );
  });
});
