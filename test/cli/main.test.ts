import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureIo, packageVersion } from '../../src/cli/io.js';

describe('iotops CLI entry', () => {
  it('prints the package version', async () => {
    const io = captureIo();
    const code = await main(['node', 'iotops', '--version'], io);
    expect(code).toBe(0);
    expect(io.out.join('')).toBe(`${packageVersion()}\n`);
  });

  it('rejects an unknown option with exit code 1 and says why', async () => {
    const io = captureIo();
    const code = await main(['node', 'iotops', '--no-such-flag'], io);
    expect(code).toBe(1);
    expect(io.err.join('')).toMatch(/unknown option '--no-such-flag'/);
  });
});
