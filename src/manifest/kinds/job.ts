// Job: the document becomes the exact JSON text sent to CreateJob (objects are serialized,
// strings and files are kept byte for byte after a JSON syntax check), at most 32 KB.
import { diagAt } from '../context.js';
import type { DesiredResource } from '../../model/resource.js';
import { readReferenced } from './referenced-file.js';
import type { NormalizeProps } from './types.js';
import { nameSet } from './types.js';

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

export function normalizeJob(p: NormalizeProps): DesiredResource | undefined {
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
