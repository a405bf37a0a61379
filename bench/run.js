#!/usr/bin/env node
// `npm run bench [-- NAME ...]`: runs the benchmarks under bench/ one after another, each in its
// own Node process (so peak-memory figures are per benchmark), and prints their reports.
// With names, runs only bench/NAME.ts. Soak runs (bench/soak*.ts) are long and only run by name.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const all = readdirSync(here)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3))
  .sort();
const names = wanted.length > 0 ? wanted : all.filter((n) => !n.startsWith('soak'));
const unknown = names.filter((n) => !all.includes(n));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${all.join(', ')}`);
  process.exit(1);
}
let failed = 0;
for (const name of names) {
  console.log(`\n=== bench/${name}.ts`);
  const res = spawnSync(process.execPath, ['--import', 'tsx', join(here, `${name}.ts`)], {
    stdio: 'inherit',
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  if (res.status !== 0) {
    failed++;
    console.error(`bench/${name}.ts exited with ${res.status ?? res.signal}`);
  }
}
process.exit(failed > 0 ? 1 : 0);
