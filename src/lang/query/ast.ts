// The AST of a parsed fleet-indexing query. Plain data except the compiled matcher of wildcard
// tests (compiled once at parse time so evaluating 100k things allocates nothing per term; a
// linear-time matcher, never a RegExp built from the query, see ../wildcard.ts).
import type { WildcardMatcher } from '../wildcard.js';

/**
 * Where a field's values come from. `registry` fields are known from the desired state; the
 * device-state classes are not (see README "Three-valued evaluation"); `none` matches nothing.
 */
export type FieldClass =
  | 'thingName'
  | 'thingTypeName'
  | 'thingGroupNames'
  | 'attribute'
  | 'any'
  | 'shadow'
  | 'connectivity'
  | 'deviceDefender'
  | 'thingId'
  | 'none';

export type DeviceStateClass = 'shadow' | 'connectivity' | 'deviceDefender' | 'thingId';

export interface QueryField {
  /** As written (`attributes.battery`); `*` for an unqualified term. */
  readonly name: string;
  readonly cls: FieldClass;
  /** The attribute name for `attribute`. */
  readonly attribute?: string;
}

/** A literal operand: lower-cased text, plus its value when the text is a decimal number. */
export interface Operand {
  readonly text: string;
  readonly num: number | undefined;
}

export type CompareOp = '<' | '<=' | '>' | '>=';

export interface Bound extends Operand {
  readonly inclusive: boolean;
}

export type ValueTest =
  | { readonly kind: 'exists' }
  | ({ readonly kind: 'equals' } & Operand)
  | { readonly kind: 'wildcard'; readonly pattern: WildcardMatcher }
  | ({ readonly kind: 'compare'; readonly op: CompareOp } & Operand)
  | { readonly kind: 'range'; readonly lower?: Bound; readonly upper?: Bound };

export type QueryNode =
  | { readonly kind: 'term'; readonly field: QueryField; readonly test: ValueTest }
  | { readonly kind: 'and'; readonly children: readonly QueryNode[] }
  | { readonly kind: 'or'; readonly children: readonly QueryNode[] }
  | { readonly kind: 'not'; readonly child: QueryNode };

export interface FleetQuery {
  readonly text: string;
  readonly root: QueryNode;
  /** Leaf terms, counted against MAX_TERMS. */
  readonly termCount: number;
}

export const MAX_TERMS = 7;
export const MAX_QUERY_BYTES = 1000;
export const MAX_STARS_PER_TERM = 2;
export const MAX_QUESTION_MARKS_PER_TERM = 5;
