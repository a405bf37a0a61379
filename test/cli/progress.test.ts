// The apply progress reporter with an injected clock: a redrawn bar with rate and ETA on a
// terminal, periodic `apply progress key=value` lines otherwise.
import { describe, expect, it } from 'vitest';
import { createProgress, formatDuration } from '../../src/cli/progress.js';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

const p = (done: number, total = 100, failed = 0, skipped = 0) => ({ total, done, failed, skipped, running: 0 });

describe('createProgress', () => {
  it('prints key=value lines at most every everyMs when not on a terminal, with rate and ETA', () => {
    const c = clock();
    const out: string[] = [];
    const progress = createProgress({ write: (s) => out.push(s), tty: false, now: c.now, everyMs: 10_000 });

    c.advance(10_000);
    progress.update(p(20));
    c.advance(5_000);
    progress.update(p(30)); // within the period: not printed
    c.advance(5_000);
    progress.update(p(40, 100, 1, 2));
    c.advance(20_000);
    progress.finish(p(100, 100, 1, 2));

    expect(out).toEqual([
      'apply progress done=20 total=100 failed=0 skipped=0 rate=2.0/s eta=40s\n',
      'apply progress done=40 total=100 failed=1 skipped=2 rate=2.0/s eta=30s\n',
      'apply progress done=100 total=100 failed=1 skipped=2 rate=2.5/s eta=0s\n',
    ]);
  });

  it('redraws one line with a bar, the rate and the ETA on a terminal, and ends it with a newline', () => {
    const c = clock();
    const out: string[] = [];
    const progress = createProgress({ write: (s) => out.push(s), tty: true, now: c.now });

    c.advance(2_000);
    progress.update(p(50, 200));
    c.advance(50);
    progress.update(p(51, 200)); // redraws are throttled to 10 per second
    c.advance(2_000);
    progress.update(p(100, 200, 3));
    progress.finish(p(200, 200, 3));

    expect(out).toHaveLength(3);
    expect(out[0]).toBe('\r[######..................] 50/200 steps  25.0/s  ETA 6s\u001b[K');
    expect(out[1]).toBe('\r[############............] 100/200 steps  24.7/s  ETA 5s  3 failed, 0 skipped\u001b[K');
    expect(out[2]).toMatch(/^\r\[#{24}\] 200\/200 steps .*\u001b\[K\n$/);
  });

  it('says nothing for an empty plan, and shows an unknown ETA before anything finished', () => {
    const c = clock();
    const out: string[] = [];
    const progress = createProgress({ write: (s) => out.push(s), tty: false, now: c.now, everyMs: 1_000 });
    c.advance(1_000);
    progress.update(p(0, 10));
    progress.finish(p(0, 0));
    expect(out).toEqual(['apply progress done=0 total=10 failed=0 skipped=0 rate=0.0/s eta=?\n']);
  });
});

describe('formatDuration', () => {
  it('rounds up to seconds, minutes and hours', () => {
    expect(formatDuration(undefined)).toBe('?');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('?');
    expect(formatDuration(0.2)).toBe('1s');
    expect(formatDuration(59)).toBe('59s');
    expect(formatDuration(61)).toBe('1m01s');
    expect(formatDuration(3_600 * 2 + 60 * 5)).toBe('2h05m');
  });
});
