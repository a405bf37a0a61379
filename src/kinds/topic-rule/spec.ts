// The TopicRule spec: what the manifest says after normalization (./manifest.ts), the contract
// between validate and the kind's compare and apply. Registered in the model's SpecOf below.

export type RuleAction = Readonly<Record<string, unknown>>;

export interface TopicRuleSpec {
  readonly sql: string;
  readonly sqlVersion: string;
  readonly description?: string;
  readonly enabled: boolean;
  readonly actions: readonly RuleAction[];
  readonly errorAction?: RuleAction;
}

declare module '../../model/resource.js' {
  interface SpecOf {
    readonly TopicRule: TopicRuleSpec;
  }
}
