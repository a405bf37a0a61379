import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AttachThingPrincipalCommand,
  CreateKeysAndCertificateCommand,
  CreateThingCommand,
  DetachThingPrincipalCommand,
  CreateThingTypeCommand,
  DeleteThingCommand,
  DeprecateThingTypeCommand,
  DescribeThingCommand,
  ListThingsCommand,
  UpdateThingCommand,
} from '@aws-sdk/client-iot';
import { failure, startTestEmulator, type TestEmulator } from './helpers.js';

let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator();
  await t.iot.send(new CreateThingTypeCommand({ thingTypeName: 'sensor' }));
  await t.iot.send(new CreateThingTypeCommand({ thingTypeName: 'old-type' }));
  await t.iot.send(new DeprecateThingTypeCommand({ thingTypeName: 'old-type' }));
});
afterAll(() => t.stop());

describe('CreateThing', () => {
  it('is idempotent for the same configuration and returns the same id', async () => {
    const a = await t.iot.send(new CreateThingCommand({ thingName: 'idem-1', attributePayload: { attributes: { color: 'red' } } }));
    const b = await t.iot.send(new CreateThingCommand({ thingName: 'idem-1', attributePayload: { attributes: { color: 'red' } } }));
    expect(b.thingId).toBe(a.thingId);
    expect(a.thingArn).toBe('arn:aws:iot:us-east-1:123456789012:thing/idem-1');
  });

  it('raises ResourceAlreadyExistsException (409) with resourceId for a different configuration', async () => {
    const created = await t.iot.send(new CreateThingCommand({ thingName: 'conflict-1', attributePayload: { attributes: { color: 'red' } } }));
    const err = await failure(t.iot.send(new CreateThingCommand({ thingName: 'conflict-1', attributePayload: { attributes: { color: 'blue' } } })));
    expect(err.name).toBe('ResourceAlreadyExistsException');
    expect(err.status).toBe(409);
    expect(err.raw.resourceId).toBe(created.thingId);
  });

  it('enforces 3 attributes without a thing type and allows more with one', async () => {
    const four = { a: '1', b: '2', c: '3', d: '4' };
    const err = await failure(t.iot.send(new CreateThingCommand({ thingName: 'untyped-4', attributePayload: { attributes: four } })));
    expect(err.name).toBe('InvalidRequestException');
    await t.iot.send(new CreateThingCommand({ thingName: 'typed-4', thingTypeName: 'sensor', attributePayload: { attributes: four } }));
    const d = await t.iot.send(new DescribeThingCommand({ thingName: 'typed-4' }));
    expect(d.attributes).toEqual(four);
  });

  it('refuses a deprecated or missing thing type and an invalid name', async () => {
    expect((await failure(t.iot.send(new CreateThingCommand({ thingName: 'dep', thingTypeName: 'old-type' })))).name).toBe('InvalidRequestException');
    expect((await failure(t.iot.send(new CreateThingCommand({ thingName: 'nt', thingTypeName: 'nope' })))).name).toBe('ResourceNotFoundException');
    expect((await failure(t.iot.send(new CreateThingCommand({ thingName: 'bad name' })))).name).toBe('InvalidRequestException');
  });
});

describe('DescribeThing', () => {
  it('returns the registry view with defaultClientId and version, and 404 for a missing thing', async () => {
    await t.iot.send(new CreateThingCommand({ thingName: 'desc-1', thingTypeName: 'sensor' }));
    const d = await t.iot.send(new DescribeThingCommand({ thingName: 'desc-1' }));
    expect(d).toMatchObject({ thingName: 'desc-1', defaultClientId: 'desc-1', thingTypeName: 'sensor', version: 1, attributes: {} });
    const err = await failure(t.iot.send(new DescribeThingCommand({ thingName: 'missing' })));
    expect([err.name, err.status]).toEqual(['ResourceNotFoundException', 404]);
  });
});

