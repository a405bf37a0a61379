// Pagination through the real SDK against the emulator: both token styles, at the largest page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { ALLOW_ALL_POLICY, inBatches } from '../support/seed.js';
import { firstPage, listAll, paginate, paginateItems } from '../../src/aws/paginate.js';

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

  it('stops after maxPages pages, leaving AWS’s token on the last one', async () => {
    env.emulator.resetStats();
    const pages = [];
    for await (const page of paginate(env.api, 'ListThings', {}, { maxPages: 2 })) pages.push(page);
    expect(pages.map((p) => p.things?.length)).toEqual([250, 250]);
    expect(pages[1]?.nextToken).toBeTruthy();
    expect(env.emulator.stats().ListThings).toBe(2);
  });

  it('applies maxPages to items as well', async () => {
    const items: string[] = [];
    for await (const p of paginateItems(env.api, 'ListPolicies', {}, (page) => page.policies, { maxPages: 1 })) items.push(p.policyName!);
    expect(items).toHaveLength(250);
  });

  it('reads the first page only, and tells whether there is more', async () => {
    env.emulator.resetStats();
    const things = await firstPage(env.api, 'ListThings', {});
    expect({ size: things.page.things?.length, more: things.more }).toEqual({ size: 250, more: true });
    expect(env.emulator.stats().ListThings).toBe(1);
    const policies = await firstPage(env.api, 'ListPolicies', {});
    expect({ size: policies.page.policies?.length, more: policies.more }).toEqual({ size: 250, more: true });
    const types = await firstPage(env.api, 'ListThingTypes', {});
    expect(types.more).toBe(false);
  });

  it('requests no further page once the caller leaves the loop', async () => {
    env.emulator.resetStats();
    let policies = 0;
    for await (const page of paginate(env.api, 'ListPolicies', {})) {
      policies += page.policies?.length ?? 0;
      break;
    }
    let firstThing: string | undefined;
    for await (const thing of paginateItems(env.api, 'ListThings', {}, (p) => p.things)) {
      firstThing = thing.thingName;
      break;
    }
    expect({ policies, firstThing }).toEqual({ policies: 250, firstThing: 't-0000' });
    expect(env.emulator.stats().ListPolicies).toBe(1);
    expect(env.emulator.stats().ListThings).toBe(1);
  });

  it('refuses a page limit below one', async () => {
    const pages = paginate(env.api, 'ListThings', {}, { maxPages: 0 });
    await expect(pages.next()).rejects.toThrow(RangeError);
  });
});
