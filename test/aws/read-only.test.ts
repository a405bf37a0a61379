import { afterEach, describe, expect, it } from 'vitest';
import { isReadOperation, readOnlyApi, ReadOnlyViolation } from '../../src/aws/read-only.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';

let env: TestEmulator | undefined;
afterEach(async () => {
  await env?.stop();
  env = undefined;
});

describe('readOnlyApi', () => {
  it('passes reads through and refuses writes before they reach AWS', async () => {
    env = await startTestEmulator();
    const api = readOnlyApi(env.api);

    expect((await api.send('ListThings', {})).things).toEqual([]);
    await expect(api.send('CreateThing', { thingName: 'x' })).rejects.toBeInstanceOf(ReadOnlyViolation);
    await expect(api.send('UpdateIndexingConfiguration', {})).rejects.toThrow(/UpdateIndexingConfiguration would change AWS/);

    expect(env.emulator.stats()).toEqual({ ListThings: 1 });
  });

  it('classifies operation names by their verb', () => {
    expect(['ListThings', 'DescribeThing', 'GetPolicy', 'SearchIndex', 'GetIndexingConfiguration'].every(isReadOperation)).toBe(true);
    expect(['CreateThing', 'UpdateThing', 'TagResource', 'Listen', 'GetawayThing'].some(isReadOperation)).toBe(false);
  });
});
