import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateJobCommand,
  CreatePolicyCommand,
  CreateThingTypeCommand,
  CreateTopicRuleCommand,
  DeletePolicyCommand,
  DescribeThingGroupCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  CreateDynamicThingGroupCommand,
  DeleteThingGroupCommand,
  DescribeIndexCommand,
  GetIndexingConfigurationCommand,
  ListTagsForResourceCommand,
  SearchIndexCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateIndexingConfigurationCommand,
} from '@aws-sdk/client-iot';
import { failure, startTestEmulator, type TestEmulator } from './helpers.js';

let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator();
  const batch = [];
  for (let i = 0; i < 230; i++) {
    batch.push(t.iot.send(new CreateThingCommand({ thingName: `s-${String(i).padStart(3, '0')}`, attributePayload: { attributes: { n: String(i) } } })));
  }
  await Promise.all(batch);
});
afterAll(() => t.stop());

describe('fleet indexing', () => {
  it('starts OFF, and SearchIndex/DescribeIndex fail until it is turned on', async () => {
    const cfg = await t.iot.send(new GetIndexingConfigurationCommand({}));
    expect(cfg.thingIndexingConfiguration?.thingIndexingMode).toBe('OFF');
    expect((await failure(t.iot.send(new SearchIndexCommand({ queryString: 'thingName:*' })))).name).toBe('ResourceNotFoundException');
    await t.iot.send(
      new UpdateIndexingConfigurationCommand({
        thingIndexingConfiguration: { thingIndexingMode: 'REGISTRY', thingConnectivityIndexingMode: 'STATUS', customFields: [{ name: 'attributes.n', type: 'Number' }] },
        thingGroupIndexingConfiguration: { thingGroupIndexingMode: 'ON' },
      }),
    );
    const after = await t.iot.send(new GetIndexingConfigurationCommand({}));
    expect(after.thingIndexingConfiguration).toMatchObject({ thingIndexingMode: 'REGISTRY', thingConnectivityIndexingMode: 'STATUS', customFields: [{ name: 'attributes.n', type: 'Number' }] });
    expect(after.thingGroupIndexingConfiguration?.thingGroupIndexingMode).toBe('ON');
    const idx = await t.iot.send(new DescribeIndexCommand({ indexName: 'AWS_Things' }));
    expect(idx).toMatchObject({ indexName: 'AWS_Things', indexStatus: 'ACTIVE', schema: 'REGISTRY_AND_CONNECTIVITY_STATUS' });
    expect((await failure(t.iot.send(new UpdateIndexingConfigurationCommand({ thingIndexingConfiguration: { thingIndexingMode: 'SOMETIMES' as 'OFF' } })))).name).toBe(
      'InvalidRequestException',
    );
  });

  it('searches with pages of at most 100 and reports group names', async () => {
    await t.iot.send(new CreateThingGroupCommand({ thingGroupName: 'g' }));
    await t.iot.send(new CreateDynamicThingGroupCommand({ thingGroupName: 'big', queryString: 'attributes.n>=200' }));
    expect((await failure(t.iot.send(new SearchIndexCommand({ queryString: 'thingName:*', maxResults: 101 })))).name).toBe('InvalidRequestException');
    const seen: string[] = [];
    const sizes: number[] = [];
    let nextToken: string | undefined;
    do {
      const page = await t.iot.send(new SearchIndexCommand({ queryString: 'attributes.n>=10', nextToken }));
      sizes.push(page.things?.length ?? 0);
      seen.push(...(page.things ?? []).map((x) => x.thingName as string));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(sizes).toEqual([100, 100, 20]);
    expect(new Set(seen).size).toBe(220);
    const one = await t.iot.send(new SearchIndexCommand({ queryString: 'thingName:s-205' }));
    expect(one.things).toHaveLength(1);
    expect(one.things?.[0]).toMatchObject({ thingName: 's-205', thingGroupNames: ['big'], attributes: { n: '205' } });
    expect((await failure(t.iot.send(new SearchIndexCommand({ queryString: 'AND AND' })))).name).toBe('InvalidQueryException');
  });
});

describe('tags', () => {
  it('tags, lists and untags thing groups; refuses things and missing resources', async () => {
    const g = await t.iot.send(new CreateThingGroupCommand({ thingGroupName: 'tagged', tags: [{ Key: 'owner', Value: 'iotops' }] }));
    const arn = g.thingGroupArn as string;
    await t.iot.send(new TagResourceCommand({ resourceArn: arn, tags: [{ Key: 'env', Value: 'prod' }, { Key: 'owner', Value: 'me' }] }));
    expect((await t.iot.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual([
      { Key: 'env', Value: 'prod' },
      { Key: 'owner', Value: 'me' },
    ]);
    await t.iot.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['env'] }));
    expect((await t.iot.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual([{ Key: 'owner', Value: 'me' }]);
    const thingArn = 'arn:aws:iot:us-east-1:123456789012:thing/s-001';
    expect((await failure(t.iot.send(new TagResourceCommand({ resourceArn: thingArn, tags: [{ Key: 'a', Value: 'b' }] })))).name).toBe('InvalidRequestException');
    const missing = 'arn:aws:iot:us-east-1:123456789012:thinggroup/nope';
    expect((await failure(t.iot.send(new ListTagsForResourceCommand({ resourceArn: missing })))).name).toBe('ResourceNotFoundException');
    expect((await failure(t.iot.send(new TagResourceCommand({ resourceArn: arn, tags: [{ Key: 'aws:x', Value: 'b' }] })))).name).toBe('InvalidRequestException');
  });

  it('finds policies, topic rules, jobs and thing types from their ARNs', async () => {
    const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: '*' }] });
    const policy = await t.iot.send(new CreatePolicyCommand({ policyName: 'p1', policyDocument: doc }));
    await t.iot.send(new CreateTopicRuleCommand({ ruleName: 'r1', topicRulePayload: { sql: "SELECT * FROM 'a/b'", actions: [], awsIotSqlVersion: '2016-03-23' } }));
    await t.iot.send(new CreateThingGroupCommand({ thingGroupName: 'job-target' }));
    const group = await t.iot.send(new DescribeThingGroupCommand({ thingGroupName: 'job-target' }));
    const job = await t.iot.send(new CreateJobCommand({ jobId: 'j1', targets: [group.thingGroupArn as string], document: '{}' }));
    const type = await t.iot.send(new CreateThingTypeCommand({ thingTypeName: 'tagged-type' }));
    const arns = [policy.policyArn, 'arn:aws:iot:us-east-1:123456789012:rule/r1', job.jobArn, type.thingTypeArn] as string[];
    for (const resourceArn of arns) {
      await t.iot.send(new TagResourceCommand({ resourceArn, tags: [{ Key: 'owner', Value: 'iotops' }] }));
      expect((await t.iot.send(new ListTagsForResourceCommand({ resourceArn }))).tags).toEqual([{ Key: 'owner', Value: 'iotops' }]);
    }
    await t.iot.send(new DeletePolicyCommand({ policyName: 'p1' }));
    expect((await failure(t.iot.send(new ListTagsForResourceCommand({ resourceArn: policy.policyArn })))).name).toBe('ResourceNotFoundException');
  });

  it('enforces 50 tags with LimitExceededException (410) and drops tags with the resource', async () => {
    const g = await t.iot.send(new CreateThingGroupCommand({ thingGroupName: 'many-tags' }));
    const arn = g.thingGroupArn as string;
    const fifty = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await t.iot.send(new TagResourceCommand({ resourceArn: arn, tags: fifty }));
    const err = await failure(t.iot.send(new TagResourceCommand({ resourceArn: arn, tags: [{ Key: 'one-more', Value: 'v' }] })));
    expect([err.name, err.status]).toEqual(['LimitExceededException', 410]);
    expect((await t.iot.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toHaveLength(50);
    await t.iot.send(new DeleteThingGroupCommand({ thingGroupName: 'many-tags' }));
    await t.iot.send(new CreateThingGroupCommand({ thingGroupName: 'many-tags' }));
    expect((await t.iot.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual([]);
  });
});
