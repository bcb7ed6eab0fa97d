// Front-end benchmark: checking (parse + resolve + check) and compiling (+ lowering to IR) a
// generated 200-layer model.

import { checkFile, compile } from '../../compiler/compile.js';
import type { BenchResult } from '../report.js';
import { timeIt } from '../report.js';
import { deepModelSource } from './deepModel.js';

export async function frontEndBench(): Promise<BenchResult[]> {
  const text = deepModelSource(200);
  const lines = text.split('\n').length;
  // Warm up the parser and the Clebsch-Gordan cache once, as a long-running process would be.
  checkFile('deep200.eqv', { text });
  const check = timeIt(() => {
    const r = checkFile('deep200.eqv', { text });
    if (!r.ok) throw new Error('the generated model does not check');
  }, 5);
  const full = timeIt(() => {
    const r = compile('deep200.eqv', { text });
    if (r.ir.length !== 1) throw new Error('the generated model does not lower');
  }, 3);
  return [
    { workload: 'check-200-layers', target: 'compiler', backend: 'node', seconds: check.median, items_per_s: 1 / check.median, note: `${lines} lines; parse + resolve + check` },
    { workload: 'compile-200-layers', target: 'compiler', backend: 'node', seconds: full.median, items_per_s: 1 / full.median, note: `${lines} lines; check + lower to IR` },
  ];
}
