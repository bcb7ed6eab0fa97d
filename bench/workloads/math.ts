// Math-library benchmarks: spherical harmonics throughput (W3: lmax 3 on 200k vectors, float64
// reference path) and the time to build every Clebsch-Gordan table up to l = 16 (cold).

import { execFileSync } from 'node:child_process';
import { sphericalHarmonicsInto } from '../../stdlib/groups/o3/sphericalHarmonics.js';
import { createRng } from '../../stdlib/math/random.js';
import { type BenchResult, timeIt } from '../report.js';

export async function mathBench(): Promise<BenchResult[]> {
  const n = 200_000;
  const rng = createRng(3);
  const xyz = new Float64Array(3 * n).map(() => rng.normal());
  const out = new Float64Array(16 * n);
  sphericalHarmonicsInto(3, xyz, out);
  const sh = timeIt(() => sphericalHarmonicsInto(3, xyz, out), 5);

  const cold = JSON.parse(
    execFileSync(process.execPath, ['--import', 'tsx', 'bench/workloads/cgBuild.ts'], { encoding: 'utf8' }),
  ) as { tables: number; seconds: number };

  return [
    { workload: 'W3 spherical-harmonics lmax=3 (200k vectors)', target: 'math', backend: 'float64', seconds: sh.median, items_per_s: n / sh.median, note: 'sphericalHarmonicsInto, component normalization' },
    { workload: 'wigner3j all tables l<=16', target: 'math', backend: 'float64', seconds: cold.seconds, items_per_s: cold.tables / cold.seconds, note: `${cold.tables} tables, cold cache, exact rational CG` },
  ];
}
