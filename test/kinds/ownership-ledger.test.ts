// The ownership ledger's encoding (pure) and its rewrite against the emulator: entries survive a
// round trip, are packed sorted into at most 48 attributes of ≤ 800 characters, overflow is
// dropped at LEDGER_CAPACITY, foreign or malformed attributes are ignored, an entry proves only
// the resource with the same identity, a pending one never proves; the writer creates the group,
// replaces (never merges) the attributes, skips unchanged content and retries a lost race.
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  encodeLedger,
  identityKey,
  LEDGER_CAPACITY,
  LEDGER_DESCRIPTION,
  ledgerGroupName,
  nameKey,
  parseLedger,
  PENDING,
  proves,
  claims,
  readOwnershipLedger,
  updateOwnershipLedger,
  type LedgerKind,
  type OwnershipLedger,
} from '../../src/kinds/shared/ownership-ledger.js';
import { MANAGED_BY_TAG } from '../../src/model/live.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';

const VERSION_KEY = 'iotops.own.v';
const chunkKey = (c: number): string => `iotops.own.${String(c).padStart(2, '0')}`;

/** `n` distinct policy entries with real identities. */
function entries(n: number, kind: LedgerKind = 'Policy'): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < n; i++) out.set(nameKey(kind, `r-${i}`), identityKey(String(1_700_000_000_000 + i)));
  return out;
}

const ledgerOf = (e: Map<string, string>): OwnershipLedger => ({ exists: true, entries: e });

describe('ownership ledger encoding', () => {
  it('round-trips any set of entries within capacity', () => {
    const kinds: LedgerKind[] = ['ThingType', 'ThingGroup', 'DynamicThingGroup', 'Policy', 'TopicRule', 'Job'];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...kinds), fc.string({ minLength: 1, maxLength: 40 }), fc.option(fc.string(), { nil: undefined })), { maxLength: 300 }),
        (rows) => {
          const e = new Map(rows.map(([k, n, id]) => [nameKey(k, n), id === undefined ? PENDING : identityKey(id)]));
          expect(parseLedger(encodeLedger(e))).toEqual(e);
        },
      ),
      { numRuns: 60 },
    );
    expect(parseLedger(encodeLedger(new Map()))).toEqual(new Map());
  });

  it('packs sorted entries into chunk attributes of at most 800 characters', () => {
    const e = entries(100);
    const attrs = encodeLedger(e);
    const perChunk = Math.floor(801 / 19);
    expect(perChunk).toBe(42);
    expect(Object.keys(attrs).sort()).toEqual([chunkKey(0), chunkKey(1), chunkKey(2), VERSION_KEY]);
    expect(attrs[VERSION_KEY]).toBe('1');
    const chunks = [0, 1, 2].map((c) => attrs[chunkKey(c)]!.split(','));
    expect(chunks.map((c) => c.length)).toEqual([42, 42, 16]);
    for (const c of [0, 1, 2]) expect(attrs[chunkKey(c)]!.length).toBeLessThanOrEqual(800);
    expect(attrs[chunkKey(0)]!.length).toBe(42 * 18 + 41);
    const all = chunks.flat();
    expect(all).toEqual([...all].sort());
    expect(all.every((x) => x.length === 18)).toBe(true);
    expect(new Set(all)).toEqual(new Set([...e].map(([k, v]) => k + v)));
  });

  it('keeps exactly LEDGER_CAPACITY (2,016) entries, the lowest-sorted ones, in 48 chunks plus the version', () => {
    expect(LEDGER_CAPACITY).toBe(48 * 42);
    const full = encodeLedger(entries(LEDGER_CAPACITY));
    expect(Object.keys(full)).toHaveLength(49);
    expect(parseLedger(full).size).toBe(LEDGER_CAPACITY);

    const e = entries(LEDGER_CAPACITY + 150);
    const attrs = encodeLedger(e);
    const keys = Object.keys(attrs).sort();
    expect(keys).toEqual([...Array.from({ length: 48 }, (_, c) => chunkKey(c)), VERSION_KEY]);
    for (const v of Object.values(attrs)) expect(v.length).toBeLessThanOrEqual(800);
    const kept = parseLedger(attrs);
    expect(kept.size).toBe(LEDGER_CAPACITY);
    const expected = [...e].map(([k, v]) => k + v).sort().slice(0, LEDGER_CAPACITY);
    expect([...kept].map(([k, v]) => k + v).sort()).toEqual(expected);
  });

  it('ignores attributes without the expected version, foreign attributes and malformed entries', () => {
    const e = entries(5);
    const attrs = encodeLedger(e);
    const { [VERSION_KEY]: _v, ...noVersion } = attrs;
    expect(parseLedger(noVersion)).toEqual(new Map());
    expect(parseLedger({ ...attrs, [VERSION_KEY]: '2' })).toEqual(new Map());

    const extra = nameKey('Job', 'extra') + identityKey('x');
    const mixed = parseLedger({
      ...attrs,
      [chunkKey(7)]: `${extra},short,${extra}XX,,${'a'.repeat(17)}`,
      other: nameKey('Job', 'foreign') + identityKey('y'),
      'iotops.owner': nameKey('Job', 'prefix-lookalike') + identityKey('z'),
    });
    expect(mixed).toEqual(new Map([...e, [nameKey('Job', 'extra'), identityKey('x')]]));
  });

  it('proves a resource only with the same kind, name and identity; a pending entry claims but never proves', () => {
    const ledger = ledgerOf(
      new Map([
        [nameKey('Policy', 'telemetry'), identityKey('1700000000000')],
        [nameKey('TopicRule', 'audits'), PENDING],
      ]),
    );
    expect(proves(ledger, 'Policy', 'telemetry', '1700000000000')).toBe(true);
    expect(proves(ledger, 'Policy', 'telemetry', '1700000000001')).toBe(false);
    expect(proves(ledger, 'Policy', 'telemetry', undefined)).toBe(false);
    expect(proves(ledger, 'TopicRule', 'telemetry', '1700000000000')).toBe(false);
    expect(proves(ledger, 'Policy', 'other', '1700000000000')).toBe(false);

    expect(claims(ledger, 'TopicRule', 'audits')).toBe(true);
    for (const id of ['', '0', '1700000000000', PENDING, '......']) expect(proves(ledger, 'TopicRule', 'audits', id)).toBe(false);
    expect(claims(ledger, 'Policy', 'audits')).toBe(false);
    // Identity keys are base64url, which has no '.', so no identity collides with PENDING.
    fc.assert(fc.property(fc.string(), (id) => identityKey(id) !== PENDING));
  });
});

