// Training data that does not fit the model is a clear dataset error (eqvc train: exit 2,
// "invalid dataset"), never a crash (exit 70) or training on another graph's rows: a binary
// graph_ptr that decreases, does not start at 0 or ends past the node rows; the wrong number
// of force rows; a graph without targets.

import { describe, expect, it } from 'vitest';
import { compile } from '../../../compiler/compile.js';
import { readSafetensors, writeSafetensors } from '../../../targets/io/safetensors.js';
import { DatasetError, parseDatasetBinary, parseDatasetJson, writeDatasetBinary } from '../../../targets/tfjs/train.js';

const module = compile('examples/tetris.eqv').ir[0]!;
const graph = (n: number, extra: Record<string, unknown> = {}) => ({
  pos: Array.from({ length: n }, (_, i) => [i, 0.5 * i, 0]),
  x: Array.from({ length: n }, () => [1]),
  targets: { y: [1, 2, 3, 4, 5, 6, 7, 8] },
  ...extra,
});

function error(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DatasetError);
    return (e as Error).message;
  }
  throw new Error('expected a DatasetError');
}

describe('JSON training data', () => {
  it('a valid set parses', () => {
    expect(parseDatasetJson({ graphs: [graph(3), graph(2)] }, module, 'mse').map((e) => e.nodes)).toEqual([3, 2]);
  });
  it('the wrong number of force rows', () => {
    const m = error(() => parseDatasetJson({ graphs: [graph(3, { forces: [[0, 0, 0]] })] }, module, 'mse'));
    expect(m).toBe('graph 0: 1 force rows for 3 nodes (one row of 3 per node)');
  });
  it('a graph without targets', () => {
    const m = error(() => parseDatasetJson({ graphs: [graph(3), { pos: [[0, 0, 0]], x: [[1]] }] }, module, 'mse'));
    expect(m).toBe('graph 1 has no targets (give "targets": {<output>: value} for y)');
  });
});

describe('JSON training data with keys the reader does not know', () => {
  it('a misspelt "forces", an unknown input and a key beside "graphs" are errors, not skipped', () => {
    const bad = { graphs: [graph(2, { forcse: [[0, 0, 0], [0, 0, 0]], xx: [[1]] })], note: 1 };
    expect(error(() => parseDatasetJson(bad, module, 'mse'))).toBe(
      [
        'unexpected key note next to "graphs" (put inputs, "targets" and "forces" inside each graph)',
        'graph 0: unknown key forcse (a graph has the model\'s inputs pos, x, "targets" and "forces")',
        'graph 0: unknown key xx (a graph has the model\'s inputs pos, x, "targets" and "forces")',
      ].join('\n'),
    );
  });
  it('a missing input is named, not "got undefined"', () => {
    const g = graph(2) as Record<string, unknown>;
    delete g.x;
    expect(error(() => parseDatasetJson({ graphs: [g] }, module, 'mse'))).toBe('graph 0 has no input x');
  });
  it('"targets" that is not an object', () => {
    expect(error(() => parseDatasetJson({ graphs: [graph(2, { targets: [1, 2] })] }, module, 'mse'))).toBe('graph 0: "targets" must be an object {<output>: value}, got an array');
  });
});

describe('binary training data', () => {
  const good = writeDatasetBinary(parseDatasetJson({ graphs: [graph(3), graph(2)] }, module, 'mse'));
  const withPtr = (ptr: number[]) => {
    const tensors = new Map(readSafetensors(good).tensors);
    tensors.set('graph_ptr', { dtype: 'F64', shape: [ptr.length], data: Float64Array.from(ptr) });
    return writeSafetensors(tensors);
  };

  it('a valid file parses back', () => {
    expect(parseDatasetBinary(good, module, 'mse').map((e) => e.nodes)).toEqual([3, 2]);
  });
  it('graph_ptr that decreases, does not start at 0, or ends elsewhere than the node rows', () => {
    expect(error(() => parseDatasetBinary(withPtr([0, 4, 2]), module, 'mse'))).toBe('graph_ptr must be integer node offsets that never decrease: entry 2 is 2 after 4');
    expect(error(() => parseDatasetBinary(withPtr([1, 3, 5]), module, 'mse'))).toBe('graph_ptr must start at 0, got 1');
    expect(error(() => parseDatasetBinary(withPtr([0, 3, 9]), module, 'mse'))).toBe('graph_ptr ends at 9 nodes, but the node inputs have 5 rows');
    expect(error(() => parseDatasetBinary(withPtr([0]), module, 'mse'))).toContain('graph_ptr has 1 entries');
  });
  it('graph_ptr with another number of graphs than the targets', () => {
    expect(error(() => parseDatasetBinary(withPtr([0, 1, 3, 5]), module, 'mse'))).toBe('target.y has 16 numbers, expected 24');
  });
});

describe('flow training data', () => {
  it('a sequence that is not whole frames is a dataset error (it crashed in a reshape)', () => {
    const flow = compile('examples/flow_tracker.eqv').ir[0]!;
    const seq = (rows: number) => ({ frames: Array.from({ length: rows }, (_, i) => [0.1 * i]), targets: { velocity: 3 } });
    expect(error(() => parseDatasetJson({ graphs: [seq(50), seq(27)] }, flow, 'cross_entropy'))).toBe('graph 1 has 27 grid2d rows, not a whole number of 5x5 frames (a multiple of 25)');
    expect(parseDatasetJson({ graphs: [seq(50), seq(25)] }, flow, 'cross_entropy').map((e) => e.nodes)).toEqual([50, 25]);
  });
});
