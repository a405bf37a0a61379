// The apply journal's file format: begins without an end are interrupted, a kind's notes stay with
// their step, and a torn last line (a write cut off by the crash) is ignored.
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { journalPath, openJournal } from '../../src/apply/journal.js';
import { interruptedGenerateOf } from '../../src/kinds/certificate/generate-journal.js';
import type { PlannedChange } from '../../src/model/plan.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const create = (kind: PlannedChange['kind'], name: string): PlannedChange => ({ kind, name, action: 'create', fields: [], dependsOn: [] });
const ID = 'a'.repeat(64);

describe('apply journal', () => {
  it('keeps the notes of an unfinished step and forgets finished ones', () => {
    dir = mkdtempSync(join(tmpdir(), 'iotops-journal-'));
    const journal = openJournal(journalPath(dir, 'fleet/x'));
    journal.begin(create('Certificate', 'c1'));
    journal.note('Certificate', 'c1', { step: 'generate-begin', startedAt: 1000, secretsDir: '/s' });
    journal.note('Certificate', 'c1', { step: 'generate-created', certificateId: ID });
    journal.begin(create('Certificate', 'c2'));
    journal.note('Certificate', 'c2', { step: 'generate-begin', startedAt: 2000, secretsDir: '/s' });
    journal.begin(create('Certificate', 'c3'));
    journal.note('Certificate', 'c3', { step: 'generate-begin', startedAt: 3000, secretsDir: '/s' });
    journal.end(create('Certificate', 'c3'));
    appendFileSync(journal.path, '{"t":"note","kind":"Certificate","name":"c2","note":{"step":"generate-cre');

    const open = journal.interrupted();

    expect(open.map((e) => e.name)).toEqual(['c1', 'c2']);
    expect(open.map((e) => interruptedGenerateOf(e.name, e.notes))).toEqual([
      { handle: 'c1', startedAt: 1000, secretsDir: '/s', certificateId: ID },
      { handle: 'c2', startedAt: 2000, secretsDir: '/s' },
    ]);
    journal.reset();
    expect(journal.interrupted()).toEqual([]);
  });

  it('ignores a created id that does not follow a generate-begin or is not an id', () => {
    expect(interruptedGenerateOf('c', [{ step: 'generate-created', certificateId: ID }])).toBeUndefined();
    expect(
      interruptedGenerateOf('c', [
        { step: 'generate-begin', startedAt: 1, secretsDir: '/s' },
        { step: 'generate-created', certificateId: '../etc' },
      ]),
    ).toEqual({ handle: 'c', startedAt: 1, secretsDir: '/s' });
  });
});
