import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AddThingToThingGroupCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  DeleteThingCommand,
  DeleteThingGroupCommand,
  DescribeThingGroupCommand,
  ListThingGroupsCommand,
  ListThingGroupsForThingCommand,
  ListThingsInThingGroupCommand,
  RemoveThingFromThingGroupCommand,
  UpdateThingGroupCommand,
  UpdateThingGroupsForThingCommand,
  type IoTClient,
} from '@aws-sdk/client-iot';
import { failure, startTestEmulator, type TestEmulator } from './helpers.js';

let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(() => t.stop());

async function group(iot: IoTClient, name: string, parent?: string) {
  return iot.send(new CreateThingGroupCommand({ thingGroupName: name, parentGroupName: parent }));
}

describe('static thing groups', () => {
  it('creates idempotently; a different parent or properties conflicts', async () => {
    await group(t.iot, 'root-a');
    await group(t.iot, 'root-b');
    const a = await group(t.iot, 'child-a', 'root-a');
    const again = await group(t.iot, 'child-a', 'root-a');
    expect(again.thingGroupId).toBe(a.thingGroupId);
    expect((await failure(group(t.iot, 'child-a', 'root-b'))).name).toBe('ResourceAlreadyExistsException');
    const props = { thingGroupDescription: 'x' };
    expect((await failure(t.iot.send(new CreateThingGroupCommand({ thingGroupName: 'child-a', parentGroupName: 'root-a', thingGroupProperties: props })))).name).toBe(
      'ResourceAlreadyExistsException',
    );
    expect((await failure(group(t.iot, 'orphan', 'no-such-parent'))).name).toBe('ResourceNotFoundException');
  });

  it('describes the root-to-parent chain and limits depth to 7', async () => {
    let parent: string | undefined;
    for (let i = 1; i <= 7; i++) {
      await group(t.iot, `lvl-${i}`, parent);
      parent = `lvl-${i}`;
    }
    const d = await t.iot.send(new DescribeThingGroupCommand({ thingGroupName: 'lvl-4' }));
    expect(d.thingGroupMetadata?.parentGroupName).toBe('lvl-3');
    expect(d.thingGroupMetadata?.rootToParentThingGroups?.map((g) => g.groupName)).toEqual(['lvl-1', 'lvl-2', 'lvl-3']);
    expect(d.thingGroupMetadata?.creationDate).toBeInstanceOf(Date);
    expect(d.version).toBe(1);
    expect((await failure(group(t.iot, 'lvl-8', 'lvl-7'))).name).toBe('InvalidRequestException');
  });

  it('updates with merge semantics and expectedVersion', async () => {
    await t.iot.send(
      new CreateThingGroupCommand({ thingGroupName: 'upd', thingGroupProperties: { thingGroupDescription: 'd1', attributePayload: { attributes: { a: '1', b: '2' } } } }),
    );
    const r = await t.iot.send(
      new UpdateThingGroupCommand({ thingGroupName: 'upd', expectedVersion: 1, thingGroupProperties: { attributePayload: { attributes: { b: '', c: '3' }, merge: true } } }),
    );
    expect(r.version).toBe(2);
    let d = await t.iot.send(new DescribeThingGroupCommand({ thingGroupName: 'upd' }));
    expect(d.thingGroupProperties?.attributePayload?.attributes).toEqual({ a: '1', c: '3' });
    expect(d.thingGroupProperties?.thingGroupDescription).toBe('d1');
    const err = await failure(t.iot.send(new UpdateThingGroupCommand({ thingGroupName: 'upd', expectedVersion: 1, thingGroupProperties: {} })));
    expect([err.name, err.status]).toEqual(['VersionConflictException', 409]);
    await t.iot.send(new UpdateThingGroupCommand({ thingGroupName: 'upd', thingGroupProperties: { attributePayload: { attributes: { z: '9' } } } }));
    d = await t.iot.send(new DescribeThingGroupCommand({ thingGroupName: 'upd' }));
    expect(d.thingGroupProperties?.attributePayload?.attributes).toEqual({ z: '9' });
    expect(d.version).toBe(3);
  });

  it('refuses to delete a group with children; deleting a missing group succeeds', async () => {
    await group(t.iot, 'del-parent');
    await group(t.iot, 'del-child', 'del-parent');
    const err = await failure(t.iot.send(new DeleteThingGroupCommand({ thingGroupName: 'del-parent' })));
    expect(err.name).toBe('InvalidRequestException');
    expect(err.message).toContain('child groups');
    await t.iot.send(new DeleteThingGroupCommand({ thingGroupName: 'del-child' }));
    await t.iot.send(new DeleteThingGroupCommand({ thingGroupName: 'del-parent' }));
    await t.iot.send(new DeleteThingGroupCommand({ thingGroupName: 'del-parent' }));
  });

  it('lists groups by parent, recursively and by name prefix', async () => {
    const all = await t.iot.send(new ListThingGroupsCommand({}));
    const names = all.thingGroups?.map((g) => g.groupName) ?? [];
    expect(names).toEqual([...names].sort());
    expect(names).toContain('lvl-7');
    const direct = await t.iot.send(new ListThingGroupsCommand({ parentGroup: 'lvl-1' }));
    expect(direct.thingGroups?.map((g) => g.groupName)).toEqual(['lvl-2']);
    const deep = await t.iot.send(new ListThingGroupsCommand({ parentGroup: 'lvl-1', recursive: true }));
    expect(deep.thingGroups?.map((g) => g.groupName)).toEqual(['lvl-2', 'lvl-3', 'lvl-4', 'lvl-5', 'lvl-6', 'lvl-7']);
    const roots = await t.iot.send(new ListThingGroupsCommand({ recursive: false }));
    expect(roots.thingGroups?.map((g) => g.groupName)).not.toContain('lvl-2');
    expect(roots.thingGroups?.map((g) => g.groupName)).toContain('lvl-1');
    const prefixed = await t.iot.send(new ListThingGroupsCommand({ namePrefixFilter: 'root-' }));
    expect(prefixed.thingGroups?.map((g) => g.groupName)).toEqual(['root-a', 'root-b']);
    const paged = await t.iot.send(new ListThingGroupsCommand({ namePrefixFilter: 'lvl-', maxResults: 4 }));
    expect(paged.thingGroups).toHaveLength(4);
    const rest = await t.iot.send(new ListThingGroupsCommand({ namePrefixFilter: 'lvl-', maxResults: 4, nextToken: paged.nextToken }));
    expect(rest.thingGroups?.map((g) => g.groupName)).toEqual(['lvl-5', 'lvl-6', 'lvl-7']);
    expect(rest.nextToken).toBeUndefined();
  });
});

