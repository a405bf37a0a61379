import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AddThingToThingGroupCommand,
  CreateDynamicThingGroupCommand,
  CreateJobCommand,
  ListJobExecutionsForJobCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  CreateThingTypeCommand,
  DeleteDynamicThingGroupCommand,
  DeleteThingCommand,
  DeleteThingGroupCommand,
  DescribeThingGroupCommand,
  ListThingGroupsForThingCommand,
  ListThingsInThingGroupCommand,
  UpdateDynamicThingGroupCommand,
  UpdateIndexingConfigurationCommand,
  UpdateThingCommand,
  type IoTClient,
} from '@aws-sdk/client-iot';
import { failure, startTestEmulator, type TestEmulator } from './helpers.js';

let t: TestEmulator;
let seq = 0;

async function members(iot: IoTClient, query: string): Promise<string[]> {
  const name = `dyn-${++seq}`;
  await iot.send(new CreateDynamicThingGroupCommand({ thingGroupName: name, queryString: query }));
  const things = (await iot.send(new ListThingsInThingGroupCommand({ thingGroupName: name }))).things ?? [];
  await iot.send(new DeleteDynamicThingGroupCommand({ thingGroupName: name }));
  return things;
}

beforeAll(async () => {
  t = await startTestEmulator();
  await t.iot.send(new CreateThingTypeCommand({ thingTypeName: 'tv' }));
  await t.iot.send(new CreateThingTypeCommand({ thingTypeName: 'lamp' }));
  await t.iot.send(new CreateThingGroupCommand({ thingGroupName: 'living-room' }));
  const fleet: [string, string | undefined, Record<string, string>][] = [
    ['tv-plasma', 'tv', { battery: '15', room: 'living' }],
    ['tv-oled', 'tv', { battery: '80', room: 'bed' }],
    ['lamp-1', 'lamp', { battery: '5', room: 'living' }],
    ['lamp-2', 'lamp', { battery: '50' }],
    ['sensor-x', undefined, { fw: 'v1.2' }],
  ];
  for (const [thingName, thingTypeName, attributes] of fleet) {
    await t.iot.send(new CreateThingCommand({ thingName, thingTypeName, attributePayload: { attributes } }));
  }
  await t.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'living-room', thingName: 'lamp-2' }));
});
afterAll(() => t.stop());

