// The one-line pretty log of `iotops run`.
import { describe, expect, it } from 'vitest';
import { formatLogLine, prettyLogger } from '../../src/controller/pretty-log.js';
import { describeSummary } from '../../src/controller/status.js';

describe('pretty controller log', () => {
  it('prints one line per event with short revisions, quoted text and error messages without stacks', () => {
    const line = JSON.stringify({
      level: 50,
      time: Date.UTC(2026, 0, 1, 12, 0, 0),
      msg: 'reconcile failed, backing off',
      revision: 'sha256:de00d34ef915b113e4a91d04cc8bcb8760a58b0d1bc97d713e5de3e76c03d3a9',
      commit: '0123456789abcdef0123456789abcdef01234567',
      changes: '3 to create, 1 to update',
      applied: false,
      err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at x' },
    });
    const out = formatLogLine(line);
    expect(out.endsWith('\n')).toBe(true);
    expect(out.trimEnd().split('\n')).toHaveLength(1);
    expect(out).toMatch(/^\d\d:\d\d:\d\d ERROR reconcile failed, backing off {2}revision=sha256:de00d34ef915 commit=0123456789ab changes="3 to create, 1 to update" applied=false err="boom"\n$/);
  });

  it('writes through a pino logger and passes non-JSON text through', () => {
    const out: string[] = [];
    prettyLogger({ level: 'info', color: false, write: (t) => out.push(t) }).info({ url: 'http://127.0.0.1:8080' }, 'status endpoints');
    prettyLogger({ level: 'info', color: false, write: (t) => out.push(t) }).debug('hidden');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/INFO {2}status endpoints {2}url=http:\/\/127\.0\.0\.1:8080\n$/);
    expect(formatLogLine('not json')).toBe('not json');
  });

  it('summarizes a plan as counts per action', () => {
    expect(describeSummary({ create: 3, update: 1, replace: 0, delete: 0, adopt: 0, blocked: 2 })).toBe('3 to create, 1 to update, 2 blocked');
    expect(describeSummary({ create: 0, update: 0, replace: 0, delete: 0, adopt: 0, blocked: 0 })).toBe('no changes');
  });
  it('escapes control characters in messages and fields, so a name cannot act on the terminal', () => {
    const line = JSON.stringify({ level: 40, time: 0, msg: 'drift \u001b[2J', name: 'sensor-\u009b31m', kind: 'Thing', err: { message: 'x\ry' }, detail: { k: 'v\u009b' } });
    for (const color of [false, true]) {
      const out = formatLogLine(line, color).replace(/\u001b\[\d+m/g, '');
      expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
      expect(out).toContain('drift \\x1b[2J');
      expect(out).toContain('name="sensor-\\u009b31m" kind=Thing err="x\\ry" detail={"k":"v\\u009b"}');
    }
    expect(formatLogLine('raw \u001b[2J text\n')).toBe('raw \\x1b[2J text\n');
  });
});
