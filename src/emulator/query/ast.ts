// Data types shared by the query lexer, parser and matcher. The AST is plain data except for the
// matcher of wildcard tests, which is compiled once at parse time so matching stays allocation-free.
import type { WildcardMatcher } from './wildcard.js';

/** What the index holds for one thing: the shape SearchIndex returns and dynamic groups test. */
export type ThingDocument = {
  thingName: string;
  thingId: string;
  thingTypeName?: string;
  thingGroupNames: readonly string[];
  attributes: Readonly<Record<string, string>>;
  shadow?: { reported?: unknown; desired?: unknown };
  connectivity?: { connected: boolean; timestamp?: number; disconnectReason?: string };
};

/** A query AWS would reject; the message is what InvalidQueryException carries. */
export class QueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueryError';
  }
}

/** Where a term looks in a document. `any` is an unqualified term; `unknown` never matches. */
export type FieldSource =
  | 'thingName'
  | 'thingId'
  | 'thingTypeName'
  | 'thingGroupNames'
  | 'attribute'
  | 'shadowReported'
  | 'shadowDesired'
  | 'shadowDelta'
  | 'shadowHasDelta'
  | 'connected'
  | 'connectivityTimestamp'
  | 'disconnectReason'
  | 'any'
  | 'unknown';

export type Field = {
  /** The field as written in the query (`attributes.battery`), or `*` for unqualified terms. */
  readonly name: string;
  readonly source: FieldSource;
  /** Attribute name (one element) or the JSON path below the shadow section. */
  readonly path: readonly string[];
};

/** A literal operand: lower-cased text plus its number when the text is numeric. */
export type Operand = { readonly text: string; readonly num: number | undefined };

export type CompareOp = '<' | '<=' | '>' | '>=';

export type Bound = Operand & { readonly inclusive: boolean };

export type ValueTest =
  | { readonly kind: 'exists' }
  | ({ readonly kind: 'equals' } & Operand)
  | { readonly kind: 'wildcard'; readonly pattern: string; readonly matcher: WildcardMatcher }
  | ({ readonly kind: 'compare'; readonly op: CompareOp } & Operand)
  | { readonly kind: 'range'; readonly lower: Bound | undefined; readonly upper: Bound | undefined };

export type QueryNode =
  | { readonly kind: 'term'; readonly field: Field; readonly test: ValueTest }
  | { readonly kind: 'and'; readonly children: readonly QueryNode[] }
  | { readonly kind: 'or'; readonly children: readonly QueryNode[] }
  | { readonly kind: 'not'; readonly child: QueryNode };

export type Query = {
  readonly text: string;
  readonly root: QueryNode;
  /** Leaf terms counted against the per-query term limit. */
  readonly termCount: number;
  /** Terms without a field; several of them make matching gather a document's values once. */
  readonly unqualifiedTerms: number;
};

export type QueryLimits = {
  readonly maxTerms: number;
  readonly maxBytes: number;
  readonly maxStarsPerTerm: number;
  readonly maxQuestionMarksPerTerm: number;
};

/** AWS-IOT-FACTS.md §4: 7 terms (2023 guide), 1000 bytes, ≤2 `*` and ≤5 `?` per term. */
export const defaultLimits: QueryLimits = {
  maxTerms: 7,
  maxBytes: 1000,
  maxStarsPerTerm: 2,
  maxQuestionMarksPerTerm: 5,
};
