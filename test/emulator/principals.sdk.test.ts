// Thing-principal and legacy principal-policy conformance through the real @aws-sdk/client-iot.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AttachPolicyCommand,
  AttachPrincipalPolicyCommand,
  CreateThingGroupCommand,
  DeleteThingGroupCommand,
  ListTargetsForPolicyCommand,
  AttachThingPrincipalCommand,
  CreateKeysAndCertificateCommand,
  CreatePolicyCommand,
  CreateThingCommand,
  DeleteThingCommand,
  DetachPrincipalPolicyCommand,
  DetachThingPrincipalCommand,
  ListPolicyPrincipalsCommand,
  ListPrincipalPoliciesCommand,
  ListPrincipalThingsCommand,
  ListPrincipalThingsV2Command,
  ListThingPrincipalsCommand,
  ListThingPrincipalsV2Command,
} from '@aws-sdk/client-iot';
import { failure, startTestEmulator, type TestEmulator } from './helpers.js';

let t: TestEmulator;
let shared: string;
let exclusive: string;

beforeAll(async () => {
  t = await startTestEmulator();
  for (const name of ['gw-1', 'gw-2', 'gw-3', 'solo']) await t.iot.send(new CreateThingCommand({ thingName: name }));
  [shared, exclusive] = await Promise.all(
    [0, 1].map(async () => (await t.iot.send(new CreateKeysAndCertificateCommand({}))).certificateArn!),
  );
});
afterAll(async () => t.stop());

describe('thing principals over the SDK', () => {
  it('attaches a certificate to several things and lists both directions with paging', async () => {
    for (const thingName of ['gw-1', 'gw-2', 'gw-3']) {
      await t.iot.send(new AttachThingPrincipalCommand({ thingName, principal: shared }));
    }
    await t.iot.send(new AttachThingPrincipalCommand({ thingName: 'gw-1', principal: shared }));
    const first = await t.iot.send(new ListPrincipalThingsCommand({ principal: shared, maxResults: 2 }));
    const second = await t.iot.send(new ListPrincipalThingsCommand({ principal: shared, maxResults: 2, nextToken: first.nextToken }));
    expect([...first.things!, ...second.things!]).toEqual(['gw-1', 'gw-2', 'gw-3']);
    expect(second.nextToken).toBeUndefined();
    expect((await t.iot.send(new ListThingPrincipalsCommand({ thingName: 'gw-2' }))).principals).toEqual([shared]);
    const v2 = await t.iot.send(new ListPrincipalThingsV2Command({ principal: shared }));
    expect(v2.principalThingObjects!.map((o) => o.thingPrincipalType)).toEqual(['NON_EXCLUSIVE_THING', 'NON_EXCLUSIVE_THING', 'NON_EXCLUSIVE_THING']);
  });

  it('keeps an EXCLUSIVE_THING certificate on its one thing', async () => {
    await t.iot.send(new AttachThingPrincipalCommand({ thingName: 'solo', principal: exclusive, thingPrincipalType: 'EXCLUSIVE_THING' }));
    const elsewhere = await failure(t.iot.send(new AttachThingPrincipalCommand({ thingName: 'gw-1', principal: exclusive })));
    expect(elsewhere).toMatchObject({ name: 'InvalidRequestException', status: 400 });
    const claimShared = await failure(t.iot.send(new AttachThingPrincipalCommand({ thingName: 'solo', principal: shared, thingPrincipalType: 'EXCLUSIVE_THING' })));
    expect(claimShared).toMatchObject({ name: 'InvalidRequestException', status: 400 });
    const v2 = await t.iot.send(new ListThingPrincipalsV2Command({ thingName: 'solo', thingPrincipalType: 'EXCLUSIVE_THING' }));
    expect(v2.thingPrincipalObjects).toEqual([{ principal: exclusive, thingPrincipalType: 'EXCLUSIVE_THING' }]);
  });

  it('needs an existing thing and certificate', async () => {
    expect(await failure(t.iot.send(new AttachThingPrincipalCommand({ thingName: 'ghost', principal: shared })))).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
    const missingCert = shared.replace(/cert\/[0-9a-f]{8}/, 'cert/00000000');
    expect(await failure(t.iot.send(new AttachThingPrincipalCommand({ thingName: 'gw-1', principal: missingCert })))).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
    expect(await failure(t.iot.send(new ListThingPrincipalsCommand({ thingName: 'ghost' })))).toMatchObject({ status: 404 });
  });

  it('refuses DeleteThing while a principal is attached (InvalidRequestException, as AWS)', async () => {
    expect(await failure(t.iot.send(new DeleteThingCommand({ thingName: 'gw-3' })))).toMatchObject({ name: 'InvalidRequestException', status: 400 });
    await t.iot.send(new DetachThingPrincipalCommand({ thingName: 'gw-3', principal: shared }));
    await t.iot.send(new DetachThingPrincipalCommand({ thingName: 'gw-3', principal: shared }));
    await t.iot.send(new DeleteThingCommand({ thingName: 'gw-3' }));
    expect((await t.iot.send(new ListPrincipalThingsCommand({ principal: shared }))).things).toEqual(['gw-1', 'gw-2']);
  });

  it('serves the legacy principal-policy operations from the same attachments', async () => {
    await t.iot.send(new CreatePolicyCommand({ policyName: 'legacy', policyDocument: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: '*' }] }) }));
    await t.iot.send(new AttachPrincipalPolicyCommand({ policyName: 'legacy', principal: shared }));
    expect((await t.iot.send(new ListPrincipalPoliciesCommand({ principal: shared }))).policies).toEqual([
      { policyName: 'legacy', policyArn: 'arn:aws:iot:us-east-1:123456789012:policy/legacy' },
    ]);
    expect((await t.iot.send(new ListPolicyPrincipalsCommand({ policyName: 'legacy' }))).principals).toEqual([shared]);
    await t.iot.send(new DetachPrincipalPolicyCommand({ policyName: 'legacy', principal: shared }));
    expect((await t.iot.send(new ListPrincipalPoliciesCommand({ principal: shared }))).policies).toEqual([]);
  });

  it('drops the policy attachments of a deleted group, so a group re-created with the same name starts bare', async () => {
    await t.iot.send(new CreatePolicyCommand({ policyName: 'group-pol', policyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iot:Connect","Resource":"*"}]}' }));
    const created = await t.iot.send(new CreateThingGroupCommand({ thingGroupName: 'reborn' }));
    await t.iot.send(new AttachPolicyCommand({ policyName: 'group-pol', target: created.thingGroupArn }));
    expect((await t.iot.send(new ListTargetsForPolicyCommand({ policyName: 'group-pol' }))).targets).toEqual([created.thingGroupArn]);
    await t.iot.send(new DeleteThingGroupCommand({ thingGroupName: 'reborn' }));
    const again = await t.iot.send(new CreateThingGroupCommand({ thingGroupName: 'reborn' }));
    expect(again.thingGroupArn).toBe(created.thingGroupArn);
    expect((await t.iot.send(new ListTargetsForPolicyCommand({ policyName: 'group-pol' }))).targets).toEqual([]);
  });
});
