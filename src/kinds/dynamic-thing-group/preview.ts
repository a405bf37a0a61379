// Membership preview: which things a created or changed dynamic group will hold, evaluated
// offline with src/lang/query against the registry fields of the fleet's things. AWS
// evaluates the query against the whole account index; the preview sees the things the fleet
// declares (plus, for "leaving", the live things iotops read), which is what a fleet change moves.
//
// Terms on shadow/connectivity/Defender data or thingId evaluate to 'unknown' (Kleene logic, see
// src/lang/query/README.md). A thing is listed as a member only when the query is true for
// it whatever those fields hold; one whose answer depends on them is counted as "may match".
// Joining/leaving lists only things whose old and new answers are both certain.
import type { DesiredResourceOf, DesiredState } from '../../model/resource.js';
import { deviceStateDependencies, matchesThing, parseFleetQuery, type FleetQuery, type MatchOptions, type RegistryThing, type Tri } from '../../lang/query/index.js';
import type { CompareContext } from '../types.js';
import type { LiveResource } from '../../model/live.js';
import type { ThingLive } from '../thing.js';
import { normQuery } from './query.js';

/** Names shown per list; the rest are counted. */
export const PREVIEW_NAMES = 5;

/** The parts of the live group the preview needs (kept structural to avoid a cycle with the kind module). */
export interface PreviewLive {
  readonly dynamic: boolean;
  readonly query?: string;
}

export function membershipPreview(desired: DesiredResourceOf<'DynamicThingGroup'>, live: LiveResource<'DynamicThingGroup', PreviewLive> | undefined, ctx: CompareContext): string[] {
  const parsed = parseFleetQuery(desired.spec.query);
  if (!parsed.ok) return [];
  const opts = indexingOptions(ctx.desired);
  const oldParsed = live?.state.dynamic && live.state.query !== undefined && live.state.query !== normQuery(desired.spec.query) ? parseFleetQuery(live.state.query) : undefined;
  const oldQuery = oldParsed?.ok ? oldParsed.query : undefined;
  const certain: string[] = [];
  const possible: string[] = [];
  // Only a query change needs every answer again (joining/leaving); a Map of 100k entries is not free.
  const newAnswer = oldQuery ? new Map<string, Tri>() : undefined;
  for (const t of desiredThings(ctx.desired)) {
    const r = matchesThing(parsed.query, t, opts);
    newAnswer?.set(t.thingName, r);
    if (r === true) certain.push(t.thingName);
    else if (r === 'unknown') possible.push(t.thingName);
  }
  const moved = oldQuery && newAnswer ? movement(oldQuery, beforeThings(ctx), newAnswer, opts) : undefined;

  // Named only when an answer really was unknown: a device-state term the registry terms already
  // decide (`connectivity.connected:true AND attributes.site:paris` for a Berlin thing) is no caveat.
  const deps = [...new Set([...deviceStateDependencies(parsed.query, opts), ...(oldQuery ? deviceStateDependencies(oldQuery, opts) : [])])].join('/');
  const notes: string[] = [];
  if (possible.length > 0 || moved?.uncertain) notes.push(`membership depends on ${deps} data; preview covers registry fields only`);
  if (possible.length === 0) notes.push(`will hold ${holding(certain)}`);
  else {
    notes.push(certain.length === 0 ? 'no things match on registry fields alone' : `will hold at least ${holding(certain)}`);
    notes.push(`${possible.length} more may match, depending on ${deps} data: ${nameList(possible)}`);
  }
  if (moved) notes.push(...moved.notes);
  return notes;
}

function movement(oldQuery: FleetQuery, before: readonly RegistryThing[], newAnswer: ReadonlyMap<string, Tri>, opts: MatchOptions): { notes: string[]; uncertain: boolean } {
  const joining: string[] = [];
  const leaving: string[] = [];
  const oldAnswer = new Map<string, Tri>();
  let uncertain = false;
  for (const t of before) {
    const old = matchesThing(oldQuery, t, opts);
    oldAnswer.set(t.thingName, old);
    if (old === 'unknown') uncertain = true;
    // A thing that disappears from the fleet leaves a group it certainly was in.
    if (old === true && (newAnswer.get(t.thingName) ?? false) === false) leaving.push(t.thingName);
  }
  for (const [name, now] of newAnswer) {
    if (now === true && (oldAnswer.get(name) ?? false) === false) joining.push(name);
  }
  if (joining.length === 0 && leaving.length === 0) return { notes: ['no things join or leave'], uncertain };
  const notes: string[] = [];
  if (joining.length > 0) notes.push(`+${joining.length} joining: ${nameList(joining)}`);
  if (leaving.length > 0) notes.push(`-${leaving.length} leaving: ${nameList(leaving)}`);
  return { notes, uncertain };
}

function holding(names: readonly string[]): string {
  if (names.length === 0) return 'no things';
  return `${names.length} ${names.length === 1 ? 'thing' : 'things'}: ${nameList(names)}`;
}

/** The PREVIEW_NAMES smallest names (code-unit order) without sorting 100k names, then the count of the rest. */
export function nameList(names: readonly string[]): string {
  const shown: string[] = [];
  for (const n of names) {
    if (shown.length === PREVIEW_NAMES && n >= (shown[PREVIEW_NAMES - 1] as string)) continue;
    let i = shown.length;
    while (i > 0 && (shown[i - 1] as string) > n) i--;
    shown.splice(i, 0, n);
    if (shown.length > PREVIEW_NAMES) shown.pop();
  }
  const rest = names.length - shown.length;
  return rest > 0 ? `${shown.join(', ')}, … and ${rest} more` : shown.join(', ');
}

function indexingOptions(desired: DesiredState): MatchOptions {
  const fi = desired.resources.find((r) => r.kind === 'FleetIndexing');
  if (fi?.kind !== 'FleetIndexing') return {};
  return { shadowIndexed: fi.spec.thingIndexingMode === 'REGISTRY_AND_SHADOW', connectivityIndexed: fi.spec.thingConnectivityIndexingMode === 'STATUS' };
}

function desiredThings(desired: DesiredState): RegistryThing[] {
  const out: RegistryThing[] = [];
  for (const r of desired.resources) {
    if (r.kind !== 'Thing') continue;
    out.push({ thingName: r.name, ...(r.spec.type === undefined ? {} : { thingTypeName: r.spec.type }), thingGroupNames: r.spec.groups, attributes: r.spec.attributes });
  }
  return out;
}

/** Live things as read before the plan; without a Thing read (unit contexts), the desired things. */
function beforeThings(ctx: CompareContext): RegistryThing[] {
  const live = ctx.live.get('Thing') as readonly LiveResource<'Thing', ThingLive>[] | undefined;
  if (!live) return desiredThings(ctx.desired);
  return live.map((l) => ({ thingName: l.name, ...(l.state.type === undefined ? {} : { thingTypeName: l.state.type }), thingGroupNames: l.state.groups, attributes: l.state.attributes }));
}
