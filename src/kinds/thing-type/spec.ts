// The ThingType spec: what the manifest says after normalization (./manifest.ts), the contract
// between validate and the kind's compare and apply. Registered in the model's SpecOf below.

export interface ThingTypeSpec {
  readonly description?: string;
  /** A set: sorted, no duplicates. */
  readonly searchableAttributes: readonly string[];
  readonly deprecated: boolean;
}

declare module '../../model/resource.js' {
  interface SpecOf {
    readonly ThingType: ThingTypeSpec;
  }
}
