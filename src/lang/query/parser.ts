// Tokens → AST by recursive descent. Grammar (precedence: NOT/- > AND/implicit AND > OR):
//   query   := or
//   or      := and ('OR' and)*
//   and     := unary (['AND'] unary)*
//   unary   := ('NOT' | '-') unary | primary
//   primary := '(' or ')' | FIELD ':' value | FIELD ':' '(' or ')' | FIELD cmp value | FIELD ':' cmp value
//            | range | value           (inside a field group, cmp value too)
//   range   := ('[' | '{') bound 'TO' bound (']' | '}')
// Every error carries the offset of the token that made the query invalid.
import type { Bound, CompareOp, FleetQuery, Operand, QueryField, QueryNode, ValueTest } from './ast.js';
import { MAX_QUERY_BYTES, MAX_QUESTION_MARKS_PER_TERM, MAX_STARS_PER_TERM, MAX_TERMS } from './ast.js';
import type { Token, WordToken } from './scanner.js';
import { ScanError, isSpace, scan } from './scanner.js';
import { compileWildcard } from '../wildcard.js';

export type ParseResult = { readonly ok: true; readonly query: FleetQuery } | { readonly ok: false; readonly message: string; readonly offset: number };

class ParseError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const ANY: QueryField = { name: '*', cls: 'any' };
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export function toNumber(text: string): number | undefined {
  return NUMBER.test(text) ? Number(text) : undefined;
}

function operand(text: string): Operand {
  return { text: text.toLowerCase(), num: toNumber(text) };
}

export function resolveField(name: string): QueryField {
  switch (name) {
    case 'thingName':
      return { name, cls: 'thingName' };
    case 'thingTypeName':
    case 'registry.thingTypeName':
      return { name, cls: 'thingTypeName' };
    case 'thingGroupNames':
    case 'registry.thingGroupNames':
      return { name, cls: 'thingGroupNames' };
    case 'thingId':
      return { name, cls: 'thingId' };
    default:
      break;
  }
  if (name.startsWith('attributes.') && name.length > 'attributes.'.length) return { name, cls: 'attribute', attribute: name.slice('attributes.'.length) };
  if (name.startsWith('shadow.')) return { name, cls: 'shadow' };
  if (name.startsWith('connectivity.')) return { name, cls: 'connectivity' };
  if (name.startsWith('deviceDefender.')) return { name, cls: 'deviceDefender' };
  return { name, cls: 'none' };
}

/** Offset of the first character past `max` UTF-8 bytes, or undefined when the text fits. */
function overByteLimit(text: string, max: number): number | undefined {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
    if (bytes > max) return i;
  }
  return undefined;
}

export function parseFleetQuery(text: string): ParseResult {
  try {
    return { ok: true, query: parse(text) };
  } catch (e) {
    if (e instanceof ParseError || e instanceof ScanError) return { ok: false, message: e.message, offset: e.offset };
    throw e;
  }
}

function parse(text: string): FleetQuery {
  if ([...text].every(isSpace)) throw new ParseError('the query is empty', 0);
  const over = overByteLimit(text, MAX_QUERY_BYTES);
  if (over !== undefined) throw new ParseError(`the query is longer than ${MAX_QUERY_BYTES} bytes (UTF-8)`, over);
  const p = new Parser(scan(text), text.length);
  const root = p.or(undefined);
  p.expectEnd();
  return { text, root, termCount: p.terms };
}

/** AND, OR and NOT; TO is a keyword only inside a range and an ordinary word elsewhere. */
function isOperator(t: Token): t is WordToken & { keyword: 'AND' | 'OR' | 'NOT' } {
  return t.type === 'word' && t.keyword !== undefined && t.keyword !== 'TO';
}

