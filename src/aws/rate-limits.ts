// Per-account TPS of the AWS IoT control-plane APIs iotops calls (AWS-IOT-FACTS.md §1a): the
// "Current default" column where it has a value, else the 2019-20 column; topic-rule APIs, which
// no table lists, use 10. The client sizes its token buckets from this table so it stays under
// AWS's limits instead of bouncing off them. Operations not listed get UNKNOWN_OPERATION_TPS.
import type { IotOperation } from './iot-api.js';

/** Conservative rate for an operation the table does not know (the lowest common control-plane rate). */
export const UNKNOWN_OPERATION_TPS = 5;

export const AWS_DEFAULT_TPS: Readonly<Partial<Record<IotOperation, number>>> = {
  CreateThing: 100,
  UpdateThing: 100,
  DeleteThing: 100,
  DescribeThing: 350,
  ListThings: 10,
  ListThingsInThingGroup: 25,
  ListThingGroupsForThing: 100,
  AddThingToThingGroup: 100,
  RemoveThingFromThingGroup: 100,
  // No published value; it combines Add/RemoveThingFromThingGroup, so take the lower known bound.
  UpdateThingGroupsForThing: 10,
  CreateThingGroup: 25,
  UpdateThingGroup: 15,
  DeleteThingGroup: 15,
  DescribeThingGroup: 100,
  ListThingGroups: 10,
  CreateDynamicThingGroup: 5,
  UpdateDynamicThingGroup: 5,
  DeleteDynamicThingGroup: 5,
  CreateThingType: 15,
  UpdateThingType: 15,
  DeprecateThingType: 15,
  DeleteThingType: 15,
  ListThingTypes: 10,
  DescribeThingType: 100,
  AttachThingPrincipal: 100,
  DetachThingPrincipal: 100,
  ListThingPrincipals: 10,
  ListThingPrincipalsV2: 10,
  ListPrincipalThings: 10,
  ListPrincipalThingsV2: 10,
  TagResource: 10,
  UntagResource: 10,
  ListTagsForResource: 10,
  AttachPolicy: 15,
  DetachPolicy: 15,
  GetPolicy: 10,
  CreatePolicy: 10,
  CreatePolicyVersion: 10,
  DeletePolicy: 10,
  DeletePolicyVersion: 10,
  GetPolicyVersion: 15,
  ListPolicies: 10,
  ListPolicyVersions: 10,
  SetDefaultPolicyVersion: 10,
  ListTargetsForPolicy: 10,
  ListAttachedPolicies: 15,
  // Not listed; registering device certificates is 15/s [hist], take the 10 of its siblings to be safe.
  CreateKeysAndCertificate: 10,
  CreateCertificateFromCsr: 15,
  RegisterCertificate: 10,
  RegisterCertificateWithoutCA: 10,
  UpdateCertificate: 10,
  DeleteCertificate: 10,
  ListCertificates: 10,
  DescribeCertificate: 10,
  CreateTopicRule: 10,
  ReplaceTopicRule: 10,
  DeleteTopicRule: 10,
  GetTopicRule: 10,
  ListTopicRules: 10,
  EnableTopicRule: 10,
  DisableTopicRule: 10,
  CreateJob: 10,
  UpdateJob: 10,
  CancelJob: 10,
  DeleteJob: 10,
  DescribeJob: 10,
  ListJobs: 10,
  SearchIndex: 15,
  UpdateIndexingConfiguration: 1,
  GetIndexingConfiguration: 20,
  DescribeIndex: 10,
  GetStatistics: 15,
  GetCardinality: 15,
  GetPercentiles: 15,
};

/** `aws`: the table; `off`: no client-side limit (tests); a number: the table scaled by it. */
export type RateLimits = 'aws' | 'off' | number;

/**
 * The TPS iotops allows itself for an operation, or undefined when unlimited. Overrides (e.g. an
 * account's raised quotas from Service Quotas) replace table values before scaling.
 */
export function operationTps(
  operation: string,
  limits: RateLimits,
  overrides: Readonly<Record<string, number>> = {},
): number | undefined {
  if (limits === 'off') return undefined;
  const scale = limits === 'aws' ? 1 : limits;
  const base = overrides[operation] ?? (AWS_DEFAULT_TPS as Record<string, number | undefined>)[operation] ?? UNKNOWN_OPERATION_TPS;
  return base * scale;
}
