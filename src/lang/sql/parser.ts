// Recursive-descent parser of AWS IoT SQL. It builds no tree: it checks the grammar and
// collects semantic issues (unknown functions, version-gated features, undefined @variables)
// on the way. Grammar (keywords case-insensitive):
//   statement := [SET @v = expr {, @v = expr}] SELECT [VALUE] items [FROM 'filter'] [WHERE expr]
//   items     := item {, item};  item := * | path.* | expr [AS name]
//   expr      := or;  or := and {OR and};  and := not {AND not};  not := NOT not | cmp
//   cmp       := add [(= | <> | != | < | > | <= | >=) add | IS [NOT] (NULL | UNDEFINED)]
//   add := mul {(+|-) mul};  mul := unary {(*|/|%) unary};  unary := (-|+) unary | postfix
//   postfix   := primary {. name | [expr]}
//   primary   := literal | name | name(args) | @v | (expr) | (SELECT … FROM expr …) | CASE … END | {…} | […]

import { suggestion } from '../policy/did-you-mean.js';
import { isKnownSqlFunction, SQL_FUNCTIONS } from './functions.js';
import type { Token } from './tokenizer.js';

export interface ParseIssue {
  readonly message: string;
  readonly offset: number;
}

/** Thrown on the first syntax error; semantic issues are collected without stopping. */
class SyntaxFailure extends Error {
  constructor(readonly issue: ParseIssue) {
    super(issue.message);
  }
}

const RESERVED = new Set([
  'SELECT', 'FROM', 'WHERE', 'AS', 'AND', 'OR', 'NOT', 'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'IS', 'SET',
]);
const COMPARISONS = ['=', '<>', '!=', '<', '>', '<=', '>='];

export interface ParseResult {
  readonly issues: readonly ParseIssue[];
  /** The FROM topic filter token of the top-level statement, when present. */
  readonly from?: Token;
}

