import { describe, expect, it } from 'vitest';
import { matchesQuery, parseQuery, QueryError } from '../../src/emulator/query/index.js';
import type { ThingDocument } from '../../src/emulator/query/index.js';

type Extra = Partial<Omit<ThingDocument, 'thingName' | 'thingId' | 'thingTypeName'>> & { type?: string };

function thing(thingName: string, extra: Extra = {}): ThingDocument {
  const { type, ...rest } = extra;
  return {
    thingName,
    thingId: `id-${thingName}`,
    thingGroupNames: [],
    attributes: {},
    ...(type === undefined ? {} : { thingTypeName: type }),
    ...rest,
  };
}

const things: readonly ThingDocument[] = [
  thing('tvLiving', {
    type: 'TV',
    thingGroupNames: ['livingRoom', 'tvs'],
    attributes: { model: 'QN90', battery: '15', serialNumber: 'abcd' },
    shadow: { reported: { stats: { battery: 80 }, power: 'on', myvalues: [1, 2, 3] }, desired: { power: 'on' } },
    connectivity: { connected: true, timestamp: 1557700000000 },
  }),
  thing('tvKitchen', {
    type: 'TV',
    thingGroupNames: ['kitchen', 'tvs'],
    attributes: { model: 'legacy', battery: '75', serialNumber: 'abce' },
    shadow: { reported: { stats: { battery: 95 }, power: 'off' }, desired: { power: 'on' } },
    connectivity: { connected: false, timestamp: 1557600000000, disconnectReason: 'MQTT_KEEP_ALIVE_TIMEOUT' },
  }),
  thing('tvPlasma', {
    type: 'TV',
    thingGroupNames: ['basement'],
    attributes: { model: 'legacy', battery: '80', serialNumber: 'abcf' },
  }),
  thing('plasma'),
  thing('sensor-01', {
    type: 'Sensor',
    thingGroupNames: ['greenhouse'],
    attributes: { battery: '5', location: 'Living Room' },
    shadow: { reported: { temp: 21.5, location: { lat: 48.1, lon: 11.5 } } },
    connectivity: { connected: true, timestamp: 1557870000000 },
  }),
  thing('sensor-02', {
    type: 'Sensor',
    thingGroupNames: ['greenhouse', 'critical'],
    attributes: { battery: '100', location: 'garage' },
    shadow: { reported: { temp: -3 }, desired: { temp: -3 } },
    connectivity: { connected: false, timestamp: 1557651600000, disconnectReason: 'CLIENT_INITIATED_DISCONNECT' },
  }),
  thing('sensor-10', { type: 'Sensor', attributes: { battery: '9.5' } }),
  thing('LAMP-A', { type: 'Light', attributes: { color: 'Red' }, shadow: { reported: { on: true }, desired: { on: false } } }),
  thing('lamp-b', {
    type: 'Light',
    attributes: { color: 'red' },
    shadow: { reported: { on: false, brightness: 40 }, desired: { on: false } },
  }),
  thing('door:front', { attributes: { mode: 'AND' } }),
  thing('ab1', { attributes: { pattern: 'a*b' } }),
  thing('abc', { attributes: { pattern: 'axxb' } }),
  thing('abcd', { attributes: { offset: '-5', serialNumber: 'abcg' } }),
  thing('gw-1', {
    type: 'Gateway',
    thingGroupNames: ['critical'],
    attributes: { offset: '10', note: 'he said "hi"' },
    shadow: { reported: { firmware: { version: 'v2' } } },
  }),
  thing('gw-2', {
    type: 'Gateway',
    attributes: { 'a.b': 'dotted' },
    shadow: { reported: { tags: ['alpha', 'beta'], list: [{ n: 1 }, { n: 7 }] } },
  }),
];

const allNames = things.map((t) => t.thingName);
const except = (...names: string[]): string[] => allNames.filter((n) => !names.includes(n));

function search(text: string): string[] {
  const query = parseQuery(text);
  return things.filter((t) => matchesQuery(query, t)).map((t) => t.thingName);
}

