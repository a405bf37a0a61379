// A generated fleet for the reliability tests and bench/apply.ts: `things` things, each in two
// static groups of independent hierarchies (a site and a batch), `policies` policies attached to
// the site groups, and a generated certificate (with a policy) for the first `certificates` things.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ScaleFleet {
  readonly things: number;
  readonly certificates: number;
  readonly sites?: number;
  readonly batches?: number;
  readonly policies?: number;
  readonly fleetId?: string;
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

export function thingName(i: number): string {
  return `dev-${pad(i, 6)}`;
}

/** Writes the fleet into `dir` (created) and returns the resource counts it declares. */
export function writeScaleFleet(dir: string, f: ScaleFleet): { readonly resources: number; readonly groups: number; readonly policies: number } {
  const sites = f.sites ?? 20;
  const batches = f.batches ?? 10;
  const policies = f.policies ?? 5;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'iotops.yaml'), `fleetId: ${f.fleetId ?? 'scale'}\n`);
  const docs: string[] = [];
  docs.push('apiVersion: iotops/v1\nkind: ThingType\nmetadata: { name: meter }\nspec:\n  description: Scale meter\n  searchableAttributes: [site]\n');
  for (let p = 0; p < policies; p++) {
    docs.push(
      `apiVersion: iotops/v1\nkind: Policy\nmetadata: { name: scale-policy-${p} }\nspec:\n  document:\n    Version: "2012-10-17"\n    Statement:\n      - Effect: Allow\n        Action: iot:Publish\n        Resource: "arn:aws:iot:us-east-1:123456789012:topic/p${p}/*"\n`,
    );
  }
  for (let s = 0; s < sites; s++) {
    docs.push(`apiVersion: iotops/v1\nkind: ThingGroup\nmetadata: { name: site-${pad(s, 3)} }\nspec:\n  description: Site ${s}\n  policies: [scale-policy-${s % policies}]\n`);
  }
  for (let b = 0; b < batches; b++) docs.push(`apiVersion: iotops/v1\nkind: ThingGroup\nmetadata: { name: batch-${pad(b, 3)} }\nspec:\n  description: Batch ${b}\n`);
  writeFileSync(join(dir, 'base.yaml'), docs.join('---\n'));

  // Things as plain documents (not a ThingFleet) so each can name its own two groups.
  const things: string[] = [];
  for (let i = 1; i <= f.things; i++) {
    things.push(
      `apiVersion: iotops/v1\nkind: Thing\nmetadata: { name: ${thingName(i)} }\nspec:\n  type: meter\n  attributes: { site: "s${i % sites}", serial: "${i}" }\n  groups: [site-${pad(i % sites, 3)}, batch-${pad(i % batches, 3)}]\n`,
    );
  }
  writeFileSync(join(dir, 'things.yaml'), things.join('---\n'));
  const certs: string[] = [];
  for (let i = 1; i <= f.certificates; i++) {
    certs.push(`apiVersion: iotops/v1\nkind: Certificate\nmetadata: { name: ${thingName(i)}-cert }\nspec:\n  generate: true\n  things: [${thingName(i)}]\n  policies: [scale-policy-${i % policies}]\n`);
  }
  if (certs.length > 0) writeFileSync(join(dir, 'certificates.yaml'), certs.join('---\n'));
  return { resources: 1 + policies + sites + batches + f.things + f.certificates, groups: sites + batches, policies };
}
