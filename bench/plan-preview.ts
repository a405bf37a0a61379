// Micro benchmark of the planner's offline fleet-indexing work at 100,000 things: one query
// evaluated by the controller-side matcher (src/manifest/query, `matchesThing`), and the
// membership preview of a dynamic group whose query changes (old query on the live things, new
// query on the desired ones). Targets (2-core machine): < 500 ms CPU per matcher pass and
// < 1 s CPU per preview; these were wall-clock limits in the unit tests before.
// Run: npm run bench -- plan-preview
import type { DesiredResource, DesiredState, KindName } from '../src/model/resource.js';
import type { LiveResource } from '../src/model/live.js';
import type { DynamicThingGroupLive } from '../src/kinds/dynamic-thing-group.js';
import { membershipPreview } from '../src/kinds/dynamic-thing-group/preview.js';
import { matchesThing, parseFleetQuery, type RegistryThing } from '../src/lang/query/index.js';

const thingCount = 100_000;
const passes = 9;
const src = { file: 'fleet.yaml', line: 1, column: 1 };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Median wall and CPU ms of `passes` runs of `fn`, and its last result. */
function measure<T>(fn: () => T): { wall: number; cpu: number; result: T } {
  const wall: number[] = [];
  const cpu: number[] = [];
  let result!: T;
  for (let pass = 0; pass < passes; pass++) {
    const start = process.hrtime.bigint();
    const startCpu = process.cpuUsage();
    result = fn();
    const used = process.cpuUsage(startCpu);
    wall.push(Number(process.hrtime.bigint() - start) / 1e6);
    cpu.push((used.user + used.system) / 1e3);
  }
  return { wall: median(wall), cpu: median(cpu), result };
}

function report(name: string, m: { wall: number; cpu: number }, targetCpuMs: number, detail: string): boolean {
  const ok = m.cpu < targetCpuMs;
  process.stdout.write(`${m.wall.toFixed(1).padStart(8)} ${m.cpu.toFixed(1).padStart(8)}  < ${targetCpuMs} ms cpu ${ok ? 'ok  ' : 'OVER'}  ${name}: ${detail}\n`);
  return ok;
}

process.stdout.write(`node ${process.version}, ${thingCount} things, ${passes} passes; median wall, median cpu (ms)\n`);

// The matcher: the same things and query the unit test checks for correctness.
const parsed = parseFleetQuery('thingTypeName:sensor AND attributes.battery<20 AND thingName:sensor-* AND -thingGroupNames:retired');
if (!parsed.ok) throw new Error(parsed.message);
const registry: RegistryThing[] = Array.from({ length: thingCount }, (_, i) => ({
  thingName: `sensor-${i}`,
  thingTypeName: i % 2 === 0 ? 'sensor' : 'gateway',
  thingGroupNames: i % 10 === 0 ? ['retired'] : ['active'],
  attributes: { battery: String(i % 100), site: 'berlin' },
}));
const matcher = measure(() => {
  let hits = 0;
  for (const t of registry) if (matchesThing(parsed.query, t) === true) hits++;
  return hits;
});

// The preview: a query change over 100,000 things that exist both in the fleet and in AWS.
const desired: DesiredResource[] = [
  { kind: 'FleetIndexing', name: 'default', tags: {}, spec: { thingIndexingMode: 'REGISTRY', thingConnectivityIndexingMode: 'OFF' }, source: src },
];
const liveThings: LiveResource[] = [];
for (let i = 0; i < thingCount; i++) {
  const name = `sensor-${String(i).padStart(6, '0')}`;
  const attributes = { battery: String(i % 100), site: i % 2 === 0 ? 'berlin' : 'paris' };
  desired.push({ kind: 'Thing', name, tags: {}, spec: { type: 'sensor', attributes, groups: [] }, source: src });
  liveThings.push({ kind: 'Thing', name, ownership: 'managed', tags: {}, state: { arn: `arn:thing/${name}`, type: 'sensor', attributes, groups: [], version: 1 } });
}
const group: DesiredResource = { kind: 'DynamicThingGroup', name: 'low-battery', tags: {}, spec: { query: 'attributes.site:berlin AND attributes.battery<20', attributes: {} }, source: src };
const oldGroup = {
  kind: 'DynamicThingGroup',
  name: 'low-battery',
  ownership: 'managed',
  tags: { 'iotops:managed-by': 'bench' },
  state: { arn: 'arn:aws:iot:eu-west-1:1:thinggroup/low-battery', version: 1, dynamic: true, query: 'attributes.site:berlin AND attributes.battery<10', attributes: {} },
} as LiveResource<'DynamicThingGroup', DynamicThingGroupLive>;
const state: DesiredState = { revision: 'r', config: { prune: false, adopt: false, fleetId: 'bench', vars: {}, ignore: [] }, resources: [...desired, group] };
const live = new Map<KindName, readonly LiveResource[]>([['Thing', liveThings]]);
const preview = measure(() => membershipPreview(group as DesiredResource & { kind: 'DynamicThingGroup' }, oldGroup, { desired: state, live, now: 0 }));

const ok = [
  report('matchesThing, one query', matcher, 500, `${matcher.result} hits`),
  report('membershipPreview, query change', preview, 1000, (preview.result ?? []).map((n) => n.split(':')[0]).join('; ')),
].every(Boolean);
if (!ok) process.exitCode = 1;
