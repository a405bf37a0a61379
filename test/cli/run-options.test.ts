// `iotops run` option errors: a bad value is reported before anything starts (it used to exit 1
// printing nothing, because the address was parsed inside the action), and `:PORT` binds every
// interface as in Go and Prometheus.
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureIo } from '../../src/cli/io.js';
import { parseListen } from '../../src/cli/run.js';

describe('iotops run --listen', () => {
  it('says what is wrong with a bare port and exits 1', async () => {
    const io = captureIo();
    const code = await main(['node', 'iotops', 'run', '--listen', '8080'], io);
    expect(code).toBe(1);
    expect(io.err.join('')).toContain("option '--listen <host:port>' argument '8080' is invalid. use HOST:PORT, e.g. 127.0.0.1:8080, or :8080 for every interface");
  });

  it('reads HOST:PORT, [IPv6]:PORT, and :PORT as every interface', () => {
    expect(parseListen('127.0.0.1:9090')).toEqual({ host: '127.0.0.1', port: 9090 });
    expect(parseListen('[::1]:8080')).toEqual({ host: '::1', port: 8080 });
    expect(parseListen(':8080')).toEqual({ host: '0.0.0.0', port: 8080 });
    expect(() => parseListen('localhost:99999')).toThrow(/HOST:PORT/);
  });
});
