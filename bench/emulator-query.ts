// Micro benchmark: one parsed fleet-indexing query evaluated against 100,000 thing documents, as
// a dynamic-group rebuild or an unpaged SearchIndex does. Target: well under 200 ms per pass.
// Run: npx tsx bench/emulator-query.ts
import { matchesQuery, parseQuery } from '../src/emulator/query/index.js';
import type { ThingDocument } from '../src/emulator/query/index.js';

const thingCount = 100_000;
const passes = 15;

// Deterministic generator (mulberry32) so runs are comparable.
function makeThings(count: number): ThingDocument[] {
  let seed = 42;
  const next = (n: number): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4_294_967_296) * n);
  };
  const types = ['TV', 'Sensor', 'Light', 'Gateway'];
  const groups = ['kitchen', 'living', 'tvs', 'critical', 'greenhouse', 'basement'];
  return Array.from({ length: count }, (_, i): ThingDocument => ({
    thingName: `${types[i % 4].toLowerCase()}-${i}`,
    thingId: `0000-${i}`,
    thingTypeName: types[i % 4],
    thingGroupNames: [groups[next(6)], groups[next(6)]],
    attributes: { battery: String(next(101)), model: next(3) === 0 ? 'legacy' : `m${next(50)}`, serial: `sn${next(99999)}` },
    shadow: {
      reported: { stats: { battery: next(101), temp: next(400) / 10 - 10 }, power: next(2) === 0 ? 'on' : 'off' },
      desired: { power: 'on' },
    },
    connectivity: { connected: next(2) === 0, timestamp: 1_557_600_000_000 + next(400_000_000) },
  }));
}

const queries = [
  'thingName:tv*',
  'thingTypeName:TV AND attributes.battery<20',
  'shadow.reported.stats.battery:{70 TO 100} (thingGroupNames:tvs OR thingGroupNames:kitchen) NOT attributes.model:legacy',
  'connectivity.connected:true AND connectivity.timestamp:[1557651600000 TO 1557867600000]',
  'shadow.hasDelta:true AND thingTypeName:Light',
  'sn4242',
  // Worst case: seven unqualified terms, each scanning every registry and shadow value.
  'sn1 OR sn2 OR sn3 OR sn4 OR sn5 OR sn6 OR sn7',
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const things = makeThings(thingCount);
// CPU time is reported next to wall time: on a shared, loaded machine wall time mostly measures
// waiting for a core.
process.stdout.write(`node ${process.version}, ${thingCount} things, ${passes} passes; median wall, median cpu, best wall (ms)\n`);
for (const text of queries) {
  const query = parseQuery(text);
  const wall: number[] = [];
  const cpu: number[] = [];
  let matched = 0;
  for (let pass = 0; pass < passes; pass++) {
    const start = process.hrtime.bigint();
    const startCpu = process.cpuUsage();
    matched = 0;
    for (const thing of things) if (matchesQuery(query, thing)) matched++;
    const usedCpu = process.cpuUsage(startCpu);
    wall.push(Number(process.hrtime.bigint() - start) / 1e6);
    cpu.push((usedCpu.user + usedCpu.system) / 1e3);
  }
  const cells = [median(wall), median(cpu), Math.min(...wall)].map((ms) => ms.toFixed(1).padStart(7));
  process.stdout.write(`${cells.join(' ')}  ${String(matched).padStart(6)} matches  ${text}\n`);
}
