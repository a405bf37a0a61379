// The apply journal: a local, append-only record of the creates an apply started, so the next
// apply can finish what a crash (SIGKILL, OOM, a lost CI runner) interrupted. It closes the gap
// of kinds whose ownership proof is not written in the same AWS call that creates the resource:
// a Thing is created by CreateThing and only proven ours by joining the inventory group after.
// A crash between the two leaves a thing iotops cannot prove it made; the journal is that proof.
//
// Format: JSON lines in `.iotops/journal/<fleetId>.jsonl` (next to the embedded emulator's state
// and the secrets directory):
//   {"t":"begin","kind":"Thing","name":"x","action":"create","desired":{...}}   before the step starts
//   {"t":"note","kind":"Certificate","name":"c","note":{...}}                  a kind's own sub-step
//   {"t":"end","kind":"Thing","name":"x"}                                      after it was applied
// Notes let a kind journal the inside of a step whose AWS call is not idempotent: a generated
// certificate journals `generate-begin` right before CreateKeysAndCertificate and its id right
// after the answer (its Kind.recover, src/kinds/certificate/recover.ts, reads them back). A note's shape is the kind's.
// A begin without an end is an interrupted step (the process died, or the step failed part-way).
// Each line is written with one synchronous append before the step's first AWS call, so it
// survives the process being killed (not a power loss: no fsync, which would cost a disk flush per
// resource). A torn last line is ignored: its write had not finished, so its step had not started.
import { appendFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { KindName } from '../model/resource.js';
import type { ChangeAction, PlannedChange } from '../model/plan.js';
import type { InterruptedStep, StepNotes } from '../kinds/types.js';

/** A begun step without an end, as Kind.recover receives it. */
export type JournalEntry = InterruptedStep;

/** What the executor records (optional: the controller and tests may run without one). */
export interface StepJournal {
  begin(change: PlannedChange): void;
  end(change: PlannedChange): void;
}

/**
 * `note` records a kind's sub-step of a running step with one synchronous append, so it survives
 * a SIGKILL right after (a private key AWS just returned is only this far from being lost).
 */
export interface ApplyJournal extends StepJournal, StepNotes {
  readonly path: string;
  /** Steps begun and never recorded as applied, in file order (one per resource). */
  interrupted(): JournalEntry[];
  /** Forgets everything (after a recovery, before a new apply). */
  reset(): void;
}

/** Creates are the steps whose result a crash can strand without an ownership proof. */
export function journaled(change: PlannedChange): boolean {
  return change.action === 'create' || change.action === 'replace';
}

export function journalPath(stateDir: string, fleetId: string): string {
  return join(stateDir, 'journal', `${fleetId.replace(/[^a-zA-Z0-9_.-]/g, '_')}.jsonl`);
}

export function openJournal(path: string): ApplyJournal {
  const append = (line: object): void => {
    appendFileSync(path, `${JSON.stringify(line)}\n`, { mode: 0o600 });
  };
  mkdirSync(dirname(path), { recursive: true });
  return {
    path,
    begin(change) {
      append({ t: 'begin', kind: change.kind, name: change.name, action: change.action, ...(change.desired !== undefined ? { desired: change.desired } : {}) });
    },
    end(change) {
      append({ t: 'end', kind: change.kind, name: change.name });
    },
    note(kind, name, note) {
      append({ t: 'note', kind, name, note });
    },
    interrupted() {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        return [];
      }
      const open = new Map<string, JournalEntry>();
      for (const line of text.split('\n')) {
        const entry = parse(line);
        if (!entry) continue;
        const key = `${entry.kind}/${entry.name}`;
        if (entry.t === 'end') open.delete(key);
        else if (entry.t === 'note') {
          // A note outside a begun step (a kind journaling on its own) opens one: it is unfinished work.
          const current = open.get(key) ?? { kind: entry.kind, name: entry.name, action: 'create' as const };
          open.set(key, { ...current, notes: [...(current.notes ?? []), entry.note] });
        } else open.set(key, { kind: entry.kind, name: entry.name, action: entry.action, ...(entry.desired !== undefined ? { desired: entry.desired } : {}) });
      }
      return [...open.values()];
    },
    reset() {
      rmSync(path, { force: true });
    },
  };
}

type Line =
  | { t: 'begin'; kind: KindName; name: string; action: ChangeAction; desired?: unknown }
  | { t: 'note'; kind: KindName; name: string; note: unknown }
  | { t: 'end'; kind: KindName; name: string };

function parse(line: string): Line | undefined {
  if (line.trim() === '') return undefined;
  try {
    const v = JSON.parse(line) as Partial<Line> & { action?: ChangeAction; note?: unknown };
    if ((v.t !== 'begin' && v.t !== 'end' && v.t !== 'note') || typeof v.kind !== 'string' || typeof v.name !== 'string') return undefined;
    if (v.t === 'begin' && typeof v.action !== 'string') return undefined;
    if (v.t === 'note' && (typeof v.note !== 'object' || v.note === null)) return undefined;
    return v as Line;
  } catch {
    return undefined;
  }
}
