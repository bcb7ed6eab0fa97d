// WGSL kernels for flows on torus grids (the reference is targets/ref/ops/flow.ts). Each
// iterates over the sequences of the batch (the `graph` row domain: graph_ptr gives a
// sequence's cell rows), with one invocation per independent lane: a velocity channel for the
// recurrence (channels at different velocities never mix, so each lane runs its own time loop
// and reads back only the states it wrote), an output channel and velocity for convolutions, a
// feature for the reductions. grid2d and seq values live in node-sized buffers (a sequence's
// frames start at graph_ptr[g] / cells) bound whole.

import type { IRNode } from '../../../ir/types.js';
import { actExpr, f32, loopBound, u32 } from '../emit.js';
import { bind, type KernelDraft, paramRef, valueRef } from './draft.js';

/** A flow op's parameters by role (IRParam.role), weights in the node's order. */
export interface FlowParams {
  readonly weights: readonly string[];
  readonly bias: string | undefined;
}

type NodeOf<Op extends IRNode['op']> = Extract<IRNode, { op: Op }>;

const graphPtr = () => bind('graph_ptr', { kind: 'graphPtr' }, 'read', 'whole', 1, 'u32');

/** `let r, lane; let f0, f1` (the sequence's global frames) for `lanes` invocations per sequence. */
function sequencePrologue(lanes: number, cells: number): string {
  return `let r = id / ${u32(lanes)};
let lane = id % ${u32(lanes)};
if (r >= chunk.rows) { return; }
let f0 = graph_ptr[chunk.first + r] / ${u32(cells)};
let f1 = graph_ptr[chunk.first + r + 1u] / ${u32(cells)};`;
}

/** i modulo n for an i32 that may be negative, as u32. */
const WRAP = (n: number) => `fn wrap(i: i32) -> u32 { return u32(((i % ${n}) + ${n}) % ${n}); }`;

/**
 * One velocity channel's correlation sum over the window centred on (y, x): `acc +=` factor ·
 * W[ky, kx, ci, c] · src(row of the cell, ci). `row` and `src` are WGSL snippets using sy, sx.
 */
function window(kernel: number, cin: number, cout: number, w: string, factor: number, row: string, src: string): string {
  const r = (kernel - 1) >> 1;
  return `for (var ky = 0u; ky < ${loopBound(kernel)}; ky++) {
  let sy = wrap(i32(y + ky) - ${r});
  for (var kx = 0u; kx < ${loopBound(kernel)}; kx++) {
    let sx = wrap(i32(x + kx) - ${r});
    let cell = ${row};
    for (var ci = 0u; ci < ${loopBound(cin)}; ci++) {
      acc += ${f32(factor)} * ${w}[((ky * ${u32(kernel)} + kx) * ${u32(cin)} + ci) * ${u32(cout)} + c] * ${src};
    }
  }
}`;
}

/** Invocations that share one sequence and velocity channel of the recurrence (one workgroup). */
const TEAM = 64;

/**
 * The recurrence: one workgroup per sequence and velocity channel (channels at different
 * velocities never mix). Its invocations split the cells and channels of a frame, then meet at
 * a barrier before the next frame reads the states they wrote. The workgroup's sequence and
 * frame range go through workgroup memory so that the barriers sit in uniform control flow.
 */
