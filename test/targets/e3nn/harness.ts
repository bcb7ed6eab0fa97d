// Shared by the e3nn cross-checks: read a fixture written by test/fixtures/e3nn/generate.py (real
// e3nn 0.5.6, float64), compile a one-op eqv program, load the fixture's weights under eqv's
// parameter names (the same names and flat layouts a weights file uses) and run it on the float64
// reference and on tfjs (float32).

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { compileSource } from '../../../compiler/compile.js';
import type { IRModule } from '../../../ir/types.js';
import type { RuntimeBatch } from '../../../targets/io/inputs.js';
import { initialParams } from '../../../targets/io/params.js';
import { evaluate } from '../../../targets/ref/evaluate.js';
import { loadModel } from '../../../targets/tfjs/load.js';
import { useBackend } from '../../../targets/tfjs/ops/backend.js';
import { assignParams } from '../../../targets/tfjs/ops/weights.js';
import { runGenerated } from '../../../targets/tfjs/runner.js';

export function readFixture<T>(name: string): T {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../../fixtures/e3nn/${name}`, import.meta.url)), 'utf8')) as T;
}

export function compileOne(source: string): IRModule {
  const r = compileSource(source, 'e3nn.eqv');
  expect(r.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return r.ir[0]!;
}

/** A batch of node inputs, all rows in one graph; rows given as arrays. */
export function nodeBatch(inputs: Record<string, readonly (readonly number[])[]>): RuntimeBatch {
  const rows = Object.values(inputs)[0]!.length;
  const values = new Map(Object.entries(inputs).map(([k, v]) => [k, Float64Array.from(v.flat())]));
  return { numGraphs: 1, numNodes: rows, graphPtr: Int32Array.from([0, rows]), nodeGraph: new Int32Array(rows), values, wrapped: true };
}

/**
 * The module's parameters from the fixture: every parameter of the module must be in it under
 * its eqv name with its number of elements (so a name or layout change fails here), and nothing else.
 */
export function fixtureParams(module: IRModule, given: Record<string, readonly number[]>): Map<string, Float64Array> {
  expect(module.params.map((p) => p.name).sort()).toEqual(Object.keys(given).sort());
  const params = initialParams(module, 0);
  for (const p of module.params) {
    const v = given[p.name]!;
    expect(v.length, p.name).toBe(params.get(p.name)!.length);
    params.set(p.name, Float64Array.from(v));
  }
  return params;
}

/** max |got - want| / max(1, max |want|): relative to the output's scale, absolute below 1. */
export function scaledError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  if (got.length !== want.length) return Infinity;
  let scale = 1;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]!));
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const e = Math.abs(got[i]! - want[i]!);
    worst = Number.isNaN(e) ? Infinity : Math.max(worst, e);
  }
  return worst / scale;
}

export function refOutput(module: IRModule, batch: RuntimeBatch, params: Map<string, Float64Array>, name = 'y'): Float64Array {
  return evaluate(module, batch, params).get(name)!;
}

export async function tfjsOutput(module: IRModule, batch: RuntimeBatch, params: Map<string, Float64Array>, name = 'y'): Promise<Float64Array> {
  await useBackend('cpu');
  const model = await loadModel(module);
  assignParams(model.params, params);
  return runGenerated(model, batch).get(name)!;
}
