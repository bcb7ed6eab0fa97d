// The release fuzz campaign (docs/testing.md): the properties of test/fuzz/pipeline.test.ts in one
// process, in chunks of seeded runs, so that a long campaign's partial results count and one
// failure does not end it. Each chunk appends one JSON line to the log: its seed, runs, module
// loads, seconds and any failure (the shrunk program and fast-check's replay path).
//
//   npx tsx test/fuzz/campaign.ts --runs 100000 --chunk 2000 --seed 1000 --log fuzz.jsonl [--until 2026-12-07T06:40Z]

import fc from 'fast-check';
import * as fs from 'node:fs';
import { anyProgram, validWithHostileComments } from './programs.js';
import { buildAndLoad, checkAndBuild } from './property.js';

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1]! : fallback;
}

const total = Number(option('runs', '100000'));
const chunk = Number(option('chunk', '2000'));
const firstSeed = Number(option('seed', '1000'));
const log = option('log', 'fuzz-campaign.jsonl');
const until = Date.parse(option('until', '9999-01-01T00:00Z'));

interface Failure { readonly property: string; readonly seed: number; readonly path?: string; readonly error: string }

async function runChunk(seed: number, runs: number): Promise<{ runs: number; loads: number; modules: number; failures: Failure[] }> {
  const failures: Failure[] = [];
  let modules = 0;
  const build = await fc.check(fc.asyncProperty(anyProgram, async (text) => { modules += (await checkAndBuild(text)).length; }), { numRuns: runs, seed });
  if (build.failed) failures.push({ property: 'check+build', seed, path: build.counterexamplePath ?? undefined, error: String(build.errorInstance).slice(0, 20_000) });
  // The loads run at the rate of the npm-test property for long runs: one per 50 programs.
  const loads = Math.max(1, Math.round(runs / 50));
  const load = await fc.check(fc.asyncProperty(validWithHostileComments, buildAndLoad), { numRuns: loads, seed: seed + 1 });
  if (load.failed) failures.push({ property: 'load', seed: seed + 1, path: load.counterexamplePath ?? undefined, error: String(load.errorInstance).slice(0, 20_000) });
  return { runs: build.numRuns, loads: load.numRuns, modules, failures };
}

let done = 0;
let loaded = 0;
const started = Date.now();
for (let k = 0; done < total && Date.now() < until; k++) {
  const seed = firstSeed + 2 * k;
  const t0 = Date.now();
  const r = await runChunk(seed, Math.min(chunk, total - done));
  done += r.runs;
  loaded += r.loads;
  const line = { seed, runs: r.runs, loads: r.loads, modules_built: r.modules, seconds: (Date.now() - t0) / 1000, total_runs: done, total_loads: loaded, total_seconds: (Date.now() - started) / 1000, failures: r.failures };
  fs.appendFileSync(log, `${JSON.stringify(line)}\n`);
  console.log(`seed ${seed}: ${r.runs} runs, ${r.loads} loads, ${r.modules} modules built, ${line.seconds} s, ${r.failures.length} failures (total ${done} runs, ${loaded} loads)`);
}
