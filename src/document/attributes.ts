// Attribute quotas and value rules (AWS-IOT-FACTS.md §2): ≤ 3 attributes on a thing without a
// type, ≤ 50 with one; values ≤ 800 characters of [a-zA-Z0-9_.,@/:#=[]-], no spaces.
import type { DocContext, Emit } from './context.js';
import { diagAt } from './context.js';
import { ATTRIBUTE_VALUE_PATTERN } from './schema.js';

export const MAX_UNTYPED_ATTRIBUTES = 3;
export const MAX_TYPED_ATTRIBUTES = 50;
const MAX_VALUE_LENGTH = 800;

export function checkAttributeValues(ctx: DocContext, attributes: Readonly<Record<string, string>>, emit: Emit): void {
  for (const [key, value] of Object.entries(attributes)) {
    const path = ['spec', 'attributes', key];
    if (/\s/.test(value)) {
      emit(diagAt(ctx, 'attribute-value-space', path, `attribute ${key}: value ${JSON.stringify(value)} contains whitespace, which AWS does not allow in attribute values`));
    } else if (value.length > MAX_VALUE_LENGTH || !ATTRIBUTE_VALUE_PATTERN.test(value)) {
      emit(diagAt(ctx, 'attribute-value-invalid', path, `attribute ${key}: value ${JSON.stringify(value)} must be ≤ ${MAX_VALUE_LENGTH} characters of [a-zA-Z0-9_.,@/:#=[]-]`));
    }
  }
}

export function checkThingAttributeCount(ctx: DocContext, attributes: Readonly<Record<string, string>>, typed: boolean, emit: Emit): void {
  const n = Object.keys(attributes).length;
  const max = typed ? MAX_TYPED_ATTRIBUTES : MAX_UNTYPED_ATTRIBUTES;
  if (n <= max) return;
  const why = typed ? 'a thing with a type' : 'a thing without a type (give it a ThingType to allow up to 50)';
  emit(diagAt(ctx, 'too-many-attributes', ['spec', 'attributes'], `${n} attributes; AWS allows at most ${max} on ${why}`));
}
