// Policy conformance through the real @aws-sdk/client-iot against the embedded emulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AttachPolicyCommand,
  CreateDynamicThingGroupCommand,
  CreateKeysAndCertificateCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateThingGroupCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DeleteThingGroupCommand,
  DetachPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  ListAttachedPoliciesCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  ListTagsForResourceCommand,
  ListTargetsForPolicyCommand,
  SetDefaultPolicyVersionCommand,
  UpdateIndexingConfigurationCommand,
} from '@aws-sdk/client-iot';
import { failure, startTestEmulator, type TestEmulator } from './helpers.js';

const doc = (action = 'iot:Connect') =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });

// The emulator's clock stands still (tests move it with clock.advance): timestamps are exact.
const T0 = Date.parse('2027-01-15T12:00:00Z');
let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator({ clock: () => T0 });
});
afterAll(async () => t.stop());

describe('policies over the SDK', () => {
  it('creates version 1 as the default, with tags, and refuses the same name again (409)', async () => {
    const out = await t.iot.send(new CreatePolicyCommand({ policyName: 'basic', policyDocument: doc(), tags: [{ Key: 'team', Value: 'fleet' }] }));
    expect(out).toMatchObject({ policyName: 'basic', policyVersionId: '1', policyArn: 'arn:aws:iot:us-east-1:123456789012:policy/basic' });
    const got = await t.iot.send(new GetPolicyCommand({ policyName: 'basic' }));
    expect(got).toMatchObject({ defaultVersionId: '1', policyDocument: doc() });
    expect(got.creationDate).toEqual(new Date(T0));
    expect(got.lastModifiedDate).toEqual(new Date(T0));
    const tags = await t.iot.send(new ListTagsForResourceCommand({ resourceArn: out.policyArn }));
    expect(tags.tags).toEqual([{ Key: 'team', Value: 'fleet' }]);
    const again = await failure(t.iot.send(new CreatePolicyCommand({ policyName: 'basic', policyDocument: doc() })));
    expect(again).toMatchObject({ name: 'ResourceAlreadyExistsException', status: 409 });
  });

  it.each([
    ['invalid JSON', '{"Statement": ['],
    ['no Statement', JSON.stringify({ Version: '2012-10-17' })],
    ['a bad Effect', JSON.stringify({ Statement: [{ Effect: 'Permit', Action: 'iot:*', Resource: '*' }] })],
    ['more than 2048 non-whitespace characters', JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'iot:Publish', Resource: 'r'.repeat(2100) }] })],
  ])('answers MalformedPolicyException (400) for %s', async (_what, policyDocument) => {
    const err = await failure(t.iot.send(new CreatePolicyCommand({ policyName: 'malformed', policyDocument })));
    expect(err).toMatchObject({ name: 'MalformedPolicyException', status: 400 });
  });

  it('keeps at most five versions: the sixth is VersionsLimitExceededException (409)', async () => {
    await t.iot.send(new CreatePolicyCommand({ policyName: 'versioned', policyDocument: doc() }));
    for (let i = 2; i <= 5; i++) {
      const v = await t.iot.send(new CreatePolicyVersionCommand({ policyName: 'versioned', policyDocument: doc(`iot:Publish${i}`), setAsDefault: i === 4 }));
      expect(v).toMatchObject({ policyVersionId: String(i), isDefaultVersion: i === 4 });
    }
    const sixth = await failure(t.iot.send(new CreatePolicyVersionCommand({ policyName: 'versioned', policyDocument: doc() })));
    expect(sixth).toMatchObject({ name: 'VersionsLimitExceededException', status: 409 });
    const versions = await t.iot.send(new ListPolicyVersionsCommand({ policyName: 'versioned' }));
    expect(versions.policyVersions!.map((v) => [v.versionId, v.isDefaultVersion])).toEqual([
      ['5', false], ['4', true], ['3', false], ['2', false], ['1', false],
    ]);
    expect((await t.iot.send(new GetPolicyCommand({ policyName: 'versioned' }))).policyDocument).toBe(doc('iot:Publish4'));
    const v2 = await t.iot.send(new GetPolicyVersionCommand({ policyName: 'versioned', policyVersionId: '2' }));
    expect(v2).toMatchObject({ policyDocument: doc('iot:Publish2'), isDefaultVersion: false });
  });

  it('guards the default version and deletes only a bare, detached policy', async () => {
    const deleteDefault = await failure(t.iot.send(new DeletePolicyVersionCommand({ policyName: 'versioned', policyVersionId: '4' })));
    expect(deleteDefault).toMatchObject({ name: 'DeleteConflictException', status: 409 });
    const withVersions = await failure(t.iot.send(new DeletePolicyCommand({ policyName: 'versioned' })));
    expect(withVersions).toMatchObject({ name: 'DeleteConflictException', status: 409 });
    await t.iot.send(new SetDefaultPolicyVersionCommand({ policyName: 'versioned', policyVersionId: '1' }));
    for (const v of ['2', '3', '4', '5']) await t.iot.send(new DeletePolicyVersionCommand({ policyName: 'versioned', policyVersionId: v }));
    const cert = await t.iot.send(new CreateKeysAndCertificateCommand({}));
    await t.iot.send(new AttachPolicyCommand({ policyName: 'versioned', target: cert.certificateArn }));
    const attached = await failure(t.iot.send(new DeletePolicyCommand({ policyName: 'versioned' })));
    expect(attached).toMatchObject({ name: 'DeleteConflictException', status: 409 });
    await t.iot.send(new DetachPolicyCommand({ policyName: 'versioned', target: cert.certificateArn }));
    await t.iot.send(new DeletePolicyCommand({ policyName: 'versioned' }));
    expect(await failure(t.iot.send(new GetPolicyCommand({ policyName: 'versioned' })))).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
  });

  it('attaches to certificates and static groups, refuses dynamic groups and an 11th policy on a certificate', async () => {
    const cert = await t.iot.send(new CreateKeysAndCertificateCommand({}));
    for (let i = 0; i < 11; i++) await t.iot.send(new CreatePolicyCommand({ policyName: `cap${i}`, policyDocument: doc() }));
    for (let i = 0; i < 10; i++) await t.iot.send(new AttachPolicyCommand({ policyName: `cap${i}`, target: cert.certificateArn }));
    const eleventh = await failure(t.iot.send(new AttachPolicyCommand({ policyName: 'cap10', target: cert.certificateArn })));
    expect(eleventh).toMatchObject({ name: 'LimitExceededException', status: 410 });

    const parent = await t.iot.send(new CreateThingGroupCommand({ thingGroupName: 'site' }));
    const child = await t.iot.send(new CreateThingGroupCommand({ thingGroupName: 'site-a', parentGroupName: 'site' }));
    await t.iot.send(new AttachPolicyCommand({ policyName: 'cap0', target: parent.thingGroupArn }));
    await t.iot.send(new AttachPolicyCommand({ policyName: 'cap1', target: child.thingGroupArn }));
    const direct = await t.iot.send(new ListAttachedPoliciesCommand({ target: child.thingGroupArn }));
    expect(direct.policies!.map((p) => p.policyName)).toEqual(['cap1']);
    const inherited = await t.iot.send(new ListAttachedPoliciesCommand({ target: child.thingGroupArn, recursive: true }));
    expect(inherited.policies!.map((p) => p.policyName)).toEqual(['cap0', 'cap1']);

    await t.iot.send(new UpdateIndexingConfigurationCommand({ thingIndexingConfiguration: { thingIndexingMode: 'REGISTRY' } }));
    const dynamic = await t.iot.send(new CreateDynamicThingGroupCommand({ thingGroupName: 'dyn', queryString: 'thingName:x*' }));
    const refused = await failure(t.iot.send(new AttachPolicyCommand({ policyName: 'cap2', target: dynamic.thingGroupArn })));
    expect(refused).toMatchObject({ name: 'InvalidRequestException', status: 400 });

    const targets = await t.iot.send(new ListTargetsForPolicyCommand({ policyName: 'cap0' }));
    expect(targets.targets!.sort()).toEqual([cert.certificateArn, parent.thingGroupArn].sort());
  });

  it('drops the attachment of a deleted thing group, so the policy can be deleted', async () => {
    await t.iot.send(new CreatePolicyCommand({ policyName: 'grouped', policyDocument: doc() }));
    const g = await t.iot.send(new CreateThingGroupCommand({ thingGroupName: 'short-lived' }));
    await t.iot.send(new AttachPolicyCommand({ policyName: 'grouped', target: g.thingGroupArn }));
    await t.iot.send(new DeleteThingGroupCommand({ thingGroupName: 'short-lived' }));
    expect((await t.iot.send(new ListTargetsForPolicyCommand({ policyName: 'grouped' }))).targets).toEqual([]);
    await t.iot.send(new DeletePolicyCommand({ policyName: 'grouped' }));
  });

  it('with detachPropagationMs set, DeletePolicy right after DetachPolicy is a DeleteConflictException until it propagates', async () => {
    t.emu.state.securitySettings = { detachPropagationMs: 60_000 };
    try {
      const cert = await t.iot.send(new CreateKeysAndCertificateCommand({}));
      await t.iot.send(new CreatePolicyCommand({ policyName: 'slow', policyDocument: doc() }));
      await t.iot.send(new AttachPolicyCommand({ policyName: 'slow', target: cert.certificateArn }));
      await t.iot.send(new DetachPolicyCommand({ policyName: 'slow', target: cert.certificateArn }));
      expect(await failure(t.iot.send(new DeletePolicyCommand({ policyName: 'slow' })))).toMatchObject({ name: 'DeleteConflictException', status: 409 });
      t.emu.clock.advance(60_000);
      await t.iot.send(new DeletePolicyCommand({ policyName: 'slow' }));
    } finally {
      delete t.emu.state.securitySettings;
    }
  });

  it('pages ListPolicies (25 by default) and ListTargetsForPolicy by marker', async () => {
    for (let i = 0; i < 20; i++) await t.iot.send(new CreatePolicyCommand({ policyName: `page${String(i).padStart(2, '0')}`, policyDocument: doc() }));
    const names: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await t.iot.send(new ListPoliciesCommand({ marker }));
      expect(page.policies!.length).toBeLessThanOrEqual(25);
      names.push(...page.policies!.map((p) => p.policyName!));
      marker = page.nextMarker;
      pages++;
    } while (marker);
    expect(pages).toBeGreaterThan(1);
    expect(names).toEqual([...names].sort());
    expect(new Set(names).size).toBe(names.length);
    expect(names.filter((n) => n.startsWith('page'))).toHaveLength(20);
    const desc = await t.iot.send(new ListPoliciesCommand({ ascendingOrder: false, pageSize: 3 }));
    expect(desc.policies!.map((p) => p.policyName)).toEqual([...names].reverse().slice(0, 3));

    const certs = await Promise.all([0, 1, 2].map(() => t.iot.send(new CreateKeysAndCertificateCommand({}))));
    for (const c of certs) await t.iot.send(new AttachPolicyCommand({ policyName: 'page00', target: c.certificateArn }));
    const first = await t.iot.send(new ListTargetsForPolicyCommand({ policyName: 'page00', pageSize: 2 }));
    const second = await t.iot.send(new ListTargetsForPolicyCommand({ policyName: 'page00', pageSize: 2, marker: first.nextMarker }));
    expect([...first.targets!, ...second.targets!].sort()).toEqual(certs.map((c) => c.certificateArn!).sort());
    expect(second.nextMarker).toBeUndefined();
  });
});