// [query, exact set of matching thing names]
const cases: readonly (readonly [string, readonly string[]])[] = [
  // field:value, case rules
  ['thingName:tvLiving', ['tvLiving']],
  ['thingName:TVLIVING', ['tvLiving']],
  ['ThingName:tvLiving', []],
  ['thingId:id-plasma', ['plasma']],
  ['thingTypeName:TV', ['tvLiving', 'tvKitchen', 'tvPlasma']],
  ['registry.thingTypeName:sensor', ['sensor-01', 'sensor-02', 'sensor-10']],
  ['thingGroupNames:tvs', ['tvLiving', 'tvKitchen']],
  ['registry.thingGroupNames:critical', ['sensor-02', 'gw-1']],
  ['attributes.model:legacy', ['tvKitchen', 'tvPlasma']],
  ['attributes.a.b:dotted', ['gw-2']],
  ['unknownField:x', []],
  ['NOT unknownField:x', allNames],
  // wildcards and existence
  ['thingName:tv*', ['tvLiving', 'tvKitchen', 'tvPlasma']],
  ['thingName:ab?', ['ab1', 'abc']],
  ['thingName:ab??', ['abcd']],
  ['thingName:s*-?0', ['sensor-10']],
  ['thingGroupNames:green*', ['sensor-01', 'sensor-02']],
  ['attributes.location:LIVING*', ['sensor-01']],
  ['attributes.pattern:a*b', ['ab1', 'abc']],
  ['attributes.battery:*', ['tvLiving', 'tvKitchen', 'tvPlasma', 'sensor-01', 'sensor-02', 'sensor-10']],
  ['-thingTypeName:*', ['plasma', 'door:front', 'ab1', 'abc', 'abcd']],
  ['*', allNames],
  // escaping and quoting
  ['attributes.pattern:a\\*b', ['ab1']],
  ['thingName:door\\:front', ['door:front']],
  ['attributes.mode:\\AND', ['door:front']],
  ['attributes.mode:"and"', ['door:front']],
  ['attributes.location:"living room"', ['sensor-01']],
  ['attributes.note:"he said \\"hi\\""', ['gw-1']],
  ['attributes.location:"Living*"', []],
  // comparisons: numeric when both sides are numbers, else case-insensitive string order
  ['attributes.battery<20', ['tvLiving', 'sensor-01', 'sensor-10']],
  ['attributes.battery >= 80', ['tvPlasma', 'sensor-02']],
  ['attributes.battery:<=15', ['tvLiving', 'sensor-01', 'sensor-10']],
  ['attributes.battery:75', ['tvKitchen']],
  ['attributes.battery:9.50', ['sensor-10']],
  ['attributes.model>m', ['tvLiving']],
  ['attributes.offset:-5', ['abcd']],
  ['attributes.offset<5', ['abcd']],
  // ranges
  ['attributes.battery:[75 TO 80]', ['tvKitchen', 'tvPlasma']],
  ['attributes.battery:{75 TO 80]', ['tvPlasma']],
  ['attributes.battery:[75 TO 80}', ['tvKitchen']],
  ['attributes.battery:{5 TO 100}', ['tvLiving', 'tvKitchen', 'tvPlasma', 'sensor-10']],
  ['attributes.battery:[* TO 10]', ['sensor-01', 'sensor-10']],
  ['attributes.offset:[-10 TO 0]', ['abcd']],
  ['attributes.serialNumber:["abcd" TO "abcf"]', ['tvLiving', 'tvKitchen', 'tvPlasma']],
  ['attributes.serialNumber:{ABCE TO *]', ['tvPlasma', 'abcd']],
  // boolean operators, default AND, precedence, grouping
  ['thingTypeName:TV attributes.model:legacy', ['tvKitchen', 'tvPlasma']],
  ['thingTypeName:TV AND attributes.model:legacy', ['tvKitchen', 'tvPlasma']],
  ['attributes.model:legacy NOT thingName:tvPlasma', ['tvKitchen']],
  ['NOT attributes.model:legacy', except('tvKitchen', 'tvPlasma')],
  ['NOT NOT thingName:plasma', ['plasma']],
  ['thingTypeName:Light OR thingTypeName:Gateway AND thingGroupNames:critical', ['LAMP-A', 'lamp-b', 'gw-1']],
  ['(thingTypeName:Light OR thingTypeName:Gateway) AND thingGroupNames:critical', ['gw-1']],
  ['thingTypeName:light -attributes.color:red', []],
  ['thingName:(tv* AND -tvPlasma)', ['tvLiving', 'tvKitchen']],
  ['thingName:(ab? OR sensor-1*)', ['ab1', 'abc', 'sensor-10']],
  ['attributes.battery:(>10 AND <80)', ['tvLiving', 'tvKitchen']],
  ['thingName:(tvLiving OR plasma) OR (thingTypeName:Gateway -gw-1)', ['tvLiving', 'plasma', 'gw-2']],
  // unqualified terms search every registry and shadow value
  ['red', ['LAMP-A', 'lamp-b']],
  ['abcg', ['abcd']],
  ['80', ['tvLiving', 'tvPlasma']],
  ['beta OR kitchen', ['tvKitchen', 'gw-2']],
  ['"living room"', ['sensor-01']],
  // shadow
  ['shadow.reported.stats.battery:{70 TO 100} NOT attributes.model:legacy', ['tvLiving']],
  ['shadow.reported.myvalues:2', ['tvLiving']],
  ['shadow.reported.location:* NOT shadow.desired.temp:*', ['sensor-01']],
  ['shadow.reported.temp<0', ['sensor-02']],
  ['shadow.reported.firmware.version:V2', ['gw-1']],
  ['shadow.reported.tags:beta', ['gw-2']],
  ['shadow.reported.list.n:7', ['gw-2']],
  ['shadow.reported.on:true', ['LAMP-A']],
  ['shadow.desired.on:false', ['LAMP-A', 'lamp-b']],
  ['shadow.hasDelta:true', ['tvKitchen', 'LAMP-A']],
  ['shadow.hasDelta:false', ['tvLiving', 'sensor-01', 'sensor-02', 'lamp-b', 'gw-1', 'gw-2']],
  ['shadow.delta.power:on', ['tvKitchen']],
  ['shadow.delta.on:*', ['LAMP-A']],
  // connectivity
  ['connectivity.connected:true', ['tvLiving', 'sensor-01']],
  ['connectivity.connected:false', ['tvKitchen', 'sensor-02']],
  ['connectivity.connected:*', ['tvLiving', 'tvKitchen', 'sensor-01', 'sensor-02']],
  ['connectivity.connected:true AND connectivity.timestamp : [1557651600000 TO 1557867600000]', ['tvLiving']],
  ['connectivity.connected:false AND connectivity.timestamp:[1557651600000 TO 1557867600000]', ['sensor-02']],
  ['connectivity.connected:true AND connectivity.timestamp > 1557651600000', ['tvLiving', 'sensor-01']],
  ['connectivity.disconnectReason:mqtt_keep*', ['tvKitchen']],
];

