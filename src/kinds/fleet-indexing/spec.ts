// The FleetIndexing spec: what the manifest says after normalization (./manifest.ts), the contract
// between validate and the kind's compare and apply. Registered in the model's SpecOf below.

export interface FleetIndexingSpec {
  readonly thingIndexingMode: 'OFF' | 'REGISTRY' | 'REGISTRY_AND_SHADOW';
  readonly thingConnectivityIndexingMode: 'OFF' | 'STATUS';
}

declare module '../../model/resource.js' {
  interface SpecOf {
    readonly FleetIndexing: FleetIndexingSpec;
  }
}
