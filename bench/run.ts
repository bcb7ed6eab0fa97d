// `npm run bench [-- --json] [-- --only name,...]`: every benchmark, as a table or as JSON
// ({workload, target, backend, items_per_s, ...}). Results on a given machine are recorded in
// docs/benchmarks.md.

import * as os from 'node:os';
import { type BenchResult, renderTable } from './report.js';
import { frontEndBench } from './workloads/frontEnd.js';
import { mathBench } from './workloads/math.js';
import { neighboursBench } from './workloads/neighbours.js';
import { tfjsBench } from './workloads/tfjs.js';
import { torchBench } from './workloads/torch.js';
import { wgslBench } from './workloads/wgsl.js';

const suites: Record<string, () => Promise<BenchResult[]>> = {
  'front-end': frontEndBench,
  math: mathBench,
  neighbours: () => neighboursBench(),
  tfjs: () => tfjsBench(),
  wgsl: () => wgslBench(),
  torch: () => torchBench(),
};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const onlyIdx = args.indexOf('--only');
  const only = onlyIdx >= 0 ? args[onlyIdx + 1]?.split(',') : undefined;
  const results: BenchResult[] = [];
  for (const [name, suite] of Object.entries(suites)) {
    if (only && !only.includes(name)) continue;
    if (!json) process.stderr.write(`running ${name}...\n`);
    results.push(...(await suite()));
  }
  if (json) {
    process.stdout.write(JSON.stringify(results, null, 2) + '\n');
  } else {
    const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
    process.stdout.write(`machine: ${cpu}, ${os.cpus().length} cores, Node ${process.version}\n\n${renderTable(results)}\n`);
  }
}

await main();