export function flowRnnKernel(node: NodeOf<'flow_rnn'>, workgroupSize: number, params: FlowParams): KernelDraft {
  if (workgroupSize !== TEAM) throw new Error(`flow_rnn kernels need workgroups of ${TEAM} invocations, got ${workgroupSize}`);
  const a = node.attrs;
  const N = a.size;
  const cells = N * N;
  const nv = a.velocities.length;
  const D = a.hidden * nv;
  const xDim = a.inLifted ? a.inChannels * nv : a.inChannels;
  const xCol = a.inLifted ? `ci * ${u32(nv)} + v` : 'ci';
  const [wIn, wRec] = params.weights;
  const bias = params.bias;
  const extra = `${WRAP(N)}
var<private> VELOCITY: array<vec2i, ${nv}> = array<vec2i, ${nv}>(${a.velocities.map(([vx, vy]) => `vec2i(${vx}, ${vy})`).join(', ')});
// This workgroup's (sequence, velocity) and its frames [f0, f1), shared so that they are uniform.
var<workgroup> team: vec3u;`;
  const body = `let local = id % ${u32(TEAM)};
if (local == 0u) {
  let w = id / ${u32(TEAM)};
  let r0 = min(w / ${u32(nv)}, chunk.rows);
  var span = vec2u(0u, 0u);
  if (r0 < chunk.rows) { span = vec2u(graph_ptr[chunk.first + r0], graph_ptr[chunk.first + r0 + 1u]) / ${u32(cells)}; }
  team = vec3u(w, span);
}
let shared_team = workgroupUniformLoad(&team);
let r = shared_team.x / ${u32(nv)};
if (r >= chunk.rows) { return; }
let v = shared_team.x % ${u32(nv)};
let vel = VELOCITY[v];
for (var f = shared_team.y; f < shared_team.z; f++) {
  for (var k = local; k < ${u32(cells * a.hidden)}; k += ${u32(TEAM)}) {
    let cell_out = k / ${u32(a.hidden)};
    let c = k % ${u32(a.hidden)};
    let y = cell_out / ${u32(N)};
    let x = cell_out % ${u32(N)};
    var acc = b[c];
    // input drive: W_in ⋆ x_t
${indent(window(a.kernel, a.inChannels, a.hidden, 'w_in', a.inFactor, `f * ${u32(cells)} + sy * ${u32(N)} + sx`, `x_in[cell * ${u32(xDim)} + ${xCol}]`), 2)}
    // recurrence: W_rec ⋆ (h_{t-1} moved by this channel's velocity), zero at the first frame
    if (f > shared_team.y) {
${indent(window(a.kernel, a.hidden, a.hidden, 'w_rec', a.recFactor, `(f - 1u) * ${u32(cells)} + wrap(i32(sy) - vel.y) * ${u32(N)} + wrap(i32(sx) - vel.x)`, `h[cell * ${u32(D)} + ci * ${u32(nv)} + v]`), 3)}
    }
    h[(f * ${u32(cells)} + cell_out) * ${u32(D)} + c * ${u32(nv)} + v] = ${actExpr(a.act, 'acc')};
  }
  // frame f is complete before any invocation reads it
  storageBarrier();
}`;
  return {
    op: 'flow_rnn',
    nodes: [node],
    bindings: [
      bind('x_in', valueRef(node.inputs[0]!), 'read', 'whole', xDim),
      graphPtr(),
      bind('w_in', paramRef(wIn!), 'read', 'whole', 1),
      bind('w_rec', paramRef(wRec!), 'read', 'whole', 1),
      bind('b', paramRef(bias!), 'read', 'whole', 1),
      bind('h', valueRef(node.id), 'read_write', 'whole', D),
    ],
    body,
    extra,
    domain: 'graph',
    threadsPerGroup: nv * TEAM,
    rowsPerGroup: 1,
    summary: `flow-equivariant recurrence, ${a.hidden} channels x ${nv} velocities on a ${N}x${N} torus (a workgroup per sequence and velocity)`,
  };
}

function indent(text: string, level: number): string {
  const pad = '  '.repeat(level);
  return text
    .split('\n')
    .map((l) => (l ? pad + l : l))
    .join('\n');
}

export function conv2dKernel(node: NodeOf<'conv2d'>, params: FlowParams): KernelDraft {
  const a = node.attrs;
  const N = a.size;
  const cells = N * N;
  const nv = a.lifted;
  const D = a.outChannels * nv;
  const xDim = a.inChannels * nv;
  const weight = params.weights[0]!;
  const bias = params.bias;
  // TEAM invocations per output channel and velocity split the cells of the sequence.
  const body = `${sequencePrologue(D * TEAM, cells)}
let c = (lane / ${u32(TEAM)}) / ${u32(nv)};
let v = (lane / ${u32(TEAM)}) % ${u32(nv)};
for (var k = f0 * ${u32(cells)} + lane % ${u32(TEAM)}; k < f1 * ${u32(cells)}; k += ${u32(TEAM)}) {
  let f = k / ${u32(cells)};
  let y = (k % ${u32(cells)}) / ${u32(N)};
  let x = k % ${u32(N)};
  var acc = ${bias ? 'b[c]' : '0.0'};
${indent(window(a.kernel, a.inChannels, a.outChannels, 'w', a.factor, `f * ${u32(cells)} + sy * ${u32(N)} + sx`, `x_in[cell * ${u32(xDim)} + ci * ${u32(nv)} + v]`), 1)}
  out[k * ${u32(D)} + c * ${u32(nv)} + v] = ${actExpr(a.act, 'acc')};
}`;
  return {
    op: 'conv2d',
    nodes: [node],
    bindings: [
      bind('x_in', valueRef(node.inputs[0]!), 'read', 'whole', xDim),
      graphPtr(),
      bind('w', paramRef(weight), 'read', 'whole', 1),
      ...(bias ? [bind('b', paramRef(bias), 'read', 'whole', 1)] : []),
      bind('out', valueRef(node.id), 'read_write', 'whole', D),
    ],
    body,
    extra: WRAP(N),
    domain: 'graph',
    threadsPerGroup: D * TEAM,
    rowsPerGroup: 1,
    summary: `circular ${a.kernel}x${a.kernel} convolution ${a.inChannels} -> ${a.outChannels} channels${nv > 1 ? ` per velocity (${nv})` : ''} on a ${N}x${N} torus`,
  };
}

