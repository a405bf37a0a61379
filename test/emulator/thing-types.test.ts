import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateThingCommand,
  CreateThingTypeCommand,
  DeleteThingTypeCommand,
  DeprecateThingTypeCommand,
  DescribeThingTypeCommand,
  ListThingTypesCommand,
  ListTagsForResourceCommand,
  UpdateThingCommand,
  UpdateThingTypeCommand,
} from '@aws-sdk/client-iot';
import { failure, startTestEmulator, type TestEmulator } from './helpers.js';

const T0 = Date.UTC(2026, 0, 1);
let now = T0;
let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator({ clock: () => now });
});
afterAll(() => t.stop());

describe('thing types', () => {
  it('creates idempotently, conflicts on different properties, and describes with epoch timestamps', async () => {
    const props = { thingTypeDescription: 'temp sensor', searchableAttributes: ['room'] };
    const a = await t.iot.send(new CreateThingTypeCommand({ thingTypeName: 'temp', thingTypeProperties: props, tags: [{ Key: 'team', Value: 'a' }] }));
    const b = await t.iot.send(new CreateThingTypeCommand({ thingTypeName: 'temp', thingTypeProperties: props }));
    expect(b.thingTypeId).toBe(a.thingTypeId);
    const err = await failure(t.iot.send(new CreateThingTypeCommand({ thingTypeName: 'temp', thingTypeProperties: { thingTypeDescription: 'other' } })));
    expect([err.name, err.status]).toEqual(['ResourceAlreadyExistsException', 409]);
    const d = await t.iot.send(new DescribeThingTypeCommand({ thingTypeName: 'temp' }));
    expect(d.thingTypeProperties).toMatchObject(props);
    expect(d.thingTypeMetadata?.deprecated).toBe(false);
    expect(d.thingTypeMetadata?.creationDate?.getTime()).toBe(T0);
    const tags = await t.iot.send(new ListTagsForResourceCommand({ resourceArn: a.thingTypeArn }));
    expect(tags.tags).toEqual([{ Key: 'team', Value: 'a' }]);
  });

  it('refuses more than 3 searchable attributes', async () => {
    const err = await failure(t.iot.send(new CreateThingTypeCommand({ thingTypeName: 'wide', thingTypeProperties: { searchableAttributes: ['a', 'b', 'c', 'd'] } })));
    expect(err.name).toBe('InvalidRequestException');
  });

  it('updates mqtt5Configuration only', async () => {
    await t.iot.send(new CreateThingTypeCommand({ thingTypeName: 'mq', thingTypeProperties: { thingTypeDescription: 'd' } }));
    const cfg = { propagatingAttributes: [{ userPropertyKey: 'k', thingAttribute: 'room' }] };
    await t.iot.send(new UpdateThingTypeCommand({ thingTypeName: 'mq', thingTypeProperties: { mqtt5Configuration: cfg } }));
    expect((await t.iot.send(new DescribeThingTypeCommand({ thingTypeName: 'mq' }))).thingTypeProperties?.mqtt5Configuration).toEqual(cfg);
    const err = await failure(t.iot.send(new UpdateThingTypeCommand({ thingTypeName: 'mq', thingTypeProperties: { thingTypeDescription: 'changed' } })));
    expect(err.name).toBe('InvalidRequestException');
  });

  it('deletes only after deprecation plus 5 minutes by the injected clock', async () => {
    await t.iot.send(new CreateThingTypeCommand({ thingTypeName: 'gone' }));
    expect((await failure(t.iot.send(new DeleteThingTypeCommand({ thingTypeName: 'gone' })))).name).toBe('InvalidRequestException');
    await t.iot.send(new DeprecateThingTypeCommand({ thingTypeName: 'gone' }));
    const d = await t.iot.send(new DescribeThingTypeCommand({ thingTypeName: 'gone' }));
    expect(d.thingTypeMetadata?.deprecated).toBe(true);
    expect(d.thingTypeMetadata?.deprecationDate?.getTime()).toBe(now);
    now += 4 * 60_000 + 59_000;
    const early = await failure(t.iot.send(new DeleteThingTypeCommand({ thingTypeName: 'gone' })));
    expect(early.name).toBe('InvalidRequestException');
    expect(early.message).toContain('Please wait for 5 minutes after deprecation and then retry');
    now += 1_000;
    await t.iot.send(new DeleteThingTypeCommand({ thingTypeName: 'gone' }));
    expect((await failure(t.iot.send(new DescribeThingTypeCommand({ thingTypeName: 'gone' })))).name).toBe('ResourceNotFoundException');
  });

  it('advances through the emulator clock control too', async () => {
    await t.iot.send(new CreateThingTypeCommand({ thingTypeName: 'gone2' }));
    await t.iot.send(new DeprecateThingTypeCommand({ thingTypeName: 'gone2' }));
    t.emu.clock.advance(5 * 60_000);
    await t.iot.send(new DeleteThingTypeCommand({ thingTypeName: 'gone2' }));
  });

  it('undoDeprecate makes the type assignable again; deletion is refused while things use it', async () => {
    await t.iot.send(new CreateThingTypeCommand({ thingTypeName: 'busy' }));
    await t.iot.send(new CreateThingCommand({ thingName: 'busy-1', thingTypeName: 'busy' }));
    await t.iot.send(new DeprecateThingTypeCommand({ thingTypeName: 'busy' }));
    expect((await failure(t.iot.send(new CreateThingCommand({ thingName: 'busy-2', thingTypeName: 'busy' })))).name).toBe('InvalidRequestException');
    now += 10 * 60_000;
    const err = await failure(t.iot.send(new DeleteThingTypeCommand({ thingTypeName: 'busy' })));
    expect(err.name).toBe('InvalidRequestException');
    expect(err.message).toContain('things associated');
    await t.iot.send(new DeprecateThingTypeCommand({ thingTypeName: 'busy', undoDeprecate: true }));
    expect((await t.iot.send(new DescribeThingTypeCommand({ thingTypeName: 'busy' }))).thingTypeMetadata?.deprecated).toBe(false);
    await t.iot.send(new CreateThingCommand({ thingName: 'busy-2', thingTypeName: 'busy' }));
    await t.iot.send(new UpdateThingCommand({ thingName: 'busy-1', removeThingType: true }));
  });

  it('lists thing types with paging and a name filter', async () => {
    for (let i = 0; i < 5; i++) await t.iot.send(new CreateThingTypeCommand({ thingTypeName: `list-${i}` }));
    const page1 = await t.iot.send(new ListThingTypesCommand({ maxResults: 3 }));
    expect(page1.thingTypes).toHaveLength(3);
    const names: string[] = (page1.thingTypes ?? []).map((x) => x.thingTypeName as string);
    let token = page1.nextToken;
    while (token) {
      const page = await t.iot.send(new ListThingTypesCommand({ maxResults: 3, nextToken: token }));
      names.push(...(page.thingTypes ?? []).map((x) => x.thingTypeName as string));
      token = page.nextToken;
    }
    expect(names).toEqual([...names].sort());
    expect(names.filter((n) => n.startsWith('list-'))).toHaveLength(5);
    const only = await t.iot.send(new ListThingTypesCommand({ thingTypeName: 'temp' }));
    expect(only.thingTypes?.map((x) => x.thingTypeName)).toEqual(['temp']);
    expect(only.thingTypes?.[0].thingTypeMetadata?.creationDate).toBeInstanceOf(Date);
  });
});
