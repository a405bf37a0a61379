// Builds the test a term applies to each value of its field, and applies it. Values are compared
// case-insensitively; when both sides are numbers they are compared as numbers, so
// `attributes.battery<20` matches the attribute string "15" and `:75` matches "75.0".
import { QueryError } from './ast.js';
import type { CompareOp, Operand, QueryLimits, ValueTest } from './ast.js';
import { at } from './lexer.js';
import type { WordPart } from './lexer.js';
import { compileWildcard } from './wildcard.js';

const numeric = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export function toNumber(text: string): number | undefined {
  if (!numeric.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

export function operand(text: string): Operand {
  return { text: text.toLowerCase(), num: toNumber(text) };
}

export function equalsTest(text: string): ValueTest {
  return { kind: 'equals', ...operand(text) };
}

export function wordTest(parts: readonly WordPart[], text: string, pos: number, limits: QueryLimits): ValueTest {
  const wildcards = parts.filter((p) => p.kind !== 'text');
  if (wildcards.length === 0) return equalsTest(text);
  if (parts.length === 1 && parts[0].kind === 'star') return { kind: 'exists' };
  if (parts[0].kind !== 'text') {
    throw new QueryError(`leading wildcard in '${text}' ${at(pos)} is not supported; only a bare '*' may start a term`);
  }
  const stars = wildcards.filter((p) => p.kind === 'star').length;
  if (stars > limits.maxStarsPerTerm) {
    throw new QueryError(`term '${text}' ${at(pos)} has ${stars} '*' wildcards; the maximum is ${limits.maxStarsPerTerm}`);
  }
  const ones = wildcards.length - stars;
  if (ones > limits.maxQuestionMarksPerTerm) {
    throw new QueryError(`term '${text}' ${at(pos)} has ${ones} '?' wildcards; the maximum is ${limits.maxQuestionMarksPerTerm}`);
  }
  // Never a RegExp built from the query (exponential backtracking); see wildcard.ts.
  return { kind: 'wildcard', pattern: text, matcher: compileWildcard(parts) };
}

/** Sign of value − operand: numeric when both are numbers, else lower-cased string order. */
function compare(value: string, valueNum: number | undefined, op: Operand): number {
  if (op.num !== undefined && valueNum !== undefined) return sign(valueNum, op.num);
  const lower = value.toLowerCase();
  return lower === op.text ? 0 : lower < op.text ? -1 : 1;
}

function satisfies(sign: number, op: CompareOp): boolean {
  switch (op) {
    case '<':
      return sign < 0;
    case '<=':
      return sign <= 0;
    case '>':
      return sign > 0;
    case '>=':
      return sign >= 0;
  }
}

/**
 * `value.toLowerCase() === lower` without allocating in the common (ASCII) case: this runs for
 * every value of every document an unqualified term is searched in.
 */
export function equalsLowerCase(value: string, lower: string): boolean {
  // Only U+0130 (İ) changes length when lower-cased.
  if (value.length !== lower.length) return value.includes('\u0130') && value.toLowerCase() === lower;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    const l = lower.charCodeAt(i);
    if (c === l) continue;
    if (c >= 65 && c <= 90) {
      if (c + 32 === l) continue;
      return false;
    }
    if (c < 128) return false;
    return value.toLowerCase() === lower;
  }
  return true;
}

/**
 * Applies a non-`exists` test to one scalar value. `valueNum` is passed when the caller already
 * holds a JSON number (shadow), sparing a parse.
 */
export function testScalar(test: ValueTest, value: string, valueNum?: number): boolean {
  switch (test.kind) {
    case 'exists':
      return true;
    case 'equals':
      if (equalsLowerCase(value, test.text)) return true;
      if (test.num === undefined) return false;
      return (valueNum ?? toNumber(value)) === test.num;
    case 'wildcard':
      return test.matcher.test(value);
    case 'compare':
      return satisfies(compare(value, test.num === undefined ? undefined : valueNum ?? toNumber(value), test), test.op);
    case 'range': {
      const needsNum = test.lower?.num !== undefined || test.upper?.num !== undefined;
      const num = needsNum ? valueNum ?? toNumber(value) : undefined;
      if (test.lower !== undefined) {
        const sign = compare(value, num, test.lower);
        if (sign < 0 || (sign === 0 && !test.lower.inclusive)) return false;
      }
      if (test.upper !== undefined) {
        const sign = compare(value, num, test.upper);
        if (sign > 0 || (sign === 0 && !test.upper.inclusive)) return false;
      }
      return true;
    }
  }
}

/** `testScalar` for a JSON number or timestamp: numeric operands need no string at all. */
export function testNumber(test: ValueTest, value: number): boolean {
  switch (test.kind) {
    case 'exists':
      return true;
    case 'equals':
      // A number's text is always numeric, so it can't equal a non-numeric literal.
      return test.num === value;
    case 'wildcard':
      return test.matcher.test(String(value));
    case 'compare':
      return test.num === undefined ? testScalar(test, String(value), value) : satisfies(sign(value, test.num), test.op);
    case 'range': {
      if (test.lower?.num === undefined && test.lower !== undefined) return testScalar(test, String(value), value);
      if (test.upper?.num === undefined && test.upper !== undefined) return testScalar(test, String(value), value);
      if (test.lower?.num !== undefined) {
        const s = sign(value, test.lower.num);
        if (s < 0 || (s === 0 && !test.lower.inclusive)) return false;
      }
      if (test.upper?.num !== undefined) {
        const s = sign(value, test.upper.num);
        if (s > 0 || (s === 0 && !test.upper.inclusive)) return false;
      }
      return true;
    }
  }
}

function sign(a: number, b: number): number {
  return a === b ? 0 : a < b ? -1 : 1;
}
