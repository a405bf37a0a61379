// The Thing spec: what the manifest says after normalization (./manifest.ts), the contract
// between validate and the kind's compare and apply. Registered in the model's SpecOf below.
import type { StringMap } from '../../model/resource.js';

export interface ThingSpec {
  readonly type?: string;
  readonly attributes: StringMap;
  /** Static group names (sorted, unique). */
  readonly groups: readonly string[];
}

declare module '../../model/resource.js' {
  interface SpecOf {
    readonly Thing: ThingSpec;
  }
}
