// FleetIndexing read/apply through the real SDK against the emulator.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DesiredResource, DesiredState } from '../../src/model/resource.js';
import type { FleetIndexingSpec } from '../../src/kinds/fleet-indexing/spec.js';
import type { PlannedChange } from '../../src/model/plan.js';
import type { CompareContext, ReadContext } from '../../src/kinds/types.js';
import type { LiveResource } from '../../src/model/live.js';
import { fleetIndexingKind } from '../../src/kinds/fleet-indexing.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { plannedChange } from '../support/changes.js';
import { readOwnershipLedger } from '../../src/kinds/shared/ownership-ledger.js';

const FLEET = 'test';

function fleet(resources: DesiredResource[]): DesiredState {
  return { revision: 'r', config: { prune: true, adopt: true, fleetId: FLEET, vars: {}, ignore: [] }, resources };
}

function indexing(spec: FleetIndexingSpec): DesiredResource {
  return { kind: 'FleetIndexing', name: 'default', tags: {}, spec, source: { file: 'i.yaml', line: 1, column: 1 } };
}

const update = (d: DesiredResource, l: LiveResource): PlannedChange => plannedChange('update', d, l);

describe('FleetIndexing against the emulator', () => {
  let emu: TestEmulator;
  const compareCtx = (desired: DesiredState): CompareContext => ({ desired, live: new Map(), now: 0 });
  const read = (desired: DesiredState) => {
    const ctx: ReadContext = { api: emu.api, fleetId: FLEET, desired, live: async () => [], groupMembers: async () => new Set(), ownershipLedger: () => readOwnershipLedger(emu.api, FLEET) };
    return fleetIndexingKind.read(ctx);
  };

  beforeEach(async () => {
    emu = await startTestEmulator();
  });
  afterEach(async () => {
    await emu.stop();
  });

  it('reads nothing (and calls nothing) when the fleet does not declare fleet indexing', async () => {
    emu.emulator.resetStats();

    expect(await read(fleet([]))).toEqual([]);
    expect(emu.emulator.stats()).toEqual({});
  });

  it('reads the account default as a managed singleton', async () => {
    const live = await read(fleet([indexing({ thingIndexingMode: 'OFF', thingConnectivityIndexingMode: 'OFF' })]));

    expect(live).toEqual([
      {
        kind: 'FleetIndexing',
        name: 'default',
        ownership: 'managed',
        tags: {},
        state: { thingIndexingMode: 'OFF', thingConnectivityIndexingMode: 'OFF', preserved: {} },
      },
    ]);
  });

  it('applies the modes and keeps sub-settings it does not manage', async () => {
    await emu.api.send('UpdateIndexingConfiguration', {
      thingIndexingConfiguration: { thingIndexingMode: 'REGISTRY', deviceDefenderIndexingMode: 'VIOLATIONS' },
    });
    const d = indexing({ thingIndexingMode: 'REGISTRY_AND_SHADOW', thingConnectivityIndexingMode: 'STATUS' });
    const desired = fleet([d]);
    const [live0] = await read(desired);

    await fleetIndexingKind.apply!(update(d, live0!), { api: emu.api, fleetId: FLEET, secretsDir: '/nonexistent', now: () => 0 });
    const [live1] = await read(desired);

    expect(fleetIndexingKind.compare(d as never, live0!, compareCtx(desired)).fields).toHaveLength(2);
    expect(fleetIndexingKind.compare(d as never, live1!, compareCtx(desired))).toEqual({ fields: [] });
    expect(live1!.state.preserved).toEqual({ deviceDefenderIndexingMode: 'VIOLATIONS' });
  });
});
