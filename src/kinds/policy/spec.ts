// The Policy spec: what the manifest says after normalization (./manifest.ts), the contract
// between validate and the kind's compare and apply. Registered in the model's SpecOf below.

/** An IoT policy document, parsed from YAML/JSON (or the file `documentFile` points to). */
export interface PolicySpec {
  readonly document: Readonly<Record<string, unknown>>;
}

declare module '../../model/resource.js' {
  interface SpecOf {
    readonly Policy: PolicySpec;
  }
}
