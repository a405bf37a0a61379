import { copyFileSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFleet } from '../../src/manifest/index.js';
import type { DesiredResource, DesiredState } from '../../src/model/resource.js';

const pki = new URL('../fixtures/validate/_pki/', import.meta.url).pathname;
const H = 'apiVersion: iotops/v1\n';

function fleet(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'iotops-load-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

async function load(dir: string, opts: { env?: string; processEnv?: Record<string, string> } = {}): Promise<DesiredState> {
  const r = await loadFleet({ dir, processEnv: opts.processEnv ?? {}, ...(opts.env ? { env: opts.env } : {}) });
  expect(r.diagnostics).toEqual([]);
  expect(r.state).toBeDefined();
  return r.state as DesiredState;
}

function find<K extends DesiredResource['kind']>(s: DesiredState, kind: K, name: string): Extract<DesiredResource, { kind: K }> {
  const r = s.resources.find((x) => x.kind === kind && x.name === name);
  expect(r, `${kind}/${name}`).toBeDefined();
  return r as Extract<DesiredResource, { kind: K }>;
}

describe('loadFleet on valid fleets', () => {
  it('substitutes {{ var }} (iotops.yaml < env file) and {{ env }}, typed when unquoted, and leaves AWS ${...} untouched', async () => {
    const dir = fleet({
      'iotops.yaml': 'fleetId: climate\nprune: true\nmaxDeletes: 5\nvars:\n  site: berlin\n  count: 2\n  account: "123456789012"\n',
      'env/prod.yaml': 'vars:\n  site: munich\n',
      'things.yaml': `${H}kind: ThingFleet\nmetadata: { name: gen }\nspec:\n  count: {{ var.count }}\n  nameTemplate: "s-{{ var.site }}-{index:03}"\n  template:\n    attributes: { site: "{{ var.site }}", owner: "{{ env.IOTOPS_VAR_OWNER }}" }\n`,
      'policy.yaml': `${H}kind: Policy\nmetadata: { name: p }\nspec:\n  document:\n    Version: "2012-10-17"\n    Statement:\n      - Effect: Allow\n        Action: iot:Connect\n        Resource: "arn:aws:iot:eu-central-1:{{ var.account }}:client/\${iot:Connection.Thing.ThingName}"\n`,
      'rule.yaml': `${H}kind: TopicRule\nmetadata: { name: r1 }\nspec:\n  sql: "SELECT * FROM 'sites/{{ var.site }}/#'"\n  actions:\n    - republish: { topic: "out/\${topic(2)}", roleArn: "arn:aws:iam::{{ var.account }}:role/r" }\n`,
    });
    const s = await load(dir, { env: 'prod', processEnv: { IOTOPS_VAR_OWNER: 'team-climate' } });
    expect(s.config).toMatchObject({ fleetId: 'climate', prune: true, maxDeletes: 5, vars: { site: 'munich', count: '2' } });
    expect(s.resources.filter((r) => r.kind === 'Thing').map((r) => r.name)).toEqual(['s-munich-001', 's-munich-002']);
    expect(find(s, 'Thing', 's-munich-001').spec.attributes).toEqual({ site: 'munich', owner: 'team-climate' });
    const stmt = (find(s, 'Policy', 'p').spec.document.Statement as { Resource: string }[])[0];
    expect(stmt.Resource).toBe('arn:aws:iot:eu-central-1:123456789012:client/${iot:Connection.Thing.ThingName}');
    const rule = find(s, 'TopicRule', 'r1').spec;
    expect(rule.sql).toBe("SELECT * FROM 'sites/munich/#'");
    expect(rule.sqlVersion).toBe('2016-03-23');
    expect(rule.actions[0]).toEqual({ republish: { topic: 'out/${topic(2)}', roleArn: 'arn:aws:iam::123456789012:role/r' } });
  });

  it('expands ThingFleet count with zero padding and CSV rows merged over the template', async () => {
    const dir = fleet({
      'types.yaml': `${H}kind: ThingType\nmetadata: { name: sensor }\nspec: { searchableAttributes: [site, model, site] }\n---\n${H}kind: ThingType\nmetadata: { name: gateway }\nspec: {}\n`,
      'groups.yml': `${H}kind: ThingGroup\nmetadata: { name: berlin }\nspec: {}\n---\n${H}kind: ThingGroup\nmetadata: { name: lab }\nspec: {}\n`,
      'deep/a/b/count.yaml': `${H}kind: ThingFleet\nmetadata: { name: many }\nspec:\n  count: 12\n  nameTemplate: "sensor-{index:04}"\n  template: { type: sensor, attributes: { site: berlin }, groups: [berlin] }\n`,
      'csv/fleet.yaml': `${H}kind: ThingFleet\nmetadata: { name: rows }\nspec:\n  from: rows.csv\n  template: { type: sensor, attributes: { site: berlin, model: TS-1 }, groups: [berlin] }\n`,
      'csv/rows.csv': 'name,type,attributes.model,groups\ngw-1,gateway,GW-9,lab;berlin\nrow-2,,,\n',
    });
    const s = await load(dir);
    const things = s.resources.filter((r) => r.kind === 'Thing');
    expect(things).toHaveLength(14);
    expect(things.slice(0, 3).map((t) => t.name)).toEqual(['gw-1', 'row-2', 'sensor-0001']);
    expect(find(s, 'Thing', 'sensor-0012').spec).toEqual({ type: 'sensor', attributes: { site: 'berlin' }, groups: ['berlin'] });
    expect(find(s, 'Thing', 'sensor-0012').source).toEqual({ file: 'deep/a/b/count.yaml', line: 1, column: 1 });
    expect(find(s, 'Thing', 'gw-1').spec).toEqual({ type: 'gateway', attributes: { site: 'berlin', model: 'GW-9' }, groups: ['berlin', 'lab'] });
    expect(find(s, 'Thing', 'gw-1').source).toEqual({ file: 'csv/rows.csv', line: 2, column: 1 });
    expect(find(s, 'Thing', 'row-2').spec).toEqual({ type: 'sensor', attributes: { site: 'berlin', model: 'TS-1' }, groups: ['berlin'] });
    expect(find(s, 'ThingType', 'sensor').spec.searchableAttributes).toEqual(['model', 'site']);
  });

  it('reads multi-document files, sorts resources by kind order then name, and skips dotfiles and node_modules', async () => {
    const dir = fleet({
      'all.yaml': [
        `${H}kind: Thing\nmetadata: { name: b }\nspec: { groups: [z, a, z] }`,
        `${H}kind: ThingGroup\nmetadata: { name: z, tags: { team: x, cost: 7 } }\nspec: { policies: [p2, p1, p2] }`,
        `${H}kind: ThingGroup\nmetadata: { name: a }\nspec: {}`,
        `${H}kind: Thing\nmetadata: { name: a }\nspec: {}`,
        `${H}kind: FleetIndexing\nmetadata: { name: default }\nspec: { thingIndexingMode: REGISTRY }`,
        `${H}kind: Policy\nmetadata: { name: p1 }\nspec: { documentFile: p.json }`,
        `${H}kind: Policy\nmetadata: { name: p2 }\nspec: { document: '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iot:*","Resource":"*"}]}' }`,
      ].join('\n---\n'),
      'p.json': '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iot:Connect","Resource":"*"}]}',
      '.hidden/x.yaml': 'not: [valid',
      '.dot.yaml': 'not: [valid',
      'node_modules/pkg/x.yaml': 'not: [valid',
    });
    const s = await load(dir);
    expect(s.resources.map((r) => `${r.kind}/${r.name}`)).toEqual([
      'FleetIndexing/default', 'ThingGroup/a', 'ThingGroup/z', 'Thing/a', 'Thing/b', 'Policy/p1', 'Policy/p2',
    ]);
    expect(find(s, 'Thing', 'b').spec.groups).toEqual(['a', 'z']);
    expect(find(s, 'ThingGroup', 'z')).toMatchObject({ tags: { team: 'x', cost: '7' }, spec: { policies: ['p1', 'p2'] } });
    expect(find(s, 'FleetIndexing', 'default').spec).toEqual({ thingIndexingMode: 'REGISTRY', thingConnectivityIndexingMode: 'OFF' });
    expect(find(s, 'ThingGroup', 'a').source).toEqual({ file: 'all.yaml', line: 11, column: 1 });
  });

  it('computes certificate identities locally: SHA-256 of the DER, and the SPKI of RSA and EC CSRs', async () => {
    const dir = fleet({
      'certs.yaml': [
        `${H}kind: Certificate\nmetadata: { name: existing }\nspec: { certificateFile: pki/cert.pem, status: INACTIVE }`,
        `${H}kind: Certificate\nmetadata: { name: ec }\nspec: { csrFile: pki/ec.csr }`,
        `${H}kind: Certificate\nmetadata: { name: rsa }\nspec: { csrFile: pki/rsa.csr }`,
        `${H}kind: Certificate\nmetadata: { name: gen }\nspec: { generate: true }`,
      ].join('\n---\n'),
    });
    mkdirSync(join(dir, 'pki'));
    for (const f of ['cert.pem', 'ec.csr', 'rsa.csr']) copyFileSync(join(pki, f), join(dir, 'pki', f));
    const s = await load(dir);
    const existing = find(s, 'Certificate', 'existing').spec;
    expect(existing.status).toBe('INACTIVE');
    // Computed with `openssl x509 -in cert.pem -outform der | sha256sum`.
    expect(existing.source).toMatchObject({ type: 'pem', certificateId: 'd12a301bea9b8d0e4a852d47b906ed64e055de1841f72cbdf6de50e519d122f6' });
    // Expected keys come from `openssl req -in X.csr -pubkey -noout`.
    expect(find(s, 'Certificate', 'ec').spec.source).toMatchObject({ type: 'csr', publicKeyPem: readFileSync(join(pki, 'ec.pub.pem'), 'utf8') });
    expect(find(s, 'Certificate', 'rsa').spec.source).toMatchObject({ type: 'csr', publicKeyPem: readFileSync(join(pki, 'rsa.pub.pem'), 'utf8') });
    expect(find(s, 'Certificate', 'gen').spec).toEqual({ source: { type: 'generate' }, status: 'ACTIVE', things: [], policies: [] });
  });

  it('turns job documents into JSON text and defaults selection and status', async () => {
    const dir = fleet({
      'jobs.yaml': [
        `${H}kind: Thing\nmetadata: { name: t1 }\nspec: {}`,
        `${H}kind: Job\nmetadata: { name: j-obj }\nspec:\n  targets: { things: [t1] }\n  document: { operation: reboot, steps: [1, 2] }\n  timeout: { inProgressTimeoutInMinutes: 30 }`,
        `${H}kind: Job\nmetadata: { name: j-file }\nspec:\n  targets: { things: [t1] }\n  targetSelection: CONTINUOUS\n  documentFile: job.json\n  status: cancelled`,
      ].join('\n---\n'),
      'job.json': '{ "operation": "update",\n  "url": "${aws:iot:s3-presigned-url:https://s3.amazonaws.com/b/k}" }\n',
    });
    const s = await load(dir);
    expect(find(s, 'Job', 'j-obj').spec).toEqual({
      targets: { things: ['t1'], groups: [] }, targetSelection: 'SNAPSHOT', document: '{"operation":"reboot","steps":[1,2]}',
      timeout: { inProgressTimeoutInMinutes: 30 }, status: 'active',
    });
    expect(find(s, 'Job', 'j-file').spec).toMatchObject({ targetSelection: 'CONTINUOUS', status: 'cancelled', document: readFileSync(join(dir, 'job.json'), 'utf8') });
  });

  it('derives the revision from file paths and bytes only', async () => {
    const files = { 'a.yaml': `${H}kind: Thing\nmetadata: { name: a }\nspec: {}\n`, 'notes.txt': 'hello' };
    const one = await load(fleet(files));
    const two = await load(fleet(files));
    const three = await load(fleet({ ...files, 'notes.txt': 'hello!' }));
    expect(one.revision).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(two.revision).toBe(one.revision);
    expect(three.revision).not.toBe(one.revision);
  });

  it('reports a fleet directory that does not exist', async () => {
    const r = await loadFleet({ dir: join(tmpdir(), 'iotops-no-such-dir-xyz'), processEnv: {} });
    expect(r.state).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, d.file, d.line, d.column])).toEqual([['fleet-not-found', '.', 1, 1]]);
  });
});