describe('UpdateThing', () => {
  it('replaces attributes without merge and merges (empty value deletes) with merge', async () => {
    await t.iot.send(new CreateThingCommand({ thingName: 'upd-1', attributePayload: { attributes: { a: '1', b: '2' } } }));
    await t.iot.send(new UpdateThingCommand({ thingName: 'upd-1', attributePayload: { attributes: { c: '3' } } }));
    expect((await t.iot.send(new DescribeThingCommand({ thingName: 'upd-1' }))).attributes).toEqual({ c: '3' });
    await t.iot.send(new UpdateThingCommand({ thingName: 'upd-1', attributePayload: { attributes: { a: '9', c: '' }, merge: true } }));
    const d = await t.iot.send(new DescribeThingCommand({ thingName: 'upd-1' }));
    expect(d.attributes).toEqual({ a: '9' });
    expect(d.version).toBe(3);
  });

  it('raises VersionConflictException when expectedVersion does not match, and succeeds when it does', async () => {
    await t.iot.send(new CreateThingCommand({ thingName: 'ver-1' }));
    const err = await failure(t.iot.send(new UpdateThingCommand({ thingName: 'ver-1', expectedVersion: 7, attributePayload: { attributes: { a: '1' } } })));
    expect([err.name, err.status]).toEqual(['VersionConflictException', 409]);
    await t.iot.send(new UpdateThingCommand({ thingName: 'ver-1', expectedVersion: 1, attributePayload: { attributes: { a: '1' } } }));
    expect((await t.iot.send(new DescribeThingCommand({ thingName: 'ver-1' }))).version).toBe(2);
  });

  it('sets and removes the thing type, refusing to drop below the untyped attribute limit', async () => {
    await t.iot.send(new CreateThingCommand({ thingName: 'type-1', thingTypeName: 'sensor', attributePayload: { attributes: { a: '1', b: '2', c: '3', d: '4' } } }));
    expect((await failure(t.iot.send(new UpdateThingCommand({ thingName: 'type-1', removeThingType: true })))).name).toBe('InvalidRequestException');
    await t.iot.send(new UpdateThingCommand({ thingName: 'type-1', removeThingType: true, attributePayload: { attributes: { a: '1' } } }));
    const d = await t.iot.send(new DescribeThingCommand({ thingName: 'type-1' }));
    expect(d.thingTypeName).toBeUndefined();
    expect((await failure(t.iot.send(new UpdateThingCommand({ thingName: 'type-1', thingTypeName: 'old-type' })))).name).toBe('InvalidRequestException');
  });
});

describe('DeleteThing', () => {
  it('deletes, succeeds for a missing thing, and honours expectedVersion', async () => {
    await t.iot.send(new CreateThingCommand({ thingName: 'del-1' }));
    expect((await failure(t.iot.send(new DeleteThingCommand({ thingName: 'del-1', expectedVersion: 5 })))).name).toBe('VersionConflictException');
    await t.iot.send(new DeleteThingCommand({ thingName: 'del-1', expectedVersion: 1 }));
    expect((await failure(t.iot.send(new DescribeThingCommand({ thingName: 'del-1' })))).name).toBe('ResourceNotFoundException');
    await expect(t.iot.send(new DeleteThingCommand({ thingName: 'never-existed' }))).resolves.toBeDefined();
  });
});

describe('DeleteThing with a principal attached', () => {
  it('is refused until the principal is detached', async () => {
    await t.iot.send(new CreateThingCommand({ thingName: 'with-cert' }));
    const cert = await t.iot.send(new CreateKeysAndCertificateCommand({ setAsActive: false }));
    await t.iot.send(new AttachThingPrincipalCommand({ thingName: 'with-cert', principal: cert.certificateArn }));
    expect((await failure(t.iot.send(new DeleteThingCommand({ thingName: 'with-cert' })))).name).toBe('InvalidRequestException');
    await t.iot.send(new DetachThingPrincipalCommand({ thingName: 'with-cert', principal: cert.certificateArn }));
    await t.iot.send(new DeleteThingCommand({ thingName: 'with-cert' }));
    expect((await failure(t.iot.send(new DescribeThingCommand({ thingName: 'with-cert' })))).name).toBe('ResourceNotFoundException');
  });
});

