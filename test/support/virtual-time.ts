// A clock that moves only when the test moves it, for code that takes `now` and `sleep` (the
// client's token buckets, the emulator's throttle, the controller's timers): waits cost no real
// time, and their order and length are exact instead of depending on the machine's load.
export interface VirtualTime {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Every `sleep(ms)` requested so far, in order. */
  readonly slept: readonly number[];
  /** Sleepers not yet woken. */
  sleeping(): number;
  /** Moves time to the earliest wake-up and wakes every sleeper due then; false when none sleeps. */
  advance(): boolean;
}

export function virtualTime(start = 0): VirtualTime {
  let t = start;
  const slept: number[] = [];
  let sleepers: { at: number; wake: () => void }[] = [];
  return {
    now: () => t,
    sleep(ms) {
      slept.push(ms);
      return new Promise<void>((wake) => sleepers.push({ at: t + Math.max(0, ms), wake }));
    },
    slept,
    sleeping: () => sleepers.length,
    advance() {
      if (sleepers.length === 0) return false;
      t = Math.max(t, Math.min(...sleepers.map((s) => s.at)));
      const due = sleepers.filter((s) => s.at <= t);
      sleepers = sleepers.filter((s) => s.at > t);
      for (const s of due) s.wake();
      return true;
    },
  };
}

/** Resolves once `check()` holds, looking again every millisecond (the test's timeout bounds it). */
export async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 1));
}