export function parseIotSql(tokens: readonly Token[], sqlVersion: string): ParseResult {
  const issues: ParseIssue[] = [];
  const variables = new Set<string>();
  const modern = sqlVersion !== '2015-10-08';
  let pos = 0;
  let from: Token | undefined;

  const peek = (ahead = 0): Token => tokens[Math.min(pos + ahead, tokens.length - 1)];
  const next = (): Token => tokens[Math.min(pos++, tokens.length - 1)];
  const isKeyword = (t: Token, kw: string): boolean => t.type === 'ident' && t.value.toUpperCase() === kw;
  const isOp = (t: Token, op: string): boolean => t.type === 'op' && t.value === op;
  const describe = (t: Token): string => (t.type === 'eof' ? 'the end of the statement' : t.type === 'string' ? `'${t.value}'` : `"${t.value}"`);
  const fail = (t: Token, expected: string): never => {
    throw new SyntaxFailure({ message: `expected ${expected} but found ${describe(t)}`, offset: t.offset });
  };
  const expectOp = (op: string): Token => (isOp(peek(), op) ? next() : fail(peek(), `"${op}"`));
  const expectKeyword = (kw: string): Token => (isKeyword(peek(), kw) ? next() : fail(peek(), kw));
  const needsModern = (t: Token, feature: string): void => {
    if (!modern) issues.push({ message: `${feature} needs sqlVersion 2016-03-23 (this rule uses ${sqlVersion})`, offset: t.offset });
  };

  function name(): Token {
    const t = peek();
    if (t.type === 'ident' && !RESERVED.has(t.value.toUpperCase())) return next();
    if (t.type === 'string') return next();
    return fail(t, 'a field name');
  }

  /** `*` (the whole payload) is a valid argument: encode(*, 'base64'), aws_lambda(arn, *). */
  function argument(): void {
    if (isOp(peek(), '*') && (isOp(peek(1), ',') || isOp(peek(1), ')'))) {
      next();
      return;
    }
    expr();
  }

  function args(): void {
    if (isOp(peek(), ')')) {
      next();
      return;
    }
    argument();
    while (isOp(peek(), ',')) {
      next();
      argument();
    }
    expectOp(')');
  }

  function functionCall(fn: Token): void {
    if (!isKnownSqlFunction(fn.value)) {
      issues.push({ message: `unknown function "${fn.value}"${suggestion(fn.value, SQL_FUNCTIONS)}`, offset: fn.offset });
    }
    expectOp('(');
    if (fn.value.toLowerCase() !== 'cast') return args();
    expr();
    expectKeyword('AS');
    const type = next();
    if (type.type !== 'ident') fail(type, 'a type name (Int, Decimal, Boolean, String)');
    expectOp(')');
  }

  function caseExpr(): void {
    if (!isKeyword(peek(), 'WHEN')) expr();
    if (!isKeyword(peek(), 'WHEN')) fail(peek(), 'WHEN');
    while (isKeyword(peek(), 'WHEN')) {
      next();
      expr();
      expectKeyword('THEN');
      expr();
    }
    if (isKeyword(peek(), 'ELSE')) {
      next();
      expr();
    }
    expectKeyword('END');
  }

  function objectLiteral(open: Token): void {
    needsModern(open, 'object literals');
    if (isOp(peek(), '}')) {
      next();
      return;
    }
    do {
      const key = next();
      if (key.type !== 'string' && key.type !== 'ident') fail(key, 'an object key');
      expectOp(':');
      expr();
    } while (isOp(peek(), ',') && next());
    expectOp('}');
  }

  function arrayLiteral(open: Token): void {
    needsModern(open, 'array literals');
    if (isOp(peek(), ']')) {
      next();
      return;
    }
    expr();
    while (isOp(peek(), ',')) {
      next();
      expr();
    }
    expectOp(']');
  }

  function primary(): void {
    const t = peek();
    if (t.type === 'number' || t.type === 'string') {
      next();
      return;
    }
    if (t.type === 'variable') {
      next();
      if (!variables.has(t.value)) issues.push({ message: `variable @${t.value} is not defined in the SET clause`, offset: t.offset });
      return;
    }
    if (isOp(t, '(')) {
      next();
      if (isKeyword(peek(), 'SELECT')) {
        needsModern(peek(), 'nested queries');
        select(true);
      } else {
        expr();
      }
      expectOp(')');
      return;
    }
    if (isOp(t, '{')) return objectLiteral(next());
    if (isOp(t, '[')) return arrayLiteral(next());
    if (t.type !== 'ident') return fail(t, 'an expression');
    const upper = t.value.toUpperCase();
    if (upper === 'CASE') {
      next();
      return caseExpr();
    }
    if (RESERVED.has(upper)) return fail(t, 'an expression');
    next();
    if (isOp(peek(), '(')) functionCall(t);
  }

  function postfix(): void {
    primary();
    for (;;) {
      if (isOp(peek(), '.')) {
        next();
        name();
      } else if (isOp(peek(), '[')) {
        next();
        expr();
        expectOp(']');
      } else {
        return;
      }
    }
  }

  function unary(): void {
    if (isOp(peek(), '-') || isOp(peek(), '+')) next();
    if (isOp(peek(), '-') || isOp(peek(), '+')) return unary();
    postfix();
  }

  function binary(operand: () => void, ops: readonly string[]): () => void {
    return () => {
      operand();
      while (peek().type === 'op' && ops.includes(peek().value)) {
        next();
        operand();
      }
    };
  }
  const mul = binary(unary, ['*', '/', '%']);
  const add = binary(mul, ['+', '-']);

  function comparison(): void {
    add();
    const t = peek();
    if (t.type === 'op' && COMPARISONS.includes(t.value)) {
      next();
      add();
      return;
    }
    if (isKeyword(t, 'IS')) {
      next();
      if (isKeyword(peek(), 'NOT')) next();
      const what = next();
      if (!isKeyword(what, 'NULL') && !isKeyword(what, 'UNDEFINED')) fail(what, 'NULL or UNDEFINED after IS');
    }
  }

  function not(): void {
    if (isKeyword(peek(), 'NOT')) {
      next();
      return not();
    }
    comparison();
  }

  function and(): void {
    not();
    while (isKeyword(peek(), 'AND')) {
      next();
      not();
    }
  }

  function expr(): void {
    and();
    while (isKeyword(peek(), 'OR')) {
      next();
      and();
    }
  }

  /** `a.b.*` in a SELECT list; returns false (position unchanged) when the item is not of that form. */
  function pathStar(): boolean {
    const start = pos;
    while (peek().type === 'ident' && !RESERVED.has(peek().value.toUpperCase()) && isOp(peek(1), '.')) {
      pos += 2;
      if (isOp(peek(), '*')) {
        next();
        return true;
      }
    }
    pos = start;
    return false;
  }

  function selectItem(): void {
    if (isOp(peek(), '*')) {
      next();
      return;
    }
    if (pathStar()) return;
    expr();
    if (isKeyword(peek(), 'AS')) {
      next();
      const alias = next();
      if (alias.type !== 'ident' && alias.type !== 'string') fail(alias, 'an alias name after AS');
    }
  }

  function select(nested: boolean): void {
    expectKeyword('SELECT');
    const value = peek();
    const valueIsKeyword =
      isKeyword(value, 'VALUE') && !isKeyword(peek(1), 'FROM') && !isKeyword(peek(1), 'AS') && !isOp(peek(1), ',');
    if (valueIsKeyword) {
      next();
      needsModern(value, 'SELECT VALUE');
      expr();
    } else {
      selectItem();
      while (isOp(peek(), ',')) {
        next();
        selectItem();
      }
    }
    if (isKeyword(peek(), 'FROM')) {
      next();
      if (nested) {
        argument();
        if (isKeyword(peek(), 'AS')) {
          next();
          name();
        }
      } else {
        const topic = peek();
        if (topic.type !== 'string') fail(topic, "a quoted topic filter after FROM (e.g. FROM 'sensors/+/telemetry')");
        from = next();
      }
    } else if (nested) {
      fail(peek(), 'FROM in a nested query');
    }
    if (isKeyword(peek(), 'WHERE')) {
      next();
      expr();
    }
  }

  function setClause(): void {
    expectKeyword('SET');
    do {
      const variable = next();
      if (variable.type !== 'variable') fail(variable, 'a variable (@name) to SET');
      if (variable.value.length > 64) issues.push({ message: `variable @${variable.value} is longer than 64 characters`, offset: variable.offset });
      expectOp('=');
      expr();
      if (variables.has(variable.value)) issues.push({ message: `variable @${variable.value} is assigned twice (variables are immutable)`, offset: variable.offset });
      variables.add(variable.value);
    } while (isOp(peek(), ',') && next());
  }

  try {
    if (isKeyword(peek(), 'SET')) setClause();
    select(false);
    if (peek().type !== 'eof') {
      const t = peek();
      throw new SyntaxFailure({ message: `unexpected ${describe(t)} after the end of the statement`, offset: t.offset });
    }
  } catch (err) {
    if (!(err instanceof SyntaxFailure)) throw err;
    issues.push(err.issue);
  }
  return { issues, from };
}
