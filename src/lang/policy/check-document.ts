// checkPolicyDocument: the whole-document checks (shape, Version, size, Sid uniqueness)
// around the per-statement checks.

import type { Path } from './check-condition.js';
import { checkStatement, type StatementFacts } from './check-statement.js';
import { suggestion } from './did-you-mean.js';

export interface PolicyIssue {
  readonly code: 'policy-invalid' | 'pattern-too-complex';
  /** Location inside the document (e.g. ['Statement', 0, 'Action', 1]); [] = the document. */
  readonly path: readonly (string | number)[];
  readonly message: string;
}

export const POLICY_VERSIONS: readonly string[] = ['2012-10-17', '2008-10-17'];
/** AWS's limit: the document, serialized, without whitespace [model CreatePolicy]. */
export const MAX_POLICY_CHARS = 2048;

const TOP_KEYS = ['Version', 'Statement', 'Id'];

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * All problems of an IoT policy document, in document order. A string is parsed as JSON
 * first (the text of a `documentFile`).
 */
export function checkPolicyDocument(doc: unknown): PolicyIssue[] {
  const issues: PolicyIssue[] = [];
  const report = (path: Path, message: string, code: PolicyIssue['code'] = 'policy-invalid'): void => {
    issues.push({ code, path: [...path], message });
  };

  let document = doc;
  if (typeof doc === 'string') {
    try {
      document = JSON.parse(doc) as unknown;
    } catch (err) {
      report([], `policy document is not valid JSON: ${(err as Error).message}`);
      return issues;
    }
  }
  if (!isPlainObject(document)) {
    report([], 'a policy document must be an object with Version and Statement');
    return issues;
  }

  const size = JSON.stringify(document).replace(/\s/g, '').length;
  if (size > MAX_POLICY_CHARS) {
    report([], `policy document is ${size} characters without whitespace; AWS allows at most ${MAX_POLICY_CHARS}`);
  }

  for (const key of Object.keys(document)) {
    if (!TOP_KEYS.includes(key)) report([key], `unknown policy element "${key}"${suggestion(key, TOP_KEYS)}`);
  }
  const version = document.Version;
  if (version !== undefined && (typeof version !== 'string' || !POLICY_VERSIONS.includes(version))) {
    report(['Version'], `Version must be "2012-10-17" (or the legacy "2008-10-17"), not ${JSON.stringify(version)}`);
  }
  if ('Id' in document && typeof document.Id !== 'string') report(['Id'], 'Id must be a string');

  const statements = document.Statement;
  const facts: (StatementFacts & { readonly path: Path })[] = [];
  if (statements === undefined) {
    report([], 'policy document needs a Statement (an object or a non-empty list)');
  } else if (Array.isArray(statements)) {
    if (statements.length === 0) report(['Statement'], 'Statement must not be an empty list');
    statements.forEach((s, i) => facts.push({ ...checkStatement(s, ['Statement', i], report), path: ['Statement', i] }));
  } else {
    facts.push({ ...checkStatement(statements, ['Statement'], report), path: ['Statement'] });
  }

  const seenSids = new Set<string>();
  for (const fact of facts) {
    if (fact.sid === undefined) continue;
    if (seenSids.has(fact.sid)) report([...fact.path, 'Sid'], `Sid "${fact.sid}" is used by another statement`);
    seenSids.add(fact.sid);
  }

  if (version !== '2012-10-17' && facts.some((f) => f.usesVariables)) {
    report(
      version === undefined ? [] : ['Version'],
      'policy variables (${...}) are substituted only with Version "2012-10-17"; otherwise they are matched as literal text',
    );
  }
  return issues;
}
