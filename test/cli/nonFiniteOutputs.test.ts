// A run whose outputs are NaN or infinite (here float32 overflow: an input of 3e38 squared by a
// layer norm) fails with a message naming the output and graph; it printed `{"y": [null, ...]}`
// and exited 0. The float64 reference computes the same input and prints numbers.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nonFiniteOutputs } from '../../targets/io/outputs.js';
import { eqvc } from './harness.js';

describe('run outputs that are not finite', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eqv-nonfinite-'));
  const input = path.join(dir, 'big.json');
  fs.writeFileSync(input, JSON.stringify({ graphs: [{ pos: [[0, 0, 0]], x: [[1, 1]] }, { pos: [[0, 0, 0], [1, 0, 0]], x: [[3e38, 1], [1, 1]] }] }));

  it('tfjs: an error naming the output and graph, no JSON with nulls', async () => {
    const r = await eqvc('run', 'examples/residual.eqv', '--input', input, '--target', 'tfjs', '--backend', 'cpu');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain('eqvc: running Residual gave numbers that are not finite:\n  output y in graph 1: 7 of 7 numbers are NaN; --target tfjs computes in float32');
    expect(r.err).not.toContain('graph 0');
  });

  it('ref (float64) prints the finite outputs', async () => {
    const r = await eqvc('run', 'examples/residual.eqv', '--input', input);
    expect(r.code).toBe(0);
    const y = (JSON.parse(r.out) as { graphs: { y: number[] }[] }).graphs[1]!.y;
    expect(y.every((v) => Number.isFinite(v))).toBe(true);
  });

  it('names NaN and infinite values of unwrapped outputs', () => {
    expect(nonFiniteOutputs({ f: [[1, NaN], [Infinity, 2]], e: [1] })).toEqual(['output f: 2 of 4 numbers are NaN or infinite']);
  });
});
