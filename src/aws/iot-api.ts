// The IotApi port: the one door to AWS IoT. Only src/aws/ imports @aws-sdk; everything else
// sees this interface, whose operation names and shapes are the SDK's own (type-only import).
// The adapter behind it adds per-API token buckets, typed retries, pagination and call stats.
import type * as Iot from '@aws-sdk/client-iot';

type Module = typeof Iot;
type CommandClassName = {
  [K in keyof Module]: K extends `${string}Command` ? (Module[K] extends abstract new (...args: never[]) => unknown ? K : never) : never;
}[keyof Module];

/** An AWS IoT operation name, e.g. `ListThings`, `CreatePolicyVersion`. */
export type IotOperation = CommandClassName extends `${infer N}Command` ? N : never;

type CommandClass<N extends IotOperation> = Module[`${N}Command` & keyof Module];

export type IotInput<N extends IotOperation> =
  CommandClass<N> extends abstract new (...args: never[]) => infer C ? (C extends { readonly input: infer I } ? I : never) : never;

export type IotOutput<N extends IotOperation> =
  CommandClass<N> extends abstract new (...args: never[]) => infer C
    ? C extends { resolveMiddleware(...args: never[]): (...args: never[]) => Promise<{ output: infer O }> }
      ? Omit<O, '$metadata'>
      : never
    : never;

export interface IotApi {
  /** Calls one operation, waiting for its token bucket and retrying throttles and 5xx. */
  send<N extends IotOperation>(operation: N, input: IotInput<N>): Promise<IotOutput<N>>;
}