const label = (text: string): string => (text.length > 70 ? `${text.slice(0, 60)}… (${text.length} chars)` : text);

describe('matchesQuery', () => {
  it.each(cases.map(([text, expected]) => ({ name: label(text), text, expected })))('$name', ({ text, expected }) => {
    expect(search(text).sort()).toEqual([...expected].sort());
  });

  it('accepts exactly 7 terms', () => {
    expect(search('thingTypeName:TV a b c d e f')).toEqual([]);
    expect(parseQuery('thingName:(tv* AND -tvPlasma) a b c d e').termCount).toBe(7);
  });

  it('accepts a query of exactly 1000 bytes', () => {
    const text = `thingName:${'a'.repeat(990)}`;
    expect(new TextEncoder().encode(text).length).toBe(1000);
    expect(search(text)).toEqual([]);
  });
});

// [query, message pattern]
const errors: readonly (readonly [string, RegExp])[] = [
  ['', /empty/],
  ['   \t ', /empty/],
  ['(thingName:a', /unbalanced parentheses: missing '\)'/],
  ['thingName:(a OR b', /unbalanced parentheses: missing '\)'/],
  ['thingName:a)', /unbalanced parentheses: unexpected '\)' at column 12/],
  ['()', /empty parentheses/],
  ['thingName:*vLiving', /leading wildcard in '\*vLiving'/],
  ['thingName:?bc', /leading wildcard/],
  ['*abc', /leading wildcard/],
  ['a b c d e f g h', /8 terms; the maximum is 7/],
  ['thingName:(a OR b OR c OR d) e f g h', /8 terms/],
  [`thingName:${'a'.repeat(991)}`, /1001 bytes long; the maximum is 1000/],
  [`thingName:${'ü'.repeat(496)}`, /1002 bytes/],
  ['thingName:a AND', /operator AND at column 13 is missing its right-hand term/],
  ['thingName:a OR', /operator OR .* missing its right-hand term/],
  ['OR thingName:a', /unexpected operator OR at column 1/],
  ['thingName:a AND OR thingName:b', /operator AND .* missing its right-hand term \(found operator OR\)/],
  ['NOT', /operator NOT .* missing its right-hand term/],
  ['thingName:a -', /'-' at column 13 must be directly followed/],
  ['thingName:', /'thingName:' at column 1 is missing a value/],
  ['attributes.mode:AND', /missing a value \(found operator AND\)/],
  ['attributes.b<', /comparison '<' .* missing a value/],
  ['attributes.b:[1 TO]', /bad range at column 14: missing the upper bound/],
  ['attributes.b:[1 5]', /bad range .* expected 'TO'/],
  ['attributes.b:[1 TO 5', /bad range .* expected '\]' or '\}'/],
  ['attributes.b:[1 TO 5)', /bad range .* expected '\]' or '\}'/],
  ['attributes.b:[TO 5]', /bad range .* missing the lower bound/],
  ['thingName:a*b*c*', /3 '\*' wildcards; the maximum is 2/],
  ['thingName:a??????', /6 '\?' wildcards; the maximum is 5/],
  ['thingName:"abc', /unterminated quoted string/],
  ['thingName:abc\\', /dangling escape/],
  ['<5', /needs a field/],
  ['thingName:(attributes.x:1)', /can't appear inside the field group/],
  ['thingName:a:b', /unexpected ':' at column 12/],
];

describe('parseQuery errors', () => {
  it.each(errors.map(([text, message]) => ({ name: label(JSON.stringify(text)), text, message })))('$name', ({ text, message }) => {
    expect(() => parseQuery(text)).toThrow(QueryError);
    expect(() => parseQuery(text)).toThrow(message);
  });
});

describe('shadow delta', () => {
  const withShadow = (desired: unknown, reported: unknown): ThingDocument => thing('t', { shadow: { desired, reported } });
  const hits = (text: string, doc: ThingDocument): boolean => matchesQuery(parseQuery(text), doc);

  it.each([
    ['equal nested objects', { a: { b: 1 } }, { a: { b: 1 } }, false],
    ['different nested value', { a: { b: 1 } }, { a: { b: 2 } }, true],
    ['desired key missing from reported', { a: 1 }, {}, true],
    ['null desired value is a deletion', { a: null }, { a: 1 }, false],
    ['desired object of nulls', { a: { b: null } }, {}, false],
    ['arrays compared whole, equal', { list: [1, 2] }, { list: [1, 2] }, false],
    ['arrays compared whole, reordered', { list: [1, 2] }, { list: [2, 1] }, true],
    ['no desired section', undefined, { a: 1 }, false],
  ] as const)('%s', (_name, desired, reported, expected) => {
    const doc = withShadow(desired, reported);
    expect(hits('shadow.hasDelta:true', doc)).toBe(expected);
    expect(hits('shadow.hasDelta:false', doc)).toBe(!expected);
    expect(hits('shadow.delta.a:* OR shadow.delta.list:*', doc)).toBe(expected);
  });

  it('exposes only the differing leaves under shadow.delta', () => {
    const doc = withShadow({ a: { b: 1, c: 2 } }, { a: { b: 1, c: 3 } });
    expect(hits('shadow.delta.a.c:2', doc)).toBe(true);
    expect(hits('shadow.delta.a.b:*', doc)).toBe(false);
  });
});

describe('limits', () => {
  it('takes other limits for newer AWS quotas (12 terms, leading-wildcard rules aside)', () => {
    const text = 'a b c d e f g h i j k l';
    expect(() => parseQuery(text)).toThrow(/12 terms; the maximum is 7/);
    expect(parseQuery(text, { maxTerms: 12, maxBytes: 1000, maxStarsPerTerm: 2, maxQuestionMarksPerTerm: 5 }).termCount).toBe(12);
  });
});
