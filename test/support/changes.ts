// A PlannedChange as buildPlan writes it (src/plan/diff.ts desiredPayload/livePayload), for tests
// that drive a kind's apply directly. `fleetId` adds the ownership tag, as for taggable kinds.
import type { DesiredResource } from '../../src/model/resource.js';
import { MANAGED_BY_TAG, type LiveResource } from '../../src/model/live.js';
import type { ChangeAction, FieldChange, PlannedChange } from '../../src/model/plan.js';

export interface ChangeOptions {
  readonly fleetId?: string;
  readonly fields?: readonly FieldChange[];
}

export function plannedChange(action: ChangeAction, d: DesiredResource | undefined, l: LiveResource | undefined, opts: ChangeOptions = {}): PlannedChange {
  const subject = (d ?? l)!;
  const tags = d && opts.fleetId ? { ...d.tags, [MANAGED_BY_TAG]: opts.fleetId } : d?.tags;
  return {
    kind: subject.kind,
    name: subject.name,
    action,
    fields: opts.fields ?? [],
    dependsOn: [],
    ...(d ? { desired: { tags, spec: d.spec } } : {}),
    ...(l ? { live: { ownership: l.ownership, tags: l.tags, state: l.state } } : {}),
  };
}
