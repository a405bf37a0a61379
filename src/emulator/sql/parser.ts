// A recursive-descent parser for the AWS IoT SQL accepted by CreateTopicRule / ReplaceTopicRule:
//   [SET @v = expr, ...] SELECT [VALUE] items [FROM '<topic filter>'] [WHERE expr]
// It checks syntax only (the emulator never evaluates rules). Function names are not checked
// against AWS's list, so a new AWS function never makes the emulator reject a valid rule.
import { SqlSyntaxError, tokenize, type Token } from './lexer.js';
import { topicFilterProblem } from './topic-filter.js';

export type Expr =
  | { readonly type: 'literal'; readonly value: string | number | boolean | null }
  | { readonly type: 'field'; readonly name: string }
  | { readonly type: 'var'; readonly name: string }
  | { readonly type: 'template'; readonly text: string }
  | { readonly type: 'star' }
  | { readonly type: 'member'; readonly object: Expr; readonly name: string }
  | { readonly type: 'index'; readonly object: Expr; readonly index: Expr }
  | { readonly type: 'call'; readonly name: string; readonly args: readonly Expr[]; readonly castTo?: string }
  | { readonly type: 'unary'; readonly op: string; readonly operand: Expr }
  | { readonly type: 'binary'; readonly op: string; readonly left: Expr; readonly right: Expr }
  | { readonly type: 'array'; readonly items: readonly Expr[] }
  | { readonly type: 'object'; readonly entries: ReadonlyArray<readonly [string, Expr]> }
  | { readonly type: 'case'; readonly subject?: Expr; readonly whens: ReadonlyArray<readonly [Expr, Expr]>; readonly otherwise?: Expr }
  | { readonly type: 'subquery'; readonly query: Query };

export interface SelectItem {
  readonly expr: Expr;
  readonly alias?: string;
}

export interface Query {
  readonly value: boolean;
  readonly items: readonly SelectItem[];
  /** Top level: the topic filter; in a nested query: the expression selected from. */
  readonly from?: string | Expr;
  readonly where?: Expr;
}

export interface Statement extends Query {
  readonly set: ReadonlyArray<readonly [string, Expr]>;
  readonly topicFilter?: string;
}

export { SqlSyntaxError };

export function parseSql(sql: string): Statement {
  return new Parser(tokenize(sql)).statement();
}

const COMPARISON = new Set(['=', '<>', '!=', '<', '<=', '>', '>=']);

class Parser {
  private i = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  statement(): Statement {
    const set: Array<readonly [string, Expr]> = [];
    if (this.acceptKeyword('SET')) {
      do {
        const v = this.next();
        if (v.kind !== 'var') throw this.error('Expected a variable (@name) after SET', v);
        this.expectOp('=');
        set.push([v.value, this.expr()]);
      } while (this.acceptOp(','));
    }
    const q = this.query(true);
    const end = this.peek();
    if (end.kind !== 'eof') throw this.error(`Unexpected '${end.value}'`, end);
    const topicFilter = typeof q.from === 'string' ? q.from : undefined;
    return { ...q, set, ...(topicFilter !== undefined ? { topicFilter } : {}) };
  }

  private query(topLevel: boolean): Query {
    this.expectKeyword('SELECT');
    const value = this.selectValueKeyword();
    const items: SelectItem[] = [];
    do items.push(this.selectItem());
    while (this.acceptOp(','));
    let from: string | Expr | undefined;
    if (this.acceptKeyword('FROM')) {
      if (topLevel) {
        const t = this.next();
        if (t.kind !== 'string') throw this.error('FROM takes a topic filter in single quotes', t);
        const problem = topicFilterProblem(t.value);
        if (problem) throw this.error(problem, t);
        from = t.value;
      } else {
        from = this.expr();
      }
    } else if (!topLevel) {
      throw this.error('A nested SELECT needs FROM', this.peek());
    }
    const where = this.acceptKeyword('WHERE') ? this.expr() : undefined;
    return { value, items, ...(from !== undefined ? { from } : {}), ...(where ? { where } : {}) };
  }

