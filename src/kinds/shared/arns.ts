// Parsing AWS IoT ARNs: kinds build sibling ARNs (a job's targets) and recognise what an ARN names
// (a policy's targets, a thing's principals) without another AWS call.

/** `arn:partition:iot:region:account:` of any IoT ARN, to build sibling ARNs (thing/…, thinggroup/…). */
export function arnPrefix(arn: string): string | undefined {
  const m = /^(arn:[^:]+:iot:[^:]*:[^:]*:)/.exec(arn);
  return m?.[1];
}

/** Resource part after the prefix, split at the first slash: `thing/sensor-1` → ['thing', 'sensor-1']. */
export function arnResource(arn: string): { readonly type: string; readonly id: string } | undefined {
  const prefix = arnPrefix(arn);
  if (prefix === undefined) return undefined;
  const rest = arn.slice(prefix.length);
  const slash = rest.indexOf('/');
  if (slash < 0) return undefined;
  return { type: rest.slice(0, slash), id: rest.slice(slash + 1) };
}
