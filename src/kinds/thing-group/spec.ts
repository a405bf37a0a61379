// The ThingGroup spec: what the manifest says after normalization (./manifest.ts), the contract
// between validate and the kind's compare and apply. Registered in the model's SpecOf below.
import type { StringMap } from '../../model/resource.js';

export interface ThingGroupSpec {
  readonly parent?: string;
  readonly description?: string;
  readonly attributes: StringMap;
  /** Policy names attached to the group (sorted, unique). */
  readonly policies: readonly string[];
}

declare module '../../model/resource.js' {
  interface SpecOf {
    readonly ThingGroup: ThingGroupSpec;
  }
}
