// The Job spec: what the manifest says after normalization (./manifest.ts), the contract
// between validate and the kind's compare and apply. Registered in the model's SpecOf below.

export interface JobSpec {
  readonly targets: { readonly things: readonly string[]; readonly groups: readonly string[] };
  readonly targetSelection: 'SNAPSHOT' | 'CONTINUOUS';
  /** The job document as the JSON text sent to CreateJob. */
  readonly document: string;
  readonly description?: string;
  readonly rollout?: Readonly<Record<string, unknown>>;
  readonly abort?: Readonly<Record<string, unknown>>;
  readonly timeout?: Readonly<Record<string, unknown>>;
  readonly retry?: Readonly<Record<string, unknown>>;
  readonly status: 'active' | 'cancelled';
}

declare module '../../model/resource.js' {
  interface SpecOf {
    readonly Job: JobSpec;
  }
}