describe('updateOwnershipLedger against the emulator', () => {
  let env: TestEmulator | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  const attributesOf = async (fleetId: string): Promise<Record<string, string>> =>
    (await env!.api.send('DescribeThingGroup', { thingGroupName: ledgerGroupName(fleetId) })).thingGroupProperties?.attributePayload?.attributes ?? {};

  it('creates the marked group, replaces its attributes, skips unchanged content and retries after another writer', async () => {
    env = await startTestEmulator();
    const fleetId = 'ledger-test';
    const group = ledgerGroupName(fleetId);
    expect((await readOwnershipLedger(env.api, fleetId)).exists).toBe(false);

    const hundred = entries(100);
    expect(await updateOwnershipLedger(env.api, fleetId, () => hundred)).toBe(true);
    const described = await env.api.send('DescribeThingGroup', { thingGroupName: group });
    expect(described.thingGroupProperties?.thingGroupDescription).toBe(LEDGER_DESCRIPTION);
    expect(Object.keys(await attributesOf(fleetId)).sort()).toEqual([chunkKey(0), chunkKey(1), chunkKey(2), VERSION_KEY]);
    const tags = await env.api.send('ListTagsForResource', { resourceArn: described.thingGroupArn! });
    expect(tags.tags).toEqual([{ Key: MANAGED_BY_TAG, Value: fleetId }]);
    const read = await readOwnershipLedger(env.api, fleetId);
    expect(read.exists).toBe(true);
    expect(read.entries).toEqual(hundred);

    // Shrinking to one entry: chunks 01 and 02 must vanish (no attribute merge).
    const one = entries(1);
    expect(await updateOwnershipLedger(env.api, fleetId, () => one)).toBe(true);
    expect(Object.keys(await attributesOf(fleetId)).sort()).toEqual([chunkKey(0), VERSION_KEY]);
    expect((await readOwnershipLedger(env.api, fleetId)).entries).toEqual(one);

    env.emulator.resetStats();
    expect(await updateOwnershipLedger(env.api, fleetId, (current) => new Map(current))).toBe(false);
    expect(env.emulator.stats()).toEqual({ DescribeThingGroup: 1 });

    // Another writer updates the group between our read and our write: the first UpdateThingGroup
    // fails on expectedVersion, the retry re-reads and keeps the other writer's entry.
    const theirs = nameKey('TopicRule', 'theirs');
    const mine = nameKey('Policy', 'mine');
    let calls = 0;
    env.emulator.resetStats();
    const written = await updateOwnershipLedger(env.api, fleetId, (current) => {
      calls += 1;
      if (calls === 1) {
        const record = env!.emulator.state.thingGroups.get(group)!;
        record.attributes = encodeLedger(new Map([...current, [theirs, PENDING]]));
        record.version += 1;
      }
      return new Map([...current, [mine, identityKey('42')]]);
    });
    expect(written).toBe(true);
    expect(calls).toBe(2);
    expect(env.emulator.statsDetail().errors).toEqual({ VersionConflictException: 1 });
    expect(env.emulator.stats()).toEqual({ DescribeThingGroup: 2, UpdateThingGroup: 2 });
    expect((await readOwnershipLedger(env.api, fleetId)).entries).toEqual(new Map([...one, [theirs, PENDING], [mine, identityKey('42')]]));
  });
});
