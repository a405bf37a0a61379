// The DynamicThingGroup spec: what the manifest says after normalization (./manifest.ts), the contract
// between validate and the kind's compare and apply. Registered in the model's SpecOf below.
import type { StringMap } from '../../model/resource.js';

export interface DynamicThingGroupSpec {
  readonly query: string;
  readonly description?: string;
  readonly attributes: StringMap;
}

declare module '../../model/resource.js' {
  interface SpecOf {
    readonly DynamicThingGroup: DynamicThingGroupSpec;
  }
}
