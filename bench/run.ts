// `npm run bench [-- --json] [-- --only name,...]`: every benchmark, as a table or as JSON
// ({workload, target, backend, items_per_s, ...}). Results on a given machine are recorded in
// docs/benchmarks.md.

import * as os from 'node:os';
import { type BenchResult, renderTable } from './report.js';
import { frontEndBench } from './workloads/frontEnd.js';
import { mathBench } from './workloads/math.js';
import { crossovers, productKindsBench } from './workloads/productKinds.js';
import { neighboursBench } from './workloads/neighbours.js';
import { tfjsBench } from './workloads/tfjs.js';
import { wasmSuite } from './workloads/wasm.js';
import { trainingBench } from './workloads/training.js';
import { torchBench } from './workloads/torch.js';
import { wgslBench } from './workloads/wgsl.js';

const suites: Record<string, () => Promise<BenchResult[]>> = {
  'front-end': frontEndBench,
  math: mathBench,
  neighbours: () => neighboursBench(),
  tfjs: () => tfjsBench(),
  wgsl: () => wgslBench(),
  wasm: () => wasmSuite(),
  torch: () => torchBench(),
  products: () => productKindsBench(),
  training: () => trainingBench(),
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
    const cross = crossovers(results);
    process.stdout.write(`machine: ${cpu}, ${os.cpus().length} cores, Node ${process.version}, load ${os.loadavg()[0]!.toFixed(2)}\n\n${renderTable(results)}\n${cross.length > 0 ? `\n${cross.join('\n')}\n` : ''}`);
  }
}

await main();