describe('membership', () => {
  it('adds and removes by name or ARN, lists things recursively and groups per thing', async () => {
    await group(t.iot, 'fleet');
    await group(t.iot, 'fleet-eu', 'fleet');
    await group(t.iot, 'fleet-eu-west', 'fleet-eu');
    const thingArns: Record<string, string> = {};
    for (const n of ['m1', 'm2', 'm3']) thingArns[n] = (await t.iot.send(new CreateThingCommand({ thingName: n }))).thingArn as string;
    await t.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'fleet', thingName: 'm1' }));
    const euWest = await t.iot.send(new DescribeThingGroupCommand({ thingGroupName: 'fleet-eu-west' }));
    await t.iot.send(new AddThingToThingGroupCommand({ thingGroupArn: euWest.thingGroupArn, thingArn: thingArns.m2 }));
    await t.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'fleet-eu', thingName: 'm3' }));
    await t.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'fleet-eu', thingName: 'm3' }));
    expect((await t.iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'fleet' }))).things).toEqual(['m1']);
    expect((await t.iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'fleet', recursive: true }))).things).toEqual(['m1', 'm2', 'm3']);
    expect((await t.iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'fleet-eu', recursive: true }))).things).toEqual(['m2', 'm3']);
    const forThing = await t.iot.send(new ListThingGroupsForThingCommand({ thingName: 'm2' }));
    expect(forThing.thingGroups).toEqual([{ groupName: 'fleet-eu-west', groupArn: euWest.thingGroupArn }]);
    await t.iot.send(new RemoveThingFromThingGroupCommand({ thingGroupName: 'fleet-eu', thingName: 'm3' }));
    expect((await t.iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'fleet-eu' }))).things).toEqual([]);
    expect((await t.iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'fleet', recursive: true }))).things).toEqual(['m1', 'm2']);
    expect((await failure(t.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'fleet', thingName: 'ghost' })))).name).toBe('ResourceNotFoundException');
  });

  it('refuses a second group in the same hierarchy', async () => {
    await t.iot.send(new CreateThingCommand({ thingName: 'h1' }));
    await t.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'fleet-eu', thingName: 'h1' }));
    const err = await failure(t.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'fleet-eu-west', thingName: 'h1' })));
    expect([err.name, err.status]).toEqual(['InvalidRequestException', 400]);
    expect(err.message).toContain('same hierarchy');
  });

  it('caps a thing at 10 groups', async () => {
    await t.iot.send(new CreateThingCommand({ thingName: 'busy' }));
    for (let i = 0; i < 11; i++) await group(t.iot, `cap-${String(i).padStart(2, '0')}`);
    for (let i = 0; i < 10; i++) await t.iot.send(new AddThingToThingGroupCommand({ thingGroupName: `cap-${String(i).padStart(2, '0')}`, thingName: 'busy' }));
    const err = await failure(t.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'cap-10', thingName: 'busy' })));
    expect(err.name).toBe('InvalidRequestException');
    expect(err.message).toContain('10 thing groups');
    const groups = await t.iot.send(new ListThingGroupsForThingCommand({ thingName: 'busy', maxResults: 6 }));
    expect(groups.thingGroups).toHaveLength(6);
    const rest = await t.iot.send(new ListThingGroupsForThingCommand({ thingName: 'busy', maxResults: 6, nextToken: groups.nextToken }));
    expect(rest.thingGroups).toHaveLength(4);
  });

  it('UpdateThingGroupsForThing removes then adds', async () => {
    await t.iot.send(new CreateThingCommand({ thingName: 'mover' }));
    await t.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'root-a', thingName: 'mover' }));
    await t.iot.send(new UpdateThingGroupsForThingCommand({ thingName: 'mover', thingGroupsToAdd: ['root-b', 'child-a'], thingGroupsToRemove: ['root-a'] }));
    const g = await t.iot.send(new ListThingGroupsForThingCommand({ thingName: 'mover' }));
    expect(g.thingGroups?.map((x) => x.groupName)).toEqual(['child-a', 'root-b']);
  });

  it('deleting a thing removes it from its groups; deleting a group with members is allowed', async () => {
    await group(t.iot, 'temp-g');
    await t.iot.send(new CreateThingCommand({ thingName: 'tmp-1' }));
    await t.iot.send(new CreateThingCommand({ thingName: 'tmp-2' }));
    await t.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'temp-g', thingName: 'tmp-1' }));
    await t.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'temp-g', thingName: 'tmp-2' }));
    await t.iot.send(new DeleteThingCommand({ thingName: 'tmp-1' }));
    expect((await t.iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'temp-g' }))).things).toEqual(['tmp-2']);
    await t.iot.send(new DeleteThingGroupCommand({ thingGroupName: 'temp-g' }));
    expect((await t.iot.send(new ListThingGroupsForThingCommand({ thingName: 'tmp-2' }))).thingGroups).toEqual([]);
  });
});
