// Job: the document becomes the exact JSON text sent to CreateJob (objects are serialized,
// strings and files are kept byte for byte after a JSON syntax check), at most 32 KB.
import { diagAt } from '../../document/context.js';
import type { DesiredResourceOf } from '../../model/resource.js';
import { NAME_RULES, descriptionSchema, nameList, object, str } from '../../document/schema.js';
import type { KindManifest } from '../types.js';
import { readReferenced } from '../../document/referenced-file.js';
import type { NormalizeProps } from '../../document/normalize.js';
import { nameSet } from '../../document/normalize.js';

export const MAX_JOB_DOCUMENT_BYTES = 32768;
export const MAX_JOB_TARGETS = 100;

function documentText(p: NormalizeProps): string | undefined {
  const s = p.spec;
  const hasDoc = s.document !== undefined;
  if (hasDoc === (s.documentFile !== undefined)) {
    p.emit(diagAt(p.ctx, 'job-document-source', ['spec'], hasDoc ? 'give either document or documentFile, not both' : 'a Job needs spec.document or spec.documentFile'));
    return undefined;
  }
  if (hasDoc && typeof s.document === 'object') return JSON.stringify(s.document);
  const field = hasDoc ? 'document' : 'documentFile';
  const text = hasDoc ? String(s.document) : readReferenced(p, ['spec', 'documentFile'], String(s.documentFile))?.text;
  if (text === undefined) return undefined;
  try {
    JSON.parse(text);
  } catch (err) {
    p.emit(diagAt(p.ctx, 'job-document-invalid', ['spec', field], `job document is not valid JSON: ${err instanceof Error ? err.message : String(err)}`));
    return undefined;
  }
  return text;
}

export function normalizeJob(p: NormalizeProps): DesiredResourceOf<'Job'> | undefined {
  const s = p.spec;
  let ok = true;
  const document = documentText(p);
  if (document === undefined) ok = false;
  else {
    const size = Buffer.byteLength(document, 'utf8');
    if (size > MAX_JOB_DOCUMENT_BYTES) {
      ok = false;
      const field = s.document !== undefined ? 'document' : 'documentFile';
      p.emit(diagAt(p.ctx, 'job-document-too-large', ['spec', field], `job document is ${size} bytes; AWS allows at most ${MAX_JOB_DOCUMENT_BYTES}`));
    }
  }
  const things = nameSet(s.targets?.things);
  const groups = nameSet(s.targets?.groups);
  if (things.length + groups.length === 0) {
    ok = false;
    p.emit(diagAt(p.ctx, 'job-targets-empty', ['spec', 'targets'], 'a Job needs at least one target thing or group'));
  } else if (things.length + groups.length > MAX_JOB_TARGETS) {
    ok = false;
    p.emit(diagAt(p.ctx, 'too-many-job-targets', ['spec', 'targets'], `a Job can have at most ${MAX_JOB_TARGETS} targets, found ${things.length + groups.length}`));
  }
  if (!ok || document === undefined) return undefined;
  const opt = (k: 'rollout' | 'abort' | 'timeout' | 'retry'): object => (s[k] === undefined ? {} : { [k]: s[k] as Record<string, unknown> });
  return {
    kind: 'Job',
    name: p.name,
    ...(p.tags ? { tags: p.tags } : {}),
    source: p.source,
    spec: {
      targets: { things, groups },
      targetSelection: s.targetSelection ?? 'SNAPSHOT',
      document,
      ...(s.description === undefined ? {} : { description: String(s.description) }),
      ...opt('rollout'),
      ...opt('abort'),
      ...opt('timeout'),
      ...opt('retry'),
      status: s.status ?? 'active',
    },
  };
}

const criteriaFailure = { enum: ['FAILED', 'REJECTED', 'TIMED_OUT', 'ALL'] };

export const jobManifest: KindManifest<'Job'> = {
  name: NAME_RULES.JobId,
  schema: {
    file: 'job.schema.json',
    title: 'iotops Job',
    description: 'An IoT job; metadata.name is the jobId. Document, targets and targetSelection are immutable',
    nameDescription: 'jobId: 1–64 of [a-zA-Z0-9_-]',
    spec: object('Job', {
      targets: object('Targets (at least one thing or group, ≤ 100 in all)', {
        things: nameList('Thing', NAME_RULES.ThingName, 'Target things'),
        groups: nameList('ThingGroup', NAME_RULES.ThingGroupName, 'Target groups (static or dynamic)'),
      }),
      targetSelection: { enum: ['SNAPSHOT', 'CONTINUOUS'], description: 'SNAPSHOT (default) or CONTINUOUS' },
      document: { type: ['object', 'string'], description: 'Job document (object, or JSON text), ≤ 32 KB' },
      documentFile: str('JSON file with the job document, relative to this manifest', { minLength: 1 }),
      description: descriptionSchema,
      rollout: object('jobExecutionsRolloutConfig', {
        maximumPerMinute: { type: 'integer', minimum: 1, maximum: 1000 },
        exponentialRate: object('Exponential rollout', {
          baseRatePerMinute: { type: 'integer', minimum: 1, maximum: 1000 },
          incrementFactor: { type: 'number', minimum: 1.1, maximum: 5 },
          rateIncreaseCriteria: object('When to increase the rate', {
            numberOfNotifiedThings: { type: 'integer', minimum: 1 },
            numberOfSucceededThings: { type: 'integer', minimum: 1 },
          }),
        }, ['baseRatePerMinute', 'incrementFactor', 'rateIncreaseCriteria']),
      }),
      abort: object('abortConfig', {
        criteriaList: { type: 'array', minItems: 1, items: object('Abort criterion', {
          failureType: criteriaFailure,
          action: { enum: ['CANCEL'] },
          thresholdPercentage: { type: 'number', minimum: 0, maximum: 100 },
          minNumberOfExecutedThings: { type: 'integer', minimum: 1 },
        }, ['failureType', 'action', 'thresholdPercentage', 'minNumberOfExecutedThings']) },
      }, ['criteriaList']),
      timeout: object('timeoutConfig', { inProgressTimeoutInMinutes: { type: 'integer', minimum: 1, maximum: 10080 } }),
      retry: object('jobExecutionsRetryConfig', {
        criteriaList: { type: 'array', minItems: 1, maxItems: 2, items: object('Retry criterion', {
          failureType: { enum: ['FAILED', 'TIMED_OUT', 'ALL'] },
          numberOfRetries: { type: 'integer', minimum: 0, maximum: 10 },
        }, ['failureType', 'numberOfRetries']) },
      }, ['criteriaList']),
      status: { enum: ['active', 'cancelled'], description: 'active (default) or cancelled: cancelling is how a job is stopped' },
    }, ['targets']),
  },
  normalize: normalizeJob,
};
