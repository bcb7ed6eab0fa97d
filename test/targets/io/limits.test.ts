// A batch whose radius graph would have more than MAX_EDGES edges is a clear error on every
// target, raised while the edges are found: a 3,000-node graph with every point within the
// radius (9 million edges) took 20 GB.

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { MAX_EDGES, TooManyEdgesError } from '../../../targets/io/limits.js';
import { radiusGraph as refRadiusGraph } from '../../../targets/ref/ops/graph.js';
import { radiusGraph as tfjsRadiusGraph } from '../../../targets/tfjs/ops/graph.js';
import { radiusGraph as wgslRadiusGraph } from '../../../targets/wgsl/host/graph.js';

describe('the bound on edges', () => {
  // 1,500 points within a radius of each other: 2,248,500 edges.
  const n = 1500;
  const pos = Float64Array.from({ length: n * 3 }, (_, i) => (i % 7) * 1e-3);
  const graphPtr = Int32Array.of(0, n);
  const message = /has more than 2,000,000 edges, the limit: run fewer or smaller graphs per batch, or use a smaller radius/;

  it('is 2,000,000 edges', () => expect(MAX_EDGES).toBe(2_000_000));

  it('ref, the wgsl host and tfjs refuse a dense graph past it', async () => {
    expect(() => refRadiusGraph(pos, graphPtr, 1, 3)).toThrow(TooManyEdgesError);
    expect(() => refRadiusGraph(pos, graphPtr, 1, 3)).toThrow(message);
    expect(() => wgslRadiusGraph(pos, graphPtr, 1, 3)).toThrow(message);
    await tf.setBackend('cpu');
    const t = tf.tensor2d(Float32Array.from(pos), [n, 3]);
    expect(() => tfjsRadiusGraph(t, { numGraphs: 1, numNodes: n, graphPtr }, 1)).toThrow(message);
    t.dispose();
  });

  it('a graph under it is built', () => {
    const small = Float64Array.from({ length: 1000 * 3 }, (_, i) => (i % 7) * 1e-3);
    expect(refRadiusGraph(small, Int32Array.of(0, 1000), 1, 3).src.length).toBe(1000 * 999);
  });
});
