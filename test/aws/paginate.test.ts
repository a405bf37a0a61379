// Pagination through the real SDK against the emulator: both token styles, at the largest page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { ALLOW_ALL_POLICY, inBatches } from '../support/seed.js';
import { listAll, paginate } from '../../src/aws/paginate.js';

let env: TestEmulator;
const thingNames = Array.from({ length: 601 }, (_, i) => `t-${String(i).padStart(4, '0')}`);
const policyNames = Array.from({ length: 260 }, (_, i) => `p-${String(i).padStart(4, '0')}`);

beforeAll(async () => {
  env = await startTestEmulator();
  await inBatches(thingNames, 16, (thingName) => env.api.send('CreateThing', { thingName }));
  await inBatches(policyNames, 16, (policyName) => env.api.send('CreatePolicy', { policyName, policyDocument: ALLOW_ALL_POLICY }));
});
afterAll(async () => env?.stop());

describe('paginate', () => {
  it('reads every thing with nextToken pages of 250', async () => {
    env.emulator.resetStats();
    const sizes: number[] = [];
    for await (const page of paginate(env.api, 'ListThings', {})) sizes.push(page.things?.length ?? 0);
    expect(sizes).toEqual([250, 250, 101]);
    expect(env.emulator.stats().ListThings).toBe(3);
  });

  it('reads every policy with marker/nextMarker pages of 250', async () => {
    env.emulator.resetStats();
    const names = await listAll(env.api, 'ListPolicies', {}, (p) => p.policies?.map((x) => x.policyName!));
    expect(names.sort()).toEqual(policyNames);
    expect(env.emulator.stats().ListPolicies).toBe(2);
  });

  it('keeps the caller’s filters on every page', async () => {
    await env.api.send('CreateThingGroup', { thingGroupName: 'g' });
    await inBatches(thingNames.slice(0, 260), 16, (thingName) => env.api.send('AddThingToThingGroup', { thingGroupName: 'g', thingName }));
    const members = await listAll(env.api, 'ListThingsInThingGroup', { thingGroupName: 'g' }, (p) => p.things);
    expect(members.sort()).toEqual(thingNames.slice(0, 260));
  });

  it('yields a single page when everything fits', async () => {
    const pages = [];
    for await (const page of paginate(env.api, 'ListThingTypes', {})) pages.push(page);
    expect(pages).toHaveLength(1);
    expect(pages[0].thingTypes).toEqual([]);
  });
});
