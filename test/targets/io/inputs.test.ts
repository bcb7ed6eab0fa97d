import { describe, expect, it } from 'vitest';
import type { IRModule } from '../../../ir/types.js';
import { Irreps } from '../../../stdlib/groups/o3/index.js';
import { repLayout } from '../../../stdlib/nn/tensorProduct.js';
import { parseRunInput } from '../../../targets/io/inputs.js';
import { formatRunOutput } from '../../../targets/io/outputs.js';

const field = (domain: 'node' | 'edge' | 'graph', rep: string) => ({ kind: 'field' as const, domain, rep: repLayout(Irreps.parse(rep)) });

const model: Pick<IRModule, 'inputs' | 'outputs' | 'group'> = {
  group: { name: 'E(3)', factors: [{ family: 'E', args: [3] }], spaceDim: 3, translations: true },
  inputs: [
    { name: 'pos', value: '%0', type: { kind: 'points', dim: 3 } },
    { name: 'x', value: '%1', type: field('node', '1x0e+1x1o') },
    { name: 'u', value: '%2', type: field('graph', '2x0e') },
  ],
  outputs: [
    { name: 'y', value: '%9', type: field('graph', '1x0e') },
    { name: 'h', value: '%8', type: field('node', '2x0e') },
  ],
};

const g0 = { pos: [[0, 0, 0], [1, 0, 0]], x: [[1, 0, 0, 1], [2, 1, 1, 1]], u: [0.5, -1] };
const g1 = { pos: [[0, 1, 0]], x: [[3, 0, 1, 0]], u: [1, 2] };

describe('run input', () => {
  it('batches graphs: nodes concatenated, graph pointers, graph-level rows', () => {
    const r = parseRunInput({ graphs: [g0, g1] }, model);
    if (!r.ok) throw new Error(r.errors.join('\n'));
    const b = r.batch;
    expect(b.numGraphs).toBe(2);
    expect(b.numNodes).toBe(3);
    expect(Array.from(b.graphPtr)).toEqual([0, 2, 3]);
    expect(Array.from(b.nodeGraph)).toEqual([0, 0, 1]);
    expect(Array.from(b.values.get('pos')!)).toEqual([0, 0, 0, 1, 0, 0, 0, 1, 0]);
    expect(Array.from(b.values.get('u')!)).toEqual([0.5, -1, 1, 2]);
    expect(b.wrapped).toBe(true);
  });

  it('accepts a single graph without the wrapper', () => {
    const r = parseRunInput(g1, model);
    expect(r.ok && r.batch.wrapped).toBe(false);
    expect(r.ok && r.batch.numNodes).toBe(1);
  });

  it('reports every problem at once, naming the input and the graph', () => {
    const r = parseRunInput(
      {
        graphs: [
          { pos: [[0, 0, 0], [1, 0]], x: [[1, 0, 0, 1]], u: [1, 2], extra: 1 },
          { pos: [], x: [], u: [1, 'a'] },
          { pos: [[0, 0, 0]], x: [[1, 0, 0, 1]] },
        ],
      },
      model,
    );
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors).toEqual([
      'unknown input extra in graph 0 (the model\'s inputs are pos, x, u)',
      'input pos in graph 0: row 1 has 2 numbers, expected 3',
      'input x in graph 0 has 1 rows but pos has 2: every per-node input needs one row per node',
      'input u in graph 1: entry 1 must be a finite number, got the string "a"',
      'graph 1 has no nodes: pos is empty (a graph needs at least one node)',
      'missing input u in graph 2',
    ]);
  });

  it('rejects non-finite numbers and malformed documents', () => {
    const r = parseRunInput({ pos: [[0, NaN, 0]], x: [[1, 0, 0, Infinity]], u: [1, 2] }, model);
    expect(!r.ok && r.errors).toEqual(['input pos: row 0 entry 1 must be a finite number, got NaN', 'input x: row 0 entry 3 must be a finite number, got Infinity']);
    expect(parseRunInput([1, 2], model)).toEqual({ ok: false, errors: ['the input must be a JSON object, either {"graphs": [...]} or one graph; got an array of 2'] });
    expect(!parseRunInput({ graphs: [] }, model).ok).toBe(true);
    const bad = parseRunInput({ graphs: [g0], pos: [] }, model);
    expect(!bad.ok && bad.errors[0]).toMatch(/unexpected key pos next to "graphs"/);
  });

  it('allows one node and no edges', () => {
    expect(parseRunInput({ pos: [[0, 0, 0]], x: [[1, 0, 0, 0]], u: [0, 0] }, model).ok).toBe(true);
  });

  it('refuses edge-domain inputs with a reason', () => {
    const r = parseRunInput({ e: [[1]] }, { ...model, inputs: [{ name: 'e', value: '%0', type: field('edge', '1x0e') }] });
    expect(!r.ok && r.errors[0]).toMatch(/input e: edge-domain inputs are not supported/);
  });
});

describe('run output', () => {
  it('mirrors the input: rows per node, one flat array per graph', () => {
    const r = parseRunInput({ graphs: [g0, g1] }, model);
    if (!r.ok) throw new Error('parse');
    const outputs = new Map([
      ['y', Float64Array.of(1.5, -2)],
      ['h', Float64Array.of(1, 2, 3, 4, 5, 6)],
    ]);
    expect(formatRunOutput(model, r.batch, outputs)).toEqual({
      graphs: [
        { y: [1.5], h: [[1, 2], [3, 4]] },
        { y: [-2], h: [[5, 6]] },
      ],
    });
    const single = parseRunInput(g1, model);
    if (!single.ok) throw new Error('parse');
    expect(formatRunOutput(model, single.batch, new Map([['y', Float64Array.of(3)], ['h', Float64Array.of(7, 8)]]))).toEqual({ y: [3], h: [[7, 8]] });
  });
});