describe('dynamic thing groups', () => {
  it('need fleet indexing turned on', async () => {
    const err = await failure(t.iot.send(new CreateDynamicThingGroupCommand({ thingGroupName: 'early', queryString: 'thingName:*' })));
    expect(err.name).toBe('InvalidRequestException');
    await t.iot.send(new UpdateIndexingConfigurationCommand({ thingIndexingConfiguration: { thingIndexingMode: 'REGISTRY' } }));
  });

  it('reject an invalid query with InvalidQueryException (400)', async () => {
    const err = await failure(t.iot.send(new CreateDynamicThingGroupCommand({ thingGroupName: 'bad', queryString: 'attributes.battery:[1 TO' })));
    expect([err.name, err.status]).toEqual(['InvalidQueryException', 400]);
  });

  const cases: [string, string[]][] = [
    ['thingName:tv-plasma', ['tv-plasma']],
    ['thingName:tv*', ['tv-oled', 'tv-plasma']],
    ['thingName:lamp-?', ['lamp-1', 'lamp-2']],
    ['thingTypeName:lamp', ['lamp-1', 'lamp-2']],
    ['attributes.battery<20', ['lamp-1', 'tv-plasma']],
    ['attributes.battery>=50', ['lamp-2', 'tv-oled']],
    ['attributes.battery:[10 TO 50]', ['lamp-2', 'tv-plasma']],
    ['attributes.battery:{15 TO 80]', ['lamp-2', 'tv-oled']],
    ['attributes.room:living AND thingTypeName:tv', ['tv-plasma']],
    ['attributes.room:living OR attributes.fw:*', ['lamp-1', 'sensor-x', 'tv-plasma']],
    ['thingTypeName:tv AND NOT attributes.room:bed', ['tv-plasma']],
    ['thingName:(tv* AND -tv-oled)', ['tv-plasma']],
    ['thingGroupNames:living-room', ['lamp-2']],
    ['attributes.room:*', ['lamp-1', 'tv-oled', 'tv-plasma']],
    ['thingName:TV-PLASMA', ['tv-plasma']],
  ];
  for (const [query, expected] of cases) {
    it(`membership for ${query}`, async () => {
      expect(await members(t.iot, query)).toEqual(expected);
    });
  }

  it('re-evaluates membership when things change, join or leave static groups, and when the query changes', async () => {
    await t.iot.send(new CreateDynamicThingGroupCommand({ thingGroupName: 'low-battery', queryString: 'attributes.battery<20' }));
    const list = async () => (await t.iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'low-battery' }))).things;
    expect(await list()).toEqual(['lamp-1', 'tv-plasma']);
    await t.iot.send(new UpdateThingCommand({ thingName: 'tv-plasma', attributePayload: { attributes: { battery: '90' }, merge: true } }));
    await t.iot.send(new CreateThingCommand({ thingName: 'new-lamp', thingTypeName: 'lamp', attributePayload: { attributes: { battery: '1' } } }));
    expect(await list()).toEqual(['lamp-1', 'new-lamp']);
    await t.iot.send(new DeleteThingCommand({ thingName: 'new-lamp' }));
    expect(await list()).toEqual(['lamp-1']);
    const r = await t.iot.send(new UpdateDynamicThingGroupCommand({ thingGroupName: 'low-battery', thingGroupProperties: {}, queryString: 'attributes.battery<60', expectedVersion: 1 }));
    expect(r.version).toBe(2);
    expect(await list()).toEqual(['lamp-1', 'lamp-2']);
    const d = await t.iot.send(new DescribeThingGroupCommand({ thingGroupName: 'low-battery' }));
    expect(d).toMatchObject({ queryString: 'attributes.battery<60', indexName: 'AWS_Things', queryVersion: '2017-09-30', status: 'ACTIVE', version: 2 });
    expect((await failure(t.iot.send(new UpdateDynamicThingGroupCommand({ thingGroupName: 'low-battery', thingGroupProperties: {}, queryString: 'x', expectedVersion: 1 })))).name).toBe('VersionConflictException');

    await t.iot.send(new CreateThingGroupCommand({ thingGroupName: 'kitchen' }));
    await t.iot.send(new CreateDynamicThingGroupCommand({ thingGroupName: 'in-kitchen', queryString: 'thingGroupNames:kitchen' }));
    await t.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'kitchen', thingName: 'sensor-x' }));
    expect((await t.iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'in-kitchen' }))).things).toEqual(['sensor-x']);
    await t.iot.send(new DeleteThingGroupCommand({ thingGroupName: 'kitchen' }));
    expect((await t.iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'in-kitchen' }))).things).toEqual([]);
    const groups = await t.iot.send(new ListThingGroupsForThingCommand({ thingName: 'lamp-1' }));
    expect(groups.thingGroups?.map((g) => g.groupName)).toEqual(['low-battery']);
  });

  it('refuse manual membership, parents, and the static delete call', async () => {
    expect((await failure(t.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'low-battery', thingName: 'tv-oled' })))).name).toBe('InvalidRequestException');
    expect((await failure(t.iot.send(new CreateThingGroupCommand({ thingGroupName: 'kid', parentGroupName: 'low-battery' })))).name).toBe('InvalidRequestException');
    expect((await failure(t.iot.send(new DeleteThingGroupCommand({ thingGroupName: 'low-battery' })))).name).toBe('InvalidRequestException');
    expect((await failure(t.iot.send(new CreateThingGroupCommand({ thingGroupName: 'low-battery' })))).name).toBe('ResourceAlreadyExistsException');
  });

  it('give CONTINUOUS jobs an execution for every thing that joins, static or dynamic', async () => {
    const dyn = await t.iot.send(new CreateDynamicThingGroupCommand({ thingGroupName: 'fw-old', queryString: 'attributes.fw:v1*' }));
    const stat = await t.iot.send(new CreateThingGroupCommand({ thingGroupName: 'canary' }));
    await t.iot.send(
      new CreateJobCommand({ jobId: 'fw-upgrade', targets: [dyn.thingGroupArn as string, stat.thingGroupArn as string], targetSelection: 'CONTINUOUS', document: '{"op":"upgrade"}' }),
    );
    const executions = async () => ((await t.iot.send(new ListJobExecutionsForJobCommand({ jobId: 'fw-upgrade' }))).executionSummaries ?? []).map((e) => e.thingArn?.split('/').pop()).sort();
    expect(await executions()).toEqual(['sensor-x']);
    await t.iot.send(new CreateThingCommand({ thingName: 'sensor-y', attributePayload: { attributes: { fw: 'v1.0' } } }));
    await t.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'canary', thingName: 'tv-oled' }));
    expect(await executions()).toEqual(['sensor-x', 'sensor-y', 'tv-oled']);
    await t.iot.send(new DeleteDynamicThingGroupCommand({ thingGroupName: 'fw-old' }));
  });

  it('count toward the 10-group cap; overrideDynamicGroups evicts the newest dynamic group', async () => {
    await t.iot.send(new CreateThingCommand({ thingName: 'capped', attributePayload: { attributes: { tier: 'gold' } } }));
    await t.iot.send(new CreateDynamicThingGroupCommand({ thingGroupName: 'gold-old', queryString: 'attributes.tier:gold' }));
    await t.iot.send(new CreateDynamicThingGroupCommand({ thingGroupName: 'gold-new', queryString: 'attributes.tier:gold' }));
    for (let i = 0; i < 8; i++) {
      await t.iot.send(new CreateThingGroupCommand({ thingGroupName: `cap-static-${i}` }));
      await t.iot.send(new AddThingToThingGroupCommand({ thingGroupName: `cap-static-${i}`, thingName: 'capped' }));
    }
    await t.iot.send(new CreateThingGroupCommand({ thingGroupName: 'cap-static-8' }));
    const err = await failure(t.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'cap-static-8', thingName: 'capped' })));
    expect(err.name).toBe('InvalidRequestException');
    await t.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'cap-static-8', thingName: 'capped', overrideDynamicGroups: true }));
    const groups = (await t.iot.send(new ListThingGroupsForThingCommand({ thingName: 'capped' }))).thingGroups?.map((g) => g.groupName) ?? [];
    expect(groups).toHaveLength(10);
    expect(groups).toContain('gold-old');
    expect(groups).not.toContain('gold-new');
    // Still matching, but full: a later change does not push it back into the newer group.
    await t.iot.send(new UpdateThingCommand({ thingName: 'capped', attributePayload: { attributes: { tier: 'gold', x: '1' } } }));
    expect((await t.iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'gold-new' }))).things).not.toContain('capped');
    await t.iot.send(new DeleteDynamicThingGroupCommand({ thingGroupName: 'gold-old' }));
    await t.iot.send(new DeleteDynamicThingGroupCommand({ thingGroupName: 'gold-new' }));
  });

  it('keep indexing on while they exist', async () => {
    const off = () => t.iot.send(new UpdateIndexingConfigurationCommand({ thingIndexingConfiguration: { thingIndexingMode: 'OFF' } }));
    expect((await failure(off())).name).toBe('InvalidRequestException');
    await t.iot.send(new DeleteDynamicThingGroupCommand({ thingGroupName: 'low-battery' }));
    await t.iot.send(new DeleteDynamicThingGroupCommand({ thingGroupName: 'in-kitchen' }));
    await off();
  });
});
