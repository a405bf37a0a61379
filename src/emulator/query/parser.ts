// Recursive-descent parser for the fleet-indexing query language (Lucene classic syntax subset).
//
//   query   := or EOF
//   or      := and ('OR' and)*
//   and     := unary (['AND'] unary)*          -- juxtaposition is AND; `a NOT b` is `a AND NOT b`
//   unary   := 'NOT' unary | '-' unary | primary
//   primary := '(' or ')' | field ':' value | field ':' '(' or ')' | field cmp value
//            | field ':' cmp value | range | value
//   range   := ('[' | '{') bound 'TO' bound (']' | '}')
//
// Inside a field group `field:( ... )` bare values, ranges and comparisons use that field.
import { defaultLimits, QueryError } from './ast.js';
import type { Bound, CompareOp, Field, Query, QueryLimits, QueryNode, ValueTest } from './ast.js';
import { anyField, resolveField } from './fields.js';
import { at, tokenize } from './lexer.js';
import type { Token, TokenKind } from './lexer.js';
import { equalsTest, operand, wordTest } from './value-test.js';

type Ctx = { readonly field: Field | undefined };

const keywords = new Set(['AND', 'OR', 'NOT']);

/**
 * Parses and validates a query. Throws QueryError for anything AWS answers with
 * InvalidQueryException. `limits` defaults to AWS-IOT-FACTS.md §4.
 */
export function parseQuery(text: string, limits: QueryLimits = defaultLimits): Query {
  if (typeof text !== 'string') throw new QueryError('query string must be a string');
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > limits.maxBytes) {
    throw new QueryError(`query is ${bytes} bytes long; the maximum is ${limits.maxBytes}`);
  }
  const tokens = tokenize(text);
  if (tokens.length === 1) throw new QueryError('query string is empty');
  const parser = new Parser(tokens, limits);
  const root = parser.parseQuery();
  if (parser.termCount > limits.maxTerms) {
    throw new QueryError(`query has ${parser.termCount} terms; the maximum is ${limits.maxTerms}`);
  }
  return { text, root, termCount: parser.termCount, unqualifiedTerms: parser.unqualifiedTerms };
}

function isKeyword(token: Token, word?: string): boolean {
  if (token.kind !== 'word' || token.escaped || !keywords.has(token.text)) return false;
  return word === undefined || token.text === word;
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'eof':
      return 'end of query';
    case 'word':
      return isKeyword(token) ? `operator ${token.text}` : `'${token.text}'`;
    case 'phrase':
      return `"${token.text}"`;
    case 'cmp':
      return `'${token.op}'`;
    case 'minus':
      return `'-'`;
    default:
      return `'${({ lparen: '(', rparen: ')', lbrack: '[', rbrack: ']', lbrace: '{', rbrace: '}', colon: ':' } as const)[token.kind]}'`;
  }
}

