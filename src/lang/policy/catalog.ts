// What the IoT policy language knows: actions and the resource type each one authorizes,
// ARN resource types, condition operators and policy variables. Sources: AWS-IOT-FACTS §5
// (iot-policy-actions, iot-action-resources, iot-policy-variables, cert-policy-variables).

import { IOT_CONTROL_PLANE_ACTIONS } from './control-plane-actions.js';

/**
 * IoT data-plane actions with the ARN resource type they are authorized against. `undefined`
 * means the action is not bound to one type (`*` resources), so no action/resource mismatch is
 * ever reported for it.
 */
export const IOT_DATA_PLANE_ACTIONS: Readonly<Record<string, string | undefined>> = {
  // MQTT
  Connect: 'client',
  Publish: 'topic',
  Receive: 'topic',
  RetainPublish: 'topic',
  GetRetainedMessage: 'topic',
  ListRetainedMessages: undefined,
  Subscribe: 'topicfilter',
  // Device Shadow
  UpdateThingShadow: 'thing',
  GetThingShadow: 'thing',
  DeleteThingShadow: 'thing',
  ListNamedShadowsForThing: undefined,
  // Jobs (HTTPS/MQTT data plane)
  DescribeJobExecution: 'thing',
  GetPendingJobExecutions: 'thing',
  UpdateJobExecution: 'thing',
  StartNextPendingJobExecution: 'thing',
  // Credentials provider
  AssumeRoleWithCertificate: 'rolealias',
};

/** Resource type an action is authorized against, when there is exactly one. */
export function resourceTypeOf(action: string): string | undefined {
  return Object.hasOwn(IOT_DATA_PLANE_ACTIONS, action) ? IOT_DATA_PLANE_ACTIONS[action] : undefined;
}

export const IOT_ACTION_NAMES: readonly string[] = [
  ...new Set([...Object.keys(IOT_DATA_PLANE_ACTIONS), ...IOT_CONTROL_PLANE_ACTIONS]),
];

/**
 * Service prefixes an IoT policy may name. Greengrass V2 core devices authorize their
 * greengrass: calls through the device's IoT policy; every other service is IAM's business.
 */
export const ALLOWED_ACTION_PREFIXES: readonly string[] = ['iot', 'greengrass'];

/** Resource types in `arn:aws:iot:<region>:<account>:<type>/<rest>`. */
export const IOT_RESOURCE_TYPES: readonly string[] = [
  'client',
  'topic',
  'topicfilter',
  'thing',
  'thinggroup',
  'billinggroup',
  'thingtype',
  'rolealias',
  'cert',
  'cacert',
  'policy',
  'job',
  'jobtemplate',
  'rule',
  'destination',
  'index',
  'fleetmetric',
  'authorizer',
  'provisioningtemplate',
  'otaupdate',
  'stream',
  'domainconfiguration',
  'dimension',
  'custommetric',
  'securityprofile',
  'scheduledaudit',
  'mitigationaction',
  'tunnel',
  'package',
  'certificateprovider',
  'command',
  'ruledestination',
  'commandexecution',
];

/** IAM condition operators (without the `IfExists` suffix and the set prefixes). */
export const CONDITION_OPERATORS: readonly string[] = [
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'NumericEquals',
  'NumericNotEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
  'DateEquals',
  'DateNotEquals',
  'DateLessThan',
  'DateLessThanEquals',
  'DateGreaterThan',
  'DateGreaterThanEquals',
  'Bool',
  'BinaryEquals',
  'IpAddress',
  'NotIpAddress',
  'ArnEquals',
  'ArnLike',
  'ArnNotEquals',
  'ArnNotLike',
  'Null',
];

const CERT_NAME_ATTRIBUTES: readonly string[] = [
  'Country',
  'Organization',
  'OrganizationalUnit',
  'DistinguishedNameQualifier',
  'State',
  'CommonName',
  'SerialNumber',
  'Locality',
  'Title',
  'Surname',
  'GivenName',
  'Initials',
  'Pseudonym',
  'GenerationQualifier',
];

/** Subject/Issuer alternative name types. */
const CERT_SAN_ATTRIBUTES: readonly string[] = [
  'DNSName',
  'RFC822Name',
  'DirectoryName',
  'UniformResourceIdentifier',
  'IPAddress',
];

/** Policy variables (the text between `${` and `}`) whose name is fixed. */
export const FIXED_POLICY_VARIABLES: readonly string[] = [
  'iot:ClientId',
  'iot:DomainName',
  'iot:Connection.Thing.ThingName',
  'iot:Connection.Thing.ThingTypeName',
  'iot:Connection.Thing.IsAttached',
  'iot:Certificate.SerialNumber',
  'iot:Certificate.AvailableKeys',
  'iot:Certificate.Validity.NotBefore',
  'iot:Certificate.Validity.NotAfter',
  'aws:SourceIp',
  'aws:CurrentTime',
  'aws:EpochTime',
  'aws:SecureTransport',
  'cognito-identity.amazonaws.com:sub',
  'cognito-identity.amazonaws.com:aud',
  'cognito-identity.amazonaws.com:amr',
  // Escapes for literal characters in a resource.
  '*',
  '?',
  '$',
  ...CERT_NAME_ATTRIBUTES.flatMap((a) => [`iot:Certificate.Subject.${a}`, `iot:Certificate.Issuer.${a}`]),
  ...CERT_SAN_ATTRIBUTES.flatMap((a) => [
    `iot:Certificate.SubjectAlternativeName.${a}`,
    `iot:Certificate.IssuerAlternativeName.${a}`,
  ]),
];

const THING_ATTRIBUTE = /^iot:Connection\.Thing\.Attributes\[[a-zA-Z0-9_.,@/:#-]+\]$/;
const CERT_MULTI_VALUE =
  /^iot:Certificate\.(Subject|Issuer|SubjectAlternativeName|IssuerAlternativeName)\.([A-Za-z0-9]+)\.(List|\d+)$/;

const FIXED_VARIABLE_SET: ReadonlySet<string> = new Set(FIXED_POLICY_VARIABLES);

/** True when `${name}` is a policy variable AWS IoT substitutes. */
export function isKnownPolicyVariable(name: string): boolean {
  if (FIXED_VARIABLE_SET.has(name)) return true;
  if (THING_ATTRIBUTE.test(name)) return true;
  const multi = CERT_MULTI_VALUE.exec(name);
  if (multi === null) return false;
  return FIXED_VARIABLE_SET.has(`iot:Certificate.${multi[1]}.${multi[2]}`);
}
