// Checks one Resource/NotResource entry: `*` or an ARN whose service, region, account and
// resource type are well formed, and whose `${...}` policy variables exist.

import { IOT_RESOURCE_TYPES, isKnownPolicyVariable } from './catalog.js';
import { suggestion } from './did-you-mean.js';
import { scanPolicyVariables } from './variables.js';

/** `any` = the resource may be of every type (`*`, a wildcard type, or another service). */
export type ResourceType = { readonly kind: 'any' } | { readonly kind: 'typed'; readonly type: string };

export interface ResourceCheck {
  readonly messages: readonly string[];
  readonly type: ResourceType;
  readonly usesVariables: boolean;
}

const ARN = /^arn:([^:]*):([^:]*):([^:]*):([^:]*):(.*)$/;
const PARTITION = /^aws(-[a-z]+)*$/;
const REGION = /^[a-z]{2,4}(-[a-z]+)+-\d+$/;
const ACCOUNT = /^\d{12}$/;
const ANY: ResourceType = { kind: 'any' };

const hasWildcard = (s: string): boolean => /[*?]/.test(s);

export function variableMessages(text: string): { readonly messages: string[]; readonly used: boolean } {
  const scan = scanPolicyVariables(text);
  const messages: string[] = [];
  for (const name of scan.names) {
    if (!isKnownPolicyVariable(name)) messages.push(`unknown policy variable "\${${name}}"`);
  }
  if (scan.unterminated) messages.push(`"\${" without a closing "}" in "${text}"`);
  return { messages, used: scan.names.length > 0 || scan.unterminated };
}

export function checkResource(resource: string): ResourceCheck {
  const vars = variableMessages(resource);
  const result = (messages: string[], type: ResourceType): ResourceCheck => ({
    messages: [...messages, ...vars.messages],
    type,
    usesVariables: vars.used,
  });
  if (resource === '*') return result([], ANY);
  const arn = ARN.exec(resource);
  if (arn === null) {
    return result([`resource "${resource}" must be "*" or an ARN arn:aws:iot:<region>:<account>:<type>/<name>`], ANY);
  }
  const [, partition, service, region, account, rest] = arn;
  const messages: string[] = [];
  if (!PARTITION.test(partition) && partition !== '*') {
    messages.push(`resource "${resource}": unknown partition "${partition}" (e.g. aws, aws-cn, aws-us-gov)`);
  }
  if (!REGION.test(region) && !hasWildcard(region)) {
    messages.push(`resource "${resource}": "${region}" is not a region (e.g. eu-central-1) or "*"`);
  }
  if (!ACCOUNT.test(account) && !hasWildcard(account)) {
    messages.push(`resource "${resource}": account "${account}" must be 12 digits or "*"`);
  }
  if (service === 'greengrass' || hasWildcard(service)) return result(messages, ANY);
  if (service !== 'iot') {
    messages.push(`resource "${resource}" is a ${service} ARN; IoT policies authorize iot (and greengrass) resources`);
    return result(messages, ANY);
  }
  const slash = rest.indexOf('/');
  const type = slash === -1 ? rest : rest.slice(0, slash);
  if (hasWildcard(type)) return result(messages, ANY);
  if (!IOT_RESOURCE_TYPES.includes(type)) {
    messages.push(`resource "${resource}": unknown IoT resource type "${type}"${suggestion(type, IOT_RESOURCE_TYPES)}`);
    return result(messages, ANY);
  }
  if (slash === -1 || slash === rest.length - 1) {
    messages.push(`resource "${resource}": "${type}" needs a name after "${type}/" (use "${type}/*" for all)`);
  }
  return result(messages, { kind: 'typed', type });
}