class Parser {
  private index = 0;
  termCount = 0;
  unqualifiedTerms = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly limits: QueryLimits,
  ) {}

  parseQuery(): QueryNode {
    const root = this.parseOr({ field: undefined });
    const rest = this.peek();
    if (rest.kind === 'rparen') throw new QueryError(`unbalanced parentheses: unexpected ')' ${at(rest.pos)}`);
    if (rest.kind !== 'eof') throw new QueryError(`unexpected ${describe(rest)} ${at(rest.pos)}`);
    return root;
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)];
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.index++;
    return token;
  }

  private expect(kind: TokenKind, what: string, opened: Token): Token {
    const token = this.peek();
    if (token.kind !== kind) {
      throw new QueryError(`${what} for ${describe(opened)} ${at(opened.pos)}, found ${describe(token)} ${at(token.pos)}`);
    }
    return this.next();
  }

  private parseOr(ctx: Ctx): QueryNode {
    const children = [this.parseAnd(ctx)];
    while (isKeyword(this.peek(), 'OR')) {
      const op = this.next();
      this.requireOperand(op);
      children.push(this.parseAnd(ctx));
    }
    return children.length === 1 ? children[0] : { kind: 'or', children };
  }

  private parseAnd(ctx: Ctx): QueryNode {
    const children = [this.parseUnary(ctx)];
    for (;;) {
      const token = this.peek();
      if (token.kind === 'eof' || token.kind === 'rparen' || isKeyword(token, 'OR')) break;
      if (isKeyword(token, 'AND')) {
        this.next();
        this.requireOperand(token);
      }
      children.push(this.parseUnary(ctx));
    }
    return children.length === 1 ? children[0] : { kind: 'and', children };
  }

  /** A binary or unary operator must be followed by something it can apply to. */
  private requireOperand(op: Token): void {
    const token = this.peek();
    if (token.kind === 'eof' || token.kind === 'rparen' || isKeyword(token, 'OR') || isKeyword(token, 'AND')) {
      throw new QueryError(`${describe(op)} ${at(op.pos)} is missing its right-hand term (found ${describe(token)})`);
    }
  }

  private parseUnary(ctx: Ctx): QueryNode {
    const token = this.peek();
    if (isKeyword(token, 'NOT') || token.kind === 'minus') {
      this.next();
      this.requireOperand(token);
      return { kind: 'not', child: this.parseUnary(ctx) };
    }
    return this.parsePrimary(ctx);
  }

  private parsePrimary(ctx: Ctx): QueryNode {
    const token = this.peek();
    switch (token.kind) {
      case 'lparen': {
        this.next();
        if (this.peek().kind === 'rparen') throw new QueryError(`empty parentheses ${at(token.pos)}`);
        const inner = this.parseOr(ctx);
        this.expect('rparen', `unbalanced parentheses: missing ')'`, token);
        return inner;
      }
      case 'lbrack':
      case 'lbrace':
        return this.term(ctx.field ?? anyField, this.parseRange());
      case 'cmp': {
        if (ctx.field === undefined) {
          throw new QueryError(`comparison ${describe(token)} ${at(token.pos)} needs a field, as in attributes.battery${token.op}20`);
        }
        this.next();
        return this.term(ctx.field, this.parseCompareValue(token.op, token));
      }
      case 'phrase':
        this.next();
        return this.term(ctx.field ?? anyField, equalsTest(token.text));
      case 'word':
        if (isKeyword(token)) {
          throw new QueryError(`unexpected operator ${token.text} ${at(token.pos)}: it needs a term on both sides`);
        }
        return this.parseWordStart(ctx, token);
      case 'eof':
        throw new QueryError(`query ends where a term was expected`);
      case 'rparen':
        throw new QueryError(`unbalanced parentheses: unexpected ')' ${at(token.pos)}`);
      default:
        throw new QueryError(`unexpected ${describe(token)} ${at(token.pos)}`);
    }
  }

  private parseWordStart(ctx: Ctx, token: Extract<Token, { kind: 'word' }>): QueryNode {
    const after = this.peek(1);
    if (after.kind !== 'colon' && after.kind !== 'cmp') {
      this.next();
      return this.term(ctx.field ?? anyField, this.wordValue(token));
    }
    if (ctx.field !== undefined) {
      throw new QueryError(`field '${token.text}' ${at(token.pos)} can't appear inside the field group of '${ctx.field.name}'`);
    }
    this.next();
    this.next();
    const field = resolveField(token.text);
    if (after.kind === 'cmp') return this.term(field, this.parseCompareValue(after.op, after));

    const value = this.peek();
    switch (value.kind) {
      case 'lparen': {
        this.next();
        if (this.peek().kind === 'rparen') throw new QueryError(`empty field group for '${field.name}' ${at(value.pos)}`);
        const inner = this.parseOr({ field });
        this.expect('rparen', `unbalanced parentheses: missing ')'`, value);
        return inner;
      }
      case 'lbrack':
      case 'lbrace':
        return this.term(field, this.parseRange());
      case 'cmp':
        this.next();
        return this.term(field, this.parseCompareValue(value.op, value));
      case 'phrase':
        this.next();
        return this.term(field, equalsTest(value.text));
      case 'word':
        if (!isKeyword(value)) {
          this.next();
          return this.term(field, this.wordValue(value));
        }
        break;
      default:
        break;
    }
    throw new QueryError(`'${field.name}:' ${at(token.pos)} is missing a value (found ${describe(value)})`);
  }

  private parseCompareValue(op: CompareOp, opToken: Token): ValueTest {
    const value = this.next();
    if (value.kind === 'phrase' || (value.kind === 'word' && !isKeyword(value))) {
      return { kind: 'compare', op, ...operand(value.text) };
    }
    throw new QueryError(`comparison '${op}' ${at(opToken.pos)} is missing a value (found ${describe(value)})`);
  }

  private parseRange(): ValueTest {
    const open = this.next();
    const lowerInclusive = open.kind === 'lbrack';
    const lower = this.parseBound(open, 'lower');
    const to = this.next();
    if (to.kind !== 'word' || to.escaped || to.text !== 'TO') {
      throw new QueryError(`bad range ${at(open.pos)}: expected 'TO' after the lower bound, found ${describe(to)}`);
    }
    const upper = this.parseBound(open, 'upper');
    const close = this.next();
    if (close.kind !== 'rbrack' && close.kind !== 'rbrace') {
      throw new QueryError(`bad range ${at(open.pos)}: expected ']' or '}' after the upper bound, found ${describe(close)}`);
    }
    const upperInclusive = close.kind === 'rbrack';
    return {
      kind: 'range',
      lower: lower === undefined ? undefined : { ...lower, inclusive: lowerInclusive },
      upper: upper === undefined ? undefined : { ...upper, inclusive: upperInclusive },
    };
  }

  /** `*` as a bound means unbounded on that side, as in Lucene. */
  private parseBound(open: Token, side: 'lower' | 'upper'): Omit<Bound, 'inclusive'> | undefined {
    const token = this.next();
    if (token.kind === 'phrase') return operand(token.text);
    if (token.kind === 'word' && !(token.text === 'TO' && !token.escaped)) {
      if (token.text === '*' && !token.escaped) return undefined;
      return operand(token.text);
    }
    throw new QueryError(`bad range ${at(open.pos)}: missing the ${side} bound (found ${describe(token)})`);
  }

  private wordValue(token: Extract<Token, { kind: 'word' }>): ValueTest {
    return wordTest(token.parts, token.text, token.pos, this.limits);
  }

  private term(field: Field, test: ValueTest): QueryNode {
    this.termCount++;
    if (field.source === 'any') this.unqualifiedTerms++;
    return { kind: 'term', field, test };
  }
}