function reduceInit(reduce: string): string {
  return reduce === 'max' ? 'bitcast<f32>(0xff7fffffu)' : '0.0'; // the lowest float32
}

function reduceStep(reduce: string, value: string): string {
  return reduce === 'max' ? `acc = max(acc, ${value});` : `acc += ${value};`;
}

export function poolSpaceKernel(node: NodeOf<'pool_space'>, dim: number): KernelDraft {
  const { size: N, reduce } = node.attrs;
  const cells = N * N;
  const body = `${sequencePrologue(dim, cells)}
for (var f = f0; f < f1; f++) {
  var acc = ${reduceInit(reduce)};
  for (var i = 0u; i < ${loopBound(cells)}; i++) {
    ${reduceStep(reduce, `x_in[(f * ${u32(cells)} + i) * ${u32(dim)} + lane]`)}
  }
  out[f * ${u32(dim)} + lane] = ${reduce === 'mean' ? `acc * ${f32(1 / cells)}` : 'acc'};
}`;
  return {
    op: 'pool_space',
    nodes: [node],
    bindings: [bind('x_in', valueRef(node.inputs[0]!), 'read', 'whole', dim), graphPtr(), bind('out', valueRef(node.id), 'read_write', 'whole', dim)],
    body,
    domain: 'graph',
    threadsPerGroup: dim,
    rowsPerGroup: 1,
    summary: `${reduce} over the ${cells} cells of every frame`,
  };
}

/** Rows of a sequence in the input's domain: cells (grid2d), frames (seq) or the graph row itself. */
export function poolVelocityKernel(node: NodeOf<'pool_velocity'>, domain: 'grid2d' | 'seq' | 'graph', channels: number): KernelDraft {
  const { velocities: nv, reduce, size } = node.attrs;
  const dIn = channels * nv;
  const cells = size * size;
  const rows =
    domain === 'graph'
      ? 'let row0 = chunk.first + r;\nlet row1 = row0 + 1u;'
      : domain === 'grid2d'
        ? 'let row0 = graph_ptr[chunk.first + r];\nlet row1 = graph_ptr[chunk.first + r + 1u];'
        : `let row0 = graph_ptr[chunk.first + r] / ${u32(cells)};\nlet row1 = graph_ptr[chunk.first + r + 1u] / ${u32(cells)};`;
  const body = `let r = id / ${u32(channels)};
let lane = id % ${u32(channels)};
if (r >= chunk.rows) { return; }
${rows}
for (var i = row0; i < row1; i++) {
  var acc = ${reduceInit(reduce)};
  for (var v = 0u; v < ${loopBound(nv)}; v++) {
    ${reduceStep(reduce, `x_in[i * ${u32(dIn)} + lane * ${u32(nv)} + v]`)}
  }
  out[i * ${u32(channels)} + lane] = ${reduce === 'mean' ? `acc * ${f32(1 / nv)}` : 'acc'};
}`;
  return {
    op: 'pool_velocity',
    nodes: [node],
    bindings: [bind('x_in', valueRef(node.inputs[0]!), 'read', 'whole', dIn), graphPtr(), bind('out', valueRef(node.id), 'read_write', 'whole', channels)],
    body,
    domain: 'graph',
    threadsPerGroup: channels,
    rowsPerGroup: 1,
    summary: `${reduce} over ${nv} velocities of ${channels} channels`,
  };
}

export function poolTimeKernel(node: NodeOf<'pool_time'>, dim: number): KernelDraft {
  const { reduce, size } = node.attrs;
  const cells = size * size;
  const loop =
    reduce === 'last'
      ? `var acc = 0.0;\nif (f1 > f0) { acc = x_in[(f1 - 1u) * ${u32(dim)} + lane]; }`
      : `var acc = ${reduce === 'max' ? `select(0.0, ${reduceInit('max')}, f1 > f0)` : '0.0'};
for (var f = f0; f < f1; f++) {
  ${reduceStep(reduce, `x_in[f * ${u32(dim)} + lane]`)}
}${reduce === 'mean' ? '\nif (f1 > f0) { acc = acc / f32(f1 - f0); }' : ''}`;
  const body = `${sequencePrologue(dim, cells)}
${loop}
out[r * ${u32(dim)} + lane] = acc;`;
  return {
    op: 'pool_time',
    nodes: [node],
    bindings: [bind('x_in', valueRef(node.inputs[0]!), 'read', 'whole', dim), graphPtr(), bind('out', valueRef(node.id), 'read_write', 'rows', dim)],
    body,
    domain: 'graph',
    threadsPerGroup: dim,
    rowsPerGroup: 1,
    summary: `${reduce} over the frames of every sequence`,
  };
}
