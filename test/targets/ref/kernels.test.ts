import { describe, expect, it } from 'vitest';
import { scaledActivation } from '../../../stdlib/nn/activations.js';
import { edgeVectors, gather, pool, radiusGraph, scatter, vectorLengths } from '../../../targets/ref/ops/graph.js';
import { normActivationKernel, normKernel } from '../../../targets/ref/ops/norm.js';
import { concatKernel, selectKernel } from '../../../targets/ref/ops/features.js';
import { maxAbsDiff } from '../../stdlib/nn/helpers.js';

describe('radius graph (torch_cluster radius_graph, loop = False)', () => {
  // Graph 0: three points on a line 1 apart; graph 1: two points 0.5 apart, far from graph 0's.
  const pos = Float64Array.of(0, 0, 0, 1, 0, 0, 2, 0, 0, 0, 0, 0, 0.5, 0, 0);
  const ptr = Int32Array.of(0, 3, 5);

  it('is strict (|d| < r), has no self loops and no edges across graphs, sorted by (dst, src)', () => {
    const g = radiusGraph(pos, ptr, 1);
    expect(Array.from(g.src)).toEqual([4, 3]);
    expect(Array.from(g.dst)).toEqual([3, 4]);
    const h = radiusGraph(pos, ptr, 1.0000001);
    expect(Array.from(h.dst)).toEqual([0, 1, 1, 2, 3, 4]);
    expect(Array.from(h.src)).toEqual([1, 0, 2, 1, 4, 3]);
  });

  it('gives edge vectors pos[src] - pos[dst] and their lengths', () => {
    const g = radiusGraph(pos, ptr, 1.5);
    const v = edgeVectors(pos, g);
    expect(Array.from(v.subarray(0, 3))).toEqual([1, 0, 0]); // edge 1 -> 0
    expect(Array.from(vectorLengths(v, 3))).toEqual([1, 1, 1, 1, 0.5, 0.5]);
  });
});

describe('message passing', () => {
  const graph = { src: Int32Array.of(1, 2, 0), dst: Int32Array.of(0, 0, 1) };

  it('gathers node rows onto edges', () => {
    const x = Float64Array.of(10, 11, 20, 21, 30, 31);
    expect(Array.from(gather(x, 2, graph, 'src'))).toEqual([20, 21, 30, 31, 10, 11]);
    expect(Array.from(gather(x, 2, graph, 'dst'))).toEqual([10, 11, 10, 11, 20, 21]);
  });

  it('scatters to destinations: sum, mean (0 without edges) and max', () => {
    const m = Float64Array.of(1, -2, 3, 4, 5, 6);
    expect(Array.from(scatter(m, 2, graph, 3, 'sum'))).toEqual([4, 2, 5, 6, 0, 0]);
    expect(Array.from(scatter(m, 2, graph, 3, 'mean'))).toEqual([2, 1, 5, 6, 0, 0]);
    expect(Array.from(scatter(m, 2, graph, 3, 'max'))).toEqual([3, 4, 5, 6, 0, 0]);
  });

  it('pools nodes per graph', () => {
    const x = Float64Array.of(1, 2, 3, -4, 5);
    const ptr = Int32Array.of(0, 2, 5);
    expect(Array.from(pool(x, 1, ptr, 'sum'))).toEqual([3, 4]);
    expect(Array.from(pool(x, 1, ptr, 'mean'))).toEqual([1.5, 4 / 3]);
    expect(Array.from(pool(x, 1, ptr, 'max'))).toEqual([2, 5]);
  });
});

describe('norms (e3nn o3.Norm and nn.NormActivation)', () => {
  const attrs = { blocks: [{ offset: 0, mul: 1, dim: 1 }, { offset: 1, mul: 2, dim: 3 }] };

  it('gives one norm per copy', () => {
    expect(Array.from(normKernel(attrs, 7, Float64Array.of(-2, 3, 4, 0, 0, 0, 0), 1))).toEqual([2, 5, 0]);
  });

  it('scales each copy by act(|x|)/|x| with the raw act, and keeps zero copies at zero', () => {
    const y = normActivationKernel({ ...attrs, act: scaledActivation('sigmoid', false) }, 7, Float64Array.of(-2, 3, 4, 0, 0, 0, 0), 1);
    const s = (v: number) => 1 / (1 + Math.exp(-v));
    expect(maxAbsDiff(y, [-s(2), (3 * s(5)) / 5, (4 * s(5)) / 5, 0, 0, 0, 0])).toBeLessThan(1e-15);
    expect(y.every((v) => Number.isFinite(v))).toBe(true);
  });
});

describe('channel bookkeeping', () => {
  it('concatenates rows and selects channel ranges', () => {
    const c = concatKernel([{ x: Float64Array.of(1, 2), dim: 1 }, { x: Float64Array.of(3, 4, 5, 6), dim: 2 }], 2);
    expect(Array.from(c)).toEqual([1, 3, 4, 2, 5, 6]);
    expect(Array.from(selectKernel(c, 3, [[2, 3], [0, 1]], 2))).toEqual([4, 1, 6, 2]);
    expect(() => selectKernel(c, 3, [[2, 4]], 2)).toThrow(/outside/);
  });
});