describe('ListThings', () => {
  let p: TestEmulator;
  beforeAll(async () => {
    p = await startTestEmulator();
    for (let batch = 0; batch < 600; batch += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, j) => {
          const i = batch + j;
          const attributes = { idx: String(i), parity: i % 2 === 0 ? 'even' : 'odd', zone: `z${i % 3}-north` };
          return p.iot.send(new CreateThingCommand({ thingName: `dev-${String(i).padStart(4, '0')}`, attributePayload: { attributes } }));
        }),
      );
    }
  });
  afterAll(() => p.stop());

  it('pages 600 things as 250 + 250 + 100 with opaque tokens and no token on the last page', async () => {
    const sizes: number[] = [];
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await p.iot.send(new ListThingsCommand({ nextToken }));
      sizes.push(page.things?.length ?? 0);
      names.push(...(page.things ?? []).map((x) => x.thingName as string));
      nextToken = page.nextToken;
      if (nextToken) expect(nextToken).not.toContain('dev-');
    } while (nextToken);
    expect(sizes).toEqual([250, 250, 100]);
    expect(new Set(names).size).toBe(600);
  });

  it('keeps paging stable when things are inserted between pages', async () => {
    const first = await p.iot.send(new ListThingsCommand({ maxResults: 100 }));
    await p.iot.send(new CreateThingCommand({ thingName: 'dev-0000a' }));
    await p.iot.send(new CreateThingCommand({ thingName: 'zzz-last' }));
    const seen = new Set((first.things ?? []).map((x) => x.thingName));
    let nextToken = first.nextToken;
    while (nextToken) {
      const page = await p.iot.send(new ListThingsCommand({ maxResults: 250, nextToken }));
      for (const th of page.things ?? []) {
        expect(seen.has(th.thingName)).toBe(false);
        seen.add(th.thingName);
      }
      nextToken = page.nextToken;
    }
    expect(seen.size).toBe(601);
    expect(seen.has('zzz-last')).toBe(true);
    await p.iot.send(new DeleteThingCommand({ thingName: 'dev-0000a' }));
    await p.iot.send(new DeleteThingCommand({ thingName: 'zzz-last' }));
  });

  it('filters by attribute value, by prefix and by thing type', async () => {
    const even = await p.iot.send(new ListThingsCommand({ attributeName: 'parity', attributeValue: 'even', maxResults: 250 }));
    expect(even.things).toHaveLength(250);
    expect(even.things?.every((x) => x.attributes?.parity === 'even')).toBe(true);
    const rest = await p.iot.send(new ListThingsCommand({ attributeName: 'parity', attributeValue: 'even', nextToken: even.nextToken }));
    expect(rest.things).toHaveLength(50);
    expect(rest.nextToken).toBeUndefined();
    const prefixed = await p.iot.send(new ListThingsCommand({ attributeName: 'zone', attributeValue: 'z1', usePrefixAttributeValue: true }));
    expect(prefixed.things).toHaveLength(200);
    const exact = await p.iot.send(new ListThingsCommand({ attributeName: 'zone', attributeValue: 'z1' }));
    expect(exact.things).toHaveLength(0);
    const typed = await p.iot.send(new ListThingsCommand({ thingTypeName: 'sensor' }));
    expect(typed.things).toHaveLength(0);
  });

  it('rejects maxResults above 250 and a forged token', async () => {
    expect((await failure(p.iot.send(new ListThingsCommand({ maxResults: 251 })))).name).toBe('InvalidRequestException');
    expect((await failure(p.iot.send(new ListThingsCommand({ nextToken: 'garbage' })))).name).toBe('InvalidRequestException');
  });
});
