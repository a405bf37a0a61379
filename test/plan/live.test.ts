// readLive: readers run concurrently, `live(kind)` and `groupMembers` are memoized, and group
// membership comes from the emulator through the real SDK.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLive } from '../../src/live/read.js';
import type { Kind } from '../../src/kinds/types.js';
import type { LiveResource } from '../../src/model/live.js';
import type { KindRegistry } from '../../src/kinds/registry.js';
import { desiredState, fakeKind } from '../support/fake-kinds.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';

let env: TestEmulator;
beforeAll(async () => {
  env = await startTestEmulator();
  await env.api.send('CreateThingGroup', { thingGroupName: 'g' });
  for (const thingName of ['a', 'b']) {
    await env.api.send('CreateThing', { thingName });
    await env.api.send('AddThingToThingGroup', { thingGroupName: 'g', thingName });
  }
});
afterAll(async () => env?.stop());

describe('readLive', () => {
  it('reads every registered kind once, even when kinds read each other', async () => {
    const reads: string[] = [];
    const thing: Kind<'Thing'> = {
      ...fakeKind('Thing'),
      async read(ctx) {
        reads.push('Thing');
        const members = await ctx.groupMembers('g');
        return [...members].sort().map((name): LiveResource<'Thing'> => ({ kind: 'Thing', name, ownership: 'managed', tags: {}, state: {} }));
      },
    };
    const cert: Kind<'Certificate'> = {
      ...fakeKind('Certificate'),
      async read(ctx) {
        reads.push('Certificate');
        const things = await ctx.live('Thing');
        await ctx.groupMembers('g');
        return things.map((t): LiveResource<'Certificate'> => ({ kind: 'Certificate', name: `cert-of-${t.name}`, ownership: 'managed', tags: {}, state: {} }));
      },
    };
    const kinds: KindRegistry = { Thing: thing, Certificate: cert };
    env.emulator.resetStats();

    const live = await readLive({ api: env.api, desired: desiredState([]), fleetId: 'f', kinds });

    expect([...live.keys()]).toEqual(['Thing', 'Certificate']);
    expect(live.get('Certificate')?.map((c) => c.name)).toEqual(['cert-of-a', 'cert-of-b']);
    expect(reads.sort()).toEqual(['Certificate', 'Thing']);
    expect(env.emulator.stats()).toEqual({ ListThingsInThingGroup: 1 });
  });

  it('reports readers that wait for each other instead of hanging', async () => {
    const kinds: KindRegistry = {
      Thing: { ...fakeKind('Thing'), read: async (ctx) => (await ctx.live('Certificate'), []) },
      Certificate: { ...fakeKind('Certificate'), read: async (ctx) => (await ctx.live('Policy'), []) },
      Policy: { ...fakeKind('Policy'), read: async (ctx) => (await ctx.live('Thing'), []) },
    };
    await expect(readLive({ api: env.api, desired: desiredState([]), fleetId: 'f', kinds })).rejects.toThrow(
      /live readers wait for each other in a cycle: (Thing -> Certificate -> Policy -> Thing|Certificate -> Policy -> Thing -> Certificate|Policy -> Thing -> Certificate -> Policy)/,
    );
  });

  it('reads only the requested kinds', async () => {
    const live = await readLive({ api: env.api, desired: desiredState([]), fleetId: 'f', kinds: { Thing: fakeKind('Thing'), Policy: fakeKind('Policy') }, only: ['Policy'] });
    expect([...live.keys()]).toEqual(['Policy']);
  });
});
