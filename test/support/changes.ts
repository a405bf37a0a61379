// A PlannedChange as buildPlan writes it (src/plan/diff.ts desiredPayload/livePayload), for tests
// that drive a kind's apply directly. `fleetId` adds the ownership tag, as for taggable kinds.
import type { DesiredResource } from '../../src/manifest/model.js';
import { MANAGED_BY_TAG, type LiveResource } from '../../src/kinds/types.js';
import type { ChangeAction, PlannedChange } from '../../src/plan/model.js';

export function plannedChange(action: ChangeAction, d: DesiredResource | undefined, l: LiveResource | undefined, fleetId?: string): PlannedChange {
  const subject = (d ?? l)!;
  const tags = d && fleetId ? { ...d.tags, [MANAGED_BY_TAG]: fleetId } : d?.tags;
  return {
    kind: subject.kind,
    name: subject.name,
    action,
    fields: [],
    dependsOn: [],
    ...(d ? { desired: { tags, spec: d.spec } } : {}),
    ...(l ? { live: { ownership: l.ownership, tags: l.tags, state: l.state } } : {}),
  };
}
