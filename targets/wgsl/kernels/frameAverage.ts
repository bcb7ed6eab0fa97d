// Frame averaging (`frame_average`) on the device, around PCA frames the host computes in
// float64 (host/frames.ts): every node row carries its framed coordinates for each frame and
// its graph's frames. The MLP runs on all frames of a row at once, as dense layers whose
// frames are blocks sharing one weight (see lower.ts); these two kernels build its input and
// average its output:
// - `frame_in`: per (row, frame f, component c): c < 3 the framed coordinate, else x[c - 3];
// - `frame_out`: per output component: scalars averaged over the frames, vector v's row a
//   averaged as Σ_f Σ_b F_f[a][b] y_f[v, b] (each frame's vector rotated back).

import type { IRNode } from '../../../ir/types.js';
import { f32, loopBound, u32 } from '../emit.js';
import { bind, type KernelDraft, valueRef } from './draft.js';

type FrameNode = Extract<IRNode, { op: 'frame_average' }>;

export interface FrameValues {
  /** (rows, frames x 3): F_f^T (p - c) per frame. */
  readonly coords: string;
  /** (rows, frames x 9): the frames, row-major. */
  readonly rotations: string;
  /** (rows, frames x (3 + k)): the MLP's input, frame-major. */
  readonly input: string;
  /** (rows, frames x (scalars + 3 vectors)): the MLP's output, frame-major. */
  readonly output: string;
}

export function frameInKernel(node: FrameNode, v: FrameValues, k: number): KernelDraft {
  const F = node.attrs.frames;
  const K = 3 + k;
  const T = F * K;
  const body = [
    `let r = id / ${u32(T)};`,
    `let t = id % ${u32(T)};`,
    'if (r >= chunk.rows) { return; }',
    `let f = t / ${u32(K)};`,
    `let c = t % ${u32(K)};`,
    'var v = 0.0;',
    `if (c < 3u) { v = q[r * ${u32(3 * F)} + f * 3u + c]; } else { v = x[r * ${u32(k)} + c - 3u]; }`,
    `y[r * ${u32(T)} + t] = v;`,
  ].join('\n');
  return {
    op: 'frame_in',
    nodes: [node],
    bindings: [bind('q', valueRef(v.coords), 'read', 'rows', 3 * F), bind('x', valueRef(node.inputs[1]!), 'read', 'rows', k), bind('y', valueRef(v.input), 'read_write', 'rows', T)],
    body,
    domain: 'node',
    threadsPerGroup: T,
    rowsPerGroup: 1,
    summary: `frame averaging's MLP input: framed coordinates and ${k} features in each of ${F} PCA frames`,
  };
}

export function frameOutKernel(node: FrameNode, v: FrameValues): KernelDraft {
  const { frames: F, scalars: S, vectors: V } = node.attrs;
  const D = S + 3 * V;
  const body = [
    `let r = id / ${u32(D)};`,
    `let t = id % ${u32(D)};`,
    'if (r >= chunk.rows) { return; }',
    `let yb = r * ${u32(F * D)};`,
    `let rb = r * ${u32(9 * F)};`,
    'var acc = 0.0;',
    `if (t < ${u32(S)}) {`,
    `  for (var f = 0u; f < ${loopBound(F)}; f++) { acc += y[yb + f * ${u32(D)} + t]; }`,
    '} else {',
    `  let v = (t - ${u32(S)}) / 3u;`,
    `  let a = (t - ${u32(S)}) % 3u;`,
    `  for (var f = 0u; f < ${loopBound(F)}; f++) {`,
    `    let yv = yb + f * ${u32(D)} + ${u32(S)} + v * 3u;`,
    `    let fr = rb + f * 9u + a * 3u;`,
    '    acc += rot[fr] * y[yv] + rot[fr + 1u] * y[yv + 1u] + rot[fr + 2u] * y[yv + 2u];',
    '  }',
    '}',
    `out[r * ${u32(D)} + t] = ${f32(1 / F)} * acc;`,
  ].join('\n');
  return {
    op: 'frame_out',
    nodes: [node],
    bindings: [bind('y', valueRef(v.output), 'read', 'rows', F * D), bind('rot', valueRef(v.rotations), 'read', 'rows', 9 * F), bind('out', valueRef(node.id), 'read_write', 'rows', D)],
    body,
    domain: 'node',
    threadsPerGroup: Math.max(D, 1),
    rowsPerGroup: 1,
    summary: `frame averaging: ${S} scalars and ${V} vectors averaged over ${F} PCA frames`,
  };
}
