// Job compare (pure). AWS's rules decide the outcome:
// - document (compared as parsed JSON, key order ignored), targets (sets) and targetSelection
//   cannot change on an existing job → blocked `immutable-field`: the user creates a new job name;
//   iotops never silently deletes and recreates a job (devices may already have run it).
// - description, rollout, abort, timeout, retry → update (UpdateJob). A config the manifest leaves
//   out is not managed (UpdateJob cannot remove one), so only declared configs are compared.
// - status: active → cancelled is an update (CancelJob); a CANCELED job cannot be restarted
//   (blocked); a COMPLETED job is finished whatever the manifest says about status.
import type { DesiredResourceOf } from '../../model/resource.js';
import type { JobSpec } from './spec.js';
import type { Blocked, FieldChange } from '../../model/plan.js';
import type { Comparison } from '../types.js';
import { canonicalJson } from '../../model/canonical.js';
import { sameSet } from '../shared/diff.js';
import type { JobLive, JobLiveState } from './read.js';

export const MUTABLE_CONFIGS = ['rollout', 'abort', 'timeout', 'retry'] as const;

/** Parsed JSON when the text is JSON (so formatting and key order do not count), else the trimmed text. */
export function documentKey(text: string): string {
  try {
    return canonicalJson(JSON.parse(text), 'as-sent');
  } catch {
    return text.trim();
  }
}

function parsedOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Live status in the manifest's vocabulary. */
export function liveJobStatus(status: string): 'active' | 'cancelled' | 'completed' | 'deleting' {
  switch (status) {
    case 'CANCELED':
      return 'cancelled';
    case 'COMPLETED':
      return 'completed';
    case 'DELETION_IN_PROGRESS':
      return 'deleting';
    default:
      return 'active';
  }
}

function immutableChanges(d: JobSpec, l: JobLiveState): FieldChange[] {
  const fields: FieldChange[] = [];
  if (documentKey(d.document) !== documentKey(l.document)) {
    fields.push({ path: 'document', before: parsedOrText(l.document), after: parsedOrText(d.document) });
  }
  if (!sameSet(d.targets.things, l.targets.things)) fields.push({ path: 'targets.things', before: l.targets.things, after: d.targets.things });
  if (!sameSet(d.targets.groups, l.targets.groups)) fields.push({ path: 'targets.groups', before: l.targets.groups, after: d.targets.groups });
  if (d.targetSelection !== l.targetSelection) fields.push({ path: 'targetSelection', before: l.targetSelection, after: d.targetSelection });
  return fields;
}

function mutableChanges(d: JobSpec, l: JobLiveState): FieldChange[] {
  const fields: FieldChange[] = [];
  if (d.description !== undefined && d.description !== (l.description ?? '')) {
    fields.push({ path: 'description', ...(l.description !== undefined ? { before: l.description } : {}), after: d.description });
  }
  for (const key of MUTABLE_CONFIGS) {
    const want = d[key];
    if (want === undefined) continue;
    if (canonicalJson(want, 'as-sent') !== canonicalJson(l[key] ?? {}, 'as-sent')) fields.push({ path: key, ...(l[key] !== undefined ? { before: l[key] } : {}), after: want });
  }
  return fields;
}

function blockedBecause(name: string, message: string): Blocked {
  return { code: 'immutable-field', message: `Job/${name}: ${message}` };
}

export function compareJob(desired: DesiredResourceOf<'Job'>, live: JobLive): Comparison {
  const d = desired.spec;
  const l = live.state;
  const status = liveJobStatus(l.status);
  if (status === 'deleting') {
    return {
      fields: [{ path: 'status', before: 'deleting', after: d.status }],
      blocked: blockedBecause(desired.name, 'the job is being deleted; AWS lets a job id be reused only after deletion completes (and advises against it): create a new job name'),
    };
  }
  const immutable = immutableChanges(d, l);
  if (immutable.length > 0) {
    const what = immutable.map((f) => f.path).join(', ');
    return {
      fields: immutable,
      blocked: blockedBecause(desired.name, `${what} cannot change on an existing job (AWS jobs are immutable there): create a new job name for the new version`),
    };
  }
  const fields = mutableChanges(d, l);
  if (status === 'cancelled' && d.status === 'active') {
    return {
      fields: [...fields, { path: 'status', before: 'cancelled', after: 'active' }],
      blocked: blockedBecause(desired.name, 'a cancelled job cannot be restarted: create a new job name'),
    };
  }
  if (status === 'active' && d.status === 'cancelled') fields.push({ path: 'status', before: 'active', after: 'cancelled' });
  if (fields.length > 0 && status !== 'active' && fields.some((f) => f.path !== 'status')) {
    return {
      fields,
      blocked: blockedBecause(desired.name, `the job is ${status}; its configuration can no longer change: create a new job name`),
    };
  }
  const notes = fields.some((f) => f.path === 'status') ? ['cancels the job (CancelJob): queued executions are cancelled, in-progress ones finish'] : undefined;
  return notes ? { fields, notes } : { fields };
}
