// Parser and evaluator of the fleet-indexing query language (src/lang/query): which queries
// AWS would reject (and where), and what a query answers for a thing known by its registry fields.
import { describe, expect, it } from 'vitest';
import { deviceStateDependencies, matchesThing, parseFleetQuery, type MatchOptions, type RegistryThing } from '../../src/lang/query/index.js';

const sensor: RegistryThing = {
  thingName: 'Sensor-Berlin-001',
  thingTypeName: 'temperature-sensor',
  thingGroupNames: ['berlin', 'floor-2'],
  attributes: { battery: '15', site: 'berlin', fw: 'v1.2.3', location: 'Living Room', offset: '-5', model: 'x100' },
};
const bare: RegistryThing = { thingName: 'tv-plasma', thingGroupNames: [], attributes: {} };

function match(text: string, thing: RegistryThing = sensor, opts?: MatchOptions): boolean | 'unknown' {
  const parsed = parseFleetQuery(text);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.message}`);
  return matchesThing(parsed.query, thing, opts);
}

describe('matchesThing on registry fields', () => {
  it.each<[string, RegistryThing, boolean | 'unknown']>([
    ['thingName:Sensor-Berlin-001', sensor, true],
    ['thingName:sensor-berlin-001', sensor, true], // values are case-insensitive
    ['ThingName:Sensor-Berlin-001', sensor, false], // field names are case-sensitive; unknown fields match nothing
    ['thingName:sensor-berlin', sensor, false], // whole values, not prefixes
    ['thingName:sensor-berlin-*', sensor, true],
    ['thingName:sensor-berlin-00?', sensor, true],
    ['thingName:sensor-berlin-0?', sensor, false],
    ['thingTypeName:temperature-sensor', sensor, true],
    ['registry.thingTypeName:temperature-sensor', sensor, true],
    ['thingTypeName:*', bare, false], // no type: the field does not exist
    ['thingTypeName:*', sensor, true],
    ['thingGroupNames:floor-2', sensor, true], // multi-valued: any value
    ['registry.thingGroupNames:berlin', sensor, true],
    ['thingGroupNames:paris', sensor, false],
    ['attributes.battery<20', sensor, true],
    ['attributes.battery < 20', sensor, true],
    ['attributes.battery<=15', sensor, true],
    ['attributes.battery>15', sensor, false],
    ['attributes.battery>=15', sensor, true],
    ['attributes.battery:<20', sensor, true], // the Elasticsearch form
    ['attributes.battery:15.0', sensor, true], // numeric equality
    ['attributes.battery:[10 TO 15]', sensor, true],
    ['attributes.battery:[10 TO 15}', sensor, false],
    ['attributes.battery:{15 TO 20]', sensor, false],
    ['attributes.battery:[* TO 15]', sensor, true],
    ['attributes.battery:(>10 AND <80)', sensor, true],
    ['attributes.battery<9', sensor, false], // numeric: 15 < 9 is false (as strings "15" < "9" would be true)
    ['attributes.fw:["v1.0" TO "v1.9"]', sensor, true], // string range
    ['attributes.offset:-5', sensor, true], // '-' after ':' is part of the value
    ['attributes.offset:[-10 TO 0]', sensor, true],
    ['attributes.location:"living room"', sensor, true],
    ['attributes.location:living', sensor, false],
    ['attributes.missing:*', sensor, false],
    ['NOT attributes.missing:x', sensor, true], // NOT is the exact complement, also without the field
    ['attributes.site:berlin AND thingTypeName:temperature-sensor', sensor, true],
    ['attributes.site:berlin thingTypeName:other', sensor, false], // implicit AND
    ['attributes.site:paris OR thingGroupNames:berlin', sensor, true],
    ['attributes.site:paris OR attributes.site:berlin AND attributes.model:nope', sensor, false], // AND binds tighter
    ['(attributes.site:paris OR attributes.site:berlin) AND attributes.model:x100', sensor, true],
    ['attributes.site:berlin -attributes.model:x100', sensor, false],
    ['attributes.site:berlin NOT attributes.model:x200', sensor, true], // `a NOT b` is `a AND NOT b`
    ['thingName:(tv* AND -tv-plasma)', bare, false],
    ['thingName:(tv* AND -tv-plasma)', { ...bare, thingName: 'tv-lcd' }, true],
    ['thingName:(tv* AND -plasma)', bare, true], // `-plasma` excludes the whole value "plasma" only
    ['thingName:tv\\-plasma', bare, true],
    ['thingName:tv\\*', { ...bare, thingName: 'tv*' }, true], // escaped wildcard is literal
    ['thingName:tv\\*', bare, false],
    ['thingName:"tv*"', bare, false], // wildcards are literal in phrases
    ['attributes.model:x100 and', sensor, 'unknown'], // lower-case `and` is a word, searched everywhere
    ['*', bare, true], // a bare * matches every thing
    ['attr*:x', sensor, false], // an unknown field (wildcards are not expanded in names) matches nothing
    ['TO', { ...bare, thingName: 'to' }, true], // TO is a keyword only inside ranges
  ])('%s', (text, thing, expected) => {
    expect(match(text, thing)).toBe(expected);
  });
});

describe('matchesThing on fields the desired state cannot know', () => {
  it.each<[string, boolean | 'unknown', MatchOptions?]>([
    ['shadow.reported.temp>30', 'unknown'],
    ['connectivity.connected:true', 'unknown'],
    ['deviceDefender.violationCount>0', 'unknown'],
    ['thingId:abc', 'unknown'],
    ['attributes.site:paris AND shadow.reported.temp>30', false], // false AND unknown is false
    ['attributes.site:berlin AND shadow.reported.temp>30', 'unknown'],
    ['attributes.site:berlin OR shadow.reported.temp>30', true], // true OR unknown is true
    ['NOT connectivity.connected:true', 'unknown'],
    ['berlin', true], // unqualified: a registry value matches
    ['munich', 'unknown'], // unqualified: a shadow value might match
    ['munich', false, { shadowIndexed: false }],
    ['shadow.reported.temp>30', false, { shadowIndexed: false }], // unindexed fields match nothing
    ['connectivity.connected:true', false, { connectivityIndexed: false }],
    ['NOT connectivity.connected:true', true, { connectivityIndexed: false }],
  ])('%s → %s', (text, expected, opts) => {
    expect(match(text, sensor, opts)).toBe(expected);
  });

  it('names the device-state sources a query depends on', () => {
    const q = (text: string) => {
      const p = parseFleetQuery(text);
      if (!p.ok) throw new Error(p.message);
      return p.query;
    };
    expect(deviceStateDependencies(q('thingId:x OR connectivity.connected:true OR shadow.reported.a:1'))).toEqual(['shadow', 'connectivity', 'thingId']);
    expect(deviceStateDependencies(q('attributes.battery<20 AND thingTypeName:sensor'))).toEqual([]);
    expect(deviceStateDependencies(q('munich'), { shadowIndexed: false })).toEqual([]);
    expect(deviceStateDependencies(q('munich'))).toEqual(['shadow']);
    expect(deviceStateDependencies(q('*'))).toEqual([]);
  });
});

describe('parseFleetQuery rejects what AWS rejects, with the offset of the culprit', () => {
  it.each<[string, number, RegExp]>([
    ['', 0, /empty/],
    ['   ', 0, /empty/],
    ['thingName:*berlin', 10, /cannot start with a wildcard/],
    ['*berlin', 0, /cannot start with a wildcard/],
    ['thingName:?x', 10, /cannot start with a wildcard/],
    ['thingName:**', 10, /cannot start with a wildcard/],
    ['thingName:a*b*c*', 10, /at most 2 '\*'/],
    ['thingName:a??????', 10, /at most 5 '\?'/],
    ['a b c d e f g h', 14, /more than 7 terms/],
    ['thingName:(a OR b OR c OR d OR e) AND attributes.x:1 AND attributes.y:2 AND attributes.z:[1 TO 2]', 76, /more than 7 terms/],
    ['(thingName:a', 12, /expected '\)'/],
    ['thingName:a)', 11, /unexpected '\)'/],
    ['()', 0, /empty parentheses/],
    ['thingName:', 10, /expected a value/],
    ['thingName:AND', 10, /expected a value/],
    ['AND thingName:a', 0, /keyword AND/],
    ['thingName:a OR', 14, /expected a term/],
    ['NOT', 3, /NOT must be followed/],
    ['- thingName:a', 0, /'-' must be followed/],
    ['<5', 0, /needs a field/],
    ['attributes.x:[1 TO', 18, /upper bound/],
    ['attributes.x:[1 5]', 16, /expected TO/],
    ['attributes.x:[1 TO 5', 20, /expected '\]' or '\}'/],
    ['thingName:"open', 10, /unterminated/],
    ['thingName:a\\', 11, /backslash/],
    ['thingName:(attributes.x:1)', 11, /field inside the field group/],
    ['attributes.x>', 13, /expected a value after '>'/],
  ])('%j', (text, offset, message) => {
    const r = parseFleetQuery(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.message).toMatch(message);
    expect(r.offset).toBe(offset);
  });

  it('limits the query to 1000 UTF-8 bytes, counting multi-byte characters', () => {
    const fits = `attributes.x:${'a'.repeat(1000 - 'attributes.x:'.length)}`;
    expect(parseFleetQuery(fits).ok).toBe(true);
    const umlauts = `attributes.x:${'ä'.repeat(494)}`; // 13 + 988 bytes
    const r = parseFleetQuery(umlauts);
    expect(r).toEqual({ ok: false, message: expect.stringMatching(/1000 bytes/), offset: 13 + 493 });
  });

  it('accepts the AWS documentation examples', () => {
    for (const text of [
      'thingName:myThingName',
      'thingName:my*',
      'thingName:ab?',
      'thingTypeName:TV AND attributes.screen:LCD',
      'attributes.attr1:abc AND attributes.attr2<5 NOT attributes.attr3>10',
      'attributes.attr1:*',
      'connectivity.connected:true',
      'shadow.reported.alarm:(on OR ringing)',
      'shadow.hasDelta:true',
      'attributes.number:[1 TO 5]',
      'attributes.location:{75 TO 80]',
      'attributes.serialNumber:["abcd" TO "abcf"]',
      'thingName:(tv* AND -plasma)',
      'thingGroupNames:(shipping OR packaging)',
      'deviceDefender.violationCount:[0 TO 2]',
      'connectivity.timestamp : [1557651600000 TO 1557867600000]',
      '\\AND "OR"',
    ]) {
      expect({ text, ok: parseFleetQuery(text).ok }).toEqual({ text, ok: true });
    }
  });

  it('counts the terms of a field group one by one, up to the limit of 7', () => {
    const r = parseFleetQuery('thingName:(a OR b OR c OR d OR e OR f OR g)');
    expect(r.ok && r.query.termCount).toBe(7);
  });
});

// Its cost at this size is measured by bench/plan-preview.ts, not here.
describe('at scale', () => {
  it('evaluates one query against 100,000 things', () => {
    const parsed = parseFleetQuery('thingTypeName:sensor AND attributes.battery<20 AND thingName:sensor-* AND -thingGroupNames:retired');
    if (!parsed.ok) throw new Error(parsed.message);
    const things: RegistryThing[] = Array.from({ length: 100_000 }, (_, i) => ({
      thingName: `sensor-${i}`,
      thingTypeName: i % 2 === 0 ? 'sensor' : 'gateway',
      thingGroupNames: i % 10 === 0 ? ['retired'] : ['active'],
      attributes: { battery: String(i % 100), site: 'berlin' },
    }));
    let hits = 0;
    for (const t of things) if (matchesThing(parsed.query, t) === true) hits++;
    const expected = things.filter((t, i) => i % 2 === 0 && i % 100 < 20 && i % 10 !== 0).length;
    expect(hits).toBe(expected);
  });
});