class Parser {
  private pos = 0;
  terms = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly end: number,
  ) {}

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private offset(): number {
    return this.peek()?.offset ?? this.end;
  }

  private isKeyword(t: Token | undefined, k: string): boolean {
    return t?.type === 'word' && t.keyword === k;
  }

  private describe(t: Token | undefined): string {
    if (!t) return 'the end of the query';
    if (t.type === 'word') return t.keyword ? `keyword ${t.keyword}` : `'${t.text}'`;
    if (t.type === 'phrase') return 'a quoted phrase';
    if (t.type === 'cmp') return `'${t.op}'`;
    return `'${t.type}'`;
  }

  expectEnd(): void {
    const t = this.peek();
    if (t) throw new ParseError(`unexpected ${this.describe(t)}${t.type === ')' ? ' (no matching opening parenthesis)' : ''}`, t.offset);
  }

  or(field: QueryField | undefined): QueryNode {
    const children = [this.and(field)];
    while (this.isKeyword(this.peek(), 'OR')) {
      this.pos++;
      children.push(this.and(field));
    }
    return children.length === 1 ? (children[0] as QueryNode) : { kind: 'or', children };
  }

  private and(field: QueryField | undefined): QueryNode {
    const children = [this.unary(field)];
    for (;;) {
      const t = this.peek();
      if (this.isKeyword(t, 'AND')) {
        this.pos++;
        children.push(this.unary(field));
        continue;
      }
      if (!t || t.type === ')' || this.isKeyword(t, 'OR')) break;
      children.push(this.unary(field));
    }
    return children.length === 1 ? (children[0] as QueryNode) : { kind: 'and', children };
  }

  private unary(field: QueryField | undefined): QueryNode {
    const t = this.peek();
    if (this.isKeyword(t, 'NOT') || t?.type === '-') {
      this.pos++;
      if (!this.peek() || this.peek()?.type === ')') throw new ParseError(`${t?.type === '-' ? "'-'" : 'NOT'} must be followed by a term`, this.offset());
      return { kind: 'not', child: this.unary(field) };
    }
    return this.primary(field);
  }

  private primary(field: QueryField | undefined): QueryNode {
    const t = this.peek();
    if (!t) throw new ParseError('expected a term, found the end of the query', this.end);
    if (t.type === '(') return this.parenthesized(field);
    if (t.type === '[' || t.type === '{') return this.leaf(field ?? ANY, this.range(), t.offset);
    if (t.type === 'cmp') {
      if (!field) throw new ParseError(`a comparison needs a field, e.g. attributes.battery${t.op}20`, t.offset);
      return this.comparison(field, t.offset);
    }
    if (isOperator(t)) throw new ParseError(`expected a term, found keyword ${t.keyword} (quote it or escape it as \\${t.keyword} to search the word)`, t.offset);
    if (t.type === 'phrase' || t.type === 'word') {
      const next = this.tokens[this.pos + 1];
      if (t.type === 'word' && (next?.type === ':' || next?.type === 'cmp')) {
        if (field) throw new ParseError(`a field inside the field group of ${field.name} is not allowed`, t.offset);
        return this.fielded(t);
      }
      this.pos++;
      return this.leaf(field ?? ANY, this.valueTest(t, field !== undefined), t.offset);
    }
    throw new ParseError(`unexpected ${this.describe(t)}`, t.offset);
  }

  private parenthesized(field: QueryField | undefined): QueryNode {
    const open = this.peek() as Token;
    this.pos++;
    if (this.peek()?.type === ')') throw new ParseError('empty parentheses', open.offset);
    const inner = this.or(field);
    if (this.peek()?.type !== ')') throw new ParseError(`expected ')' to close the parenthesis at offset ${open.offset}, found ${this.describe(this.peek())}`, this.offset());
    this.pos++;
    return inner;
  }

  private fielded(name: WordToken): QueryNode {
    const field = resolveField(name.text);
    this.pos++;
    if (this.peek()?.type === 'cmp') return this.comparison(field, name.offset);
    this.pos++; // ':'
    const t = this.peek();
    if (!t || t.type === ')' || isOperator(t)) throw new ParseError(`expected a value after '${name.text}:', found ${this.describe(t)}`, this.offset());
    if (t.type === '(') return this.parenthesized(field);
    if (t.type === '[' || t.type === '{') return this.leaf(field, this.range(), name.offset);
    if (t.type === 'cmp') return this.comparison(field, name.offset);
    if (t.type === 'word' || t.type === 'phrase') {
      this.pos++;
      return this.leaf(field, this.valueTest(t, true), name.offset);
    }
    throw new ParseError(`expected a value after '${name.text}:', found ${this.describe(t)}`, t.offset);
  }

  private comparison(field: QueryField, start: number): QueryNode {
    const cmp = this.peek() as Extract<Token, { type: 'cmp' }>;
    this.pos++;
    const v = this.peek();
    if (!v || (v.type !== 'word' && v.type !== 'phrase') || isOperator(v)) {
      throw new ParseError(`expected a value after '${cmp.op}', found ${this.describe(v)}`, this.offset());
    }
    this.pos++;
    const op: CompareOp = cmp.op;
    return this.leaf(field, { kind: 'compare', op, ...operand(v.text) }, start);
  }

  private bound(inclusive: boolean, side: string): Bound | undefined {
    const t = this.peek();
    // Inside a range only TO is a keyword: `[a TO AND]` bounds the range by the word "and".
    if (!t || (t.type !== 'word' && t.type !== 'phrase') || (t.type === 'word' && t.keyword === 'TO')) {
      throw new ParseError(`expected the ${side} bound of the range, found ${this.describe(t)}`, this.offset());
    }
    this.pos++;
    // An unescaped lone `*` is an open bound, as in Lucene.
    if (t.type === 'word' && t.text === '*' && t.stars === 1) return undefined;
    return { ...operand(t.text), inclusive };
  }

  private range(): ValueTest {
    const open = this.peek() as Token;
    this.pos++;
    const lower = this.bound(open.type === '[', 'lower');
    if (!this.isKeyword(this.peek(), 'TO')) throw new ParseError(`expected TO in the range, found ${this.describe(this.peek())}`, this.offset());
    this.pos++;
    const close = this.tokens[this.pos + 1];
    const upper = this.bound(close?.type === ']', 'upper');
    if (close?.type !== ']' && close?.type !== '}') throw new ParseError(`expected ']' or '}' to close the range, found ${this.describe(close)}`, this.offset());
    this.pos++;
    return { kind: 'range', ...(lower ? { lower } : {}), ...(upper ? { upper } : {}) };
  }

  private valueTest(t: WordToken | Extract<Token, { type: 'phrase' }>, fielded: boolean): ValueTest {
    if (t.type === 'phrase') return { kind: 'equals', ...operand(t.text) };
    if (t.stars === 1 && t.marks === 0 && t.text === '*') return { kind: 'exists' };
    if (t.leadingWildcard) throw new ParseError(`a term cannot start with a wildcard (${t.text})${fielded ? '' : '; a lone * matches everything'}`, t.offset);
    if (t.stars > MAX_STARS_PER_TERM) throw new ParseError(`at most ${MAX_STARS_PER_TERM} '*' wildcards per term (${t.text} has ${t.stars})`, t.offset);
    if (t.marks > MAX_QUESTION_MARKS_PER_TERM) throw new ParseError(`at most ${MAX_QUESTION_MARKS_PER_TERM} '?' wildcards per term (${t.text} has ${t.marks})`, t.offset);
    if (t.stars + t.marks > 0) return { kind: 'wildcard', pattern: compileWildcard(t.parts, { caseInsensitive: true }) };
    return { kind: 'equals', ...operand(t.text) };
  }

  private leaf(field: QueryField, test: ValueTest, offset: number): QueryNode {
    this.terms++;
    if (this.terms > MAX_TERMS) throw new ParseError(`the query has more than ${MAX_TERMS} terms, AWS's limit per query`, offset);
    return { kind: 'term', field, test };
  }
}