  /** VALUE is a keyword right after SELECT unless it is used as a field name (`SELECT value FROM`). */
  private selectValueKeyword(): boolean {
    const t = this.peek();
    if (t.kind !== 'keyword' || t.value !== 'VALUE') return false;
    const after = this.tokens[this.i + 1];
    const isField =
      (after.kind === 'keyword' && ['FROM', 'AS', 'WHERE', 'AND', 'OR', 'IN', 'CONTAINS'].includes(after.value)) ||
      (after.kind === 'op' && !['(', '[', '{', '-', '+', '*'].includes(after.value)) ||
      after.kind === 'eof';
    if (isField) return false;
    this.i++;
    return true;
  }

  private selectItem(): SelectItem {
    const expr = this.peekOp('*') ? (this.next(), { type: 'star' as const }) : this.expr();
    if (this.acceptKeyword('AS')) return { expr, alias: this.name('Expected an alias after AS') };
    const t = this.peek();
    if (t.kind === 'ident' || t.kind === 'dstring') {
      this.i++;
      return { expr, alias: t.value };
    }
    return { expr };
  }

  expr(): Expr {
    return this.or();
  }

  private or(): Expr {
    let left = this.and();
    while (this.acceptKeyword('OR')) left = { type: 'binary', op: 'OR', left, right: this.and() };
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.acceptKeyword('AND')) left = { type: 'binary', op: 'AND', left, right: this.not() };
    return left;
  }

  private not(): Expr {
    if (this.acceptKeyword('NOT')) return { type: 'unary', op: 'NOT', operand: this.not() };
    return this.comparison();
  }

  private comparison(): Expr {
    const left = this.additive();
    const t = this.peek();
    if (t.kind === 'op' && COMPARISON.has(t.value)) {
      this.i++;
      return { type: 'binary', op: t.value, left, right: this.additive() };
    }
    if (t.kind === 'keyword' && (t.value === 'IN' || t.value === 'CONTAINS')) {
      this.i++;
      return { type: 'binary', op: t.value, left, right: this.additive() };
    }
    return left;
  }

  private additive(): Expr {
    let left = this.multiplicative();
    for (let t = this.peek(); t.kind === 'op' && ['+', '-', '||'].includes(t.value); t = this.peek()) {
      this.i++;
      left = { type: 'binary', op: t.value, left, right: this.multiplicative() };
    }
    return left;
  }

  private multiplicative(): Expr {
    let left = this.unary();
    for (let t = this.peek(); t.kind === 'op' && ['*', '/', '%'].includes(t.value); t = this.peek()) {
      this.i++;
      left = { type: 'binary', op: t.value, left, right: this.unary() };
    }
    return left;
  }

  private unary(): Expr {
    const t = this.peek();
    if (t.kind === 'op' && (t.value === '-' || t.value === '+')) {
      this.i++;
      return { type: 'unary', op: t.value, operand: this.unary() };
    }
    return this.postfix(this.primary());
  }

  private postfix(base: Expr): Expr {
    let e = base;
    for (;;) {
      if (this.acceptOp('.')) {
        if (this.acceptOp('*')) e = { type: 'member', object: e, name: '*' };
        else e = { type: 'member', object: e, name: this.name('Expected a field name after .', true) };
      } else if (this.acceptOp('[')) {
        e = { type: 'index', object: e, index: this.expr() };
        this.expectOp(']');
      } else {
        return e;
      }
    }
  }

  private primary(): Expr {
    const t = this.next();
    switch (t.kind) {
      case 'number':
        return { type: 'literal', value: Number(t.value) };
      case 'string':
      case 'dstring':
        return { type: 'literal', value: t.value };
      case 'template':
        return { type: 'template', text: t.value };
      case 'var':
        return { type: 'var', name: t.value };
      case 'ident':
        return this.peekOp('(') ? this.call(t.value) : { type: 'field', name: t.value };
      case 'keyword':
        if (t.value === 'TRUE' || t.value === 'FALSE') return { type: 'literal', value: t.value === 'TRUE' };
        if (t.value === 'NULL') return { type: 'literal', value: null };
        if (t.value === 'CASE') return this.caseExpr();
        if (t.value === 'VALUE') return this.peekOp('(') ? this.call(t.text ?? t.value) : { type: 'field', name: t.text ?? t.value };
        // Other keywords double as field names after a dot only; anywhere else they are misplaced.
        throw this.error(`Unexpected keyword ${t.value}`, t);
      case 'op':
        return this.bracketed(t);
      default:
        throw this.error('Unexpected end of statement', t);
    }
  }

  private bracketed(t: Token): Expr {
    if (t.value === '(') {
      if (this.peek().kind === 'keyword' && this.peek().value === 'SELECT') {
        const query = this.query(false);
        this.expectOp(')');
        return { type: 'subquery', query };
      }
      const inner = this.expr();
      this.expectOp(')');
      return inner;
    }
    if (t.value === '[') {
      const items: Expr[] = [];
      if (!this.acceptOp(']')) {
        do items.push(this.expr());
        while (this.acceptOp(','));
        this.expectOp(']');
      }
      return { type: 'array', items };
    }
    if (t.value === '{') {
      const entries: Array<readonly [string, Expr]> = [];
      if (!this.acceptOp('}')) {
        do {
          const key = this.next();
          if (key.kind !== 'dstring' && key.kind !== 'string' && key.kind !== 'ident') throw this.error('Expected an object key', key);
          this.expectOp(':');
          entries.push([key.value, this.peekOp('*') ? (this.next(), { type: 'star' as const }) : this.expr()]);
        } while (this.acceptOp(','));
        this.expectOp('}');
      }
      return { type: 'object', entries };
    }
    throw this.error(`Unexpected '${t.value}'`, t);
  }

  private call(name: string): Expr {
    this.expectOp('(');
    const args: Expr[] = [];
    let castTo: string | undefined;
    if (!this.acceptOp(')')) {
      do args.push(this.peekOp('*') ? (this.next(), { type: 'star' as const }) : this.expr());
      while (this.acceptOp(','));
      if (name.toLowerCase() === 'cast') {
        this.expectKeyword('AS');
        castTo = this.name('Expected a type after AS in cast()');
      }
      this.expectOp(')');
    }
    if (name.toLowerCase() === 'cast' && (args.length !== 1 || castTo === undefined)) {
      throw this.error('cast() takes the form cast(value AS type)', this.tokens[this.i - 1]);
    }
    return { type: 'call', name, args, ...(castTo ? { castTo } : {}) };
  }

  private caseExpr(): Expr {
    const subject = this.peek().kind === 'keyword' && this.peek().value === 'WHEN' ? undefined : this.expr();
    const whens: Array<readonly [Expr, Expr]> = [];
    while (this.acceptKeyword('WHEN')) {
      const cond = this.expr();
      this.expectKeyword('THEN');
      whens.push([cond, this.expr()]);
    }
    if (whens.length === 0) throw this.error('CASE needs at least one WHEN', this.peek());
    const otherwise = this.acceptKeyword('ELSE') ? this.expr() : undefined;
    this.expectKeyword('END');
    return { type: 'case', ...(subject ? { subject } : {}), whens, ...(otherwise ? { otherwise } : {}) };
  }

  /** An identifier; after a dot, keywords are plain field names too (`state.value`). */
  private name(message: string, keywordsAllowed = false): string {
    const t = this.next();
    if (t.kind === 'ident' || t.kind === 'dstring' || (keywordsAllowed && t.kind === 'keyword')) {
      return t.kind === 'keyword' ? (t.text ?? t.value) : t.value;
    }
    throw this.error(message, t);
  }

  private peek(): Token {
    return this.tokens[this.i];
  }

  private next(): Token {
    const t = this.tokens[this.i];
    if (t.kind !== 'eof') this.i++;
    return t;
  }

  private peekOp(op: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.value === op;
  }

  private acceptOp(op: string): boolean {
    if (!this.peekOp(op)) return false;
    this.i++;
    return true;
  }

  private expectOp(op: string): void {
    if (!this.acceptOp(op)) throw this.error(`Expected '${op}'`, this.peek());
  }

  private acceptKeyword(kw: string): boolean {
    const t = this.peek();
    if (t.kind !== 'keyword' || t.value !== kw) return false;
    this.i++;
    return true;
  }

  private expectKeyword(kw: string): void {
    if (!this.acceptKeyword(kw)) throw this.error(`Expected ${kw}`, this.peek());
  }

  private error(message: string, t: Token): SqlSyntaxError {
    return new SqlSyntaxError(message, t.pos);
  }
}
