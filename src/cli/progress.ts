// Progress of a long apply. On a terminal: one redrawn line on stderr with a bar, rate and ETA.
// Otherwise (CI logs, containers): a key=value line every `everyMs`, and one at the end.
import type { ApplyProgress } from '../apply/executor.js';

export interface ProgressReporter {
  update(progress: ApplyProgress): void;
  finish(progress: ApplyProgress): void;
}

export function createProgress(props: {
  readonly write: (text: string) => void;
  readonly tty: boolean;
  readonly now?: () => number;
  /** Non-TTY line period (default 10 s); TTY redraws at most every 100 ms. */
  readonly everyMs?: number;
}): ProgressReporter {
  const now = props.now ?? Date.now;
  const started = now();
  let last = 0;
  let drawn = false;
  const period = props.tty ? 100 : (props.everyMs ?? 10_000);

  const stats = (p: ApplyProgress) => {
    const seconds = Math.max(0.001, (now() - started) / 1000);
    const rate = p.done / seconds;
    const eta = rate > 0 ? (p.total - p.done) / rate : undefined;
    return { rate, eta };
  };
  const line = (p: ApplyProgress): string => {
    const { rate, eta } = stats(p);
    if (!props.tty) {
      return `apply progress done=${p.done} total=${p.total} failed=${p.failed} skipped=${p.skipped} rate=${rate.toFixed(1)}/s eta=${eta === undefined ? '?' : `${Math.ceil(eta)}s`}\n`;
    }
    const width = 24;
    const filled = p.total === 0 ? width : Math.round((p.done / p.total) * width);
    const bad = p.failed + p.skipped > 0 ? `  ${p.failed} failed, ${p.skipped} skipped` : '';
    return `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.done}/${p.total} steps  ${rate.toFixed(1)}/s  ETA ${formatDuration(eta)}${bad}\u001b[K`;
  };

  return {
    update(p) {
      const t = now();
      if (t - last < period) return;
      last = t;
      drawn = true;
      props.write(line(p));
    },
    finish(p) {
      if (p.total === 0) return;
      if (props.tty) {
        props.write(`${line(p)}\n`);
      } else if (drawn || p.done > 0) {
        props.write(line(p));
      }
    },
  };
}

export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '?';
  const s = Math.ceil(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
