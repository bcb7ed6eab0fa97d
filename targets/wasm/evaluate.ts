// The wasm target's forward pass: the reference's walk over the nodes (targets/ref/evaluate.ts,
// EvaluationHooks) with every value stored in float32, where the hot ops run as generated
// SIMD128 kernels (kernels/) and the others as the reference's JavaScript loops on the float32
// values, their results rounded to float32. Kernel nodes copy their inputs into wasm memory in
// column layout (kernels/frame.ts), run, and copy the result out unless only kernels read it.
// A convolution, gather -> tensor product -> sum at the receivers, is one step of three kernels
// (gather, product, segment sum over receiver-sorted edges): its edge values never leave wasm
// memory.

import { foldPathGates } from '../../stdlib/nn/pathGates.js';
import type { IRModule, IRNode, ValueId } from '../../ir/types.js';
import { paramsByRole } from '../../ir/node.js';
import { gradPath } from '../../ir/gradPath.js';
import { applyScaled } from '../../stdlib/nn/activations.js';
import { blockLayout } from '../../stdlib/nn/layout.js';
import { mlpWeightShapes } from '../../stdlib/nn/mlp.js';
import type { RuntimeBatch } from '../io/inputs.js';
import type { ParamStore } from '../io/params.js';
import { type EvaluationHooks, evaluateWithHooks, evaluateWithVjp, type RefValue } from '../ref/evaluate.js';
import type { GraphValue } from '../ref/ops/graph.js';
import { type DensePath, type DenseBias, denseKernel } from './kernels/dense.js';
import { gatherKernel, segmentSumByIndexKernel, segmentSumKernel, transposeKernel } from './kernels/graph.js';
import type { Columns } from './kernels/frame.js';
import { type ShOperand, sphericalHarmonicsKernel } from './kernels/sphericalHarmonics.js';
import { storesEveryColumn, tensorProductKernel } from './kernels/tensorProduct.js';
import { radialBasisColumns } from './radialColumns.js';
import { activationKernel, hasActivationKernel } from './kernels/activation.js';
import { type ConvolutionInput, convolutionCopies, convolutionKernel } from './kernels/convolution.js';
import { tensorProductBackwardKernel } from './kernels/tensorProductBackward.js';
import { type Fusion, fusedConvolutions } from './fuse.js';
import type { WasmRuntime } from './runtime.js';
import type { Kernel } from './threads.js';

type Rows = Extract<RefValue, { kind: 'rows' }>;
type Cols = Columns & { readonly stride: number };
/** A kernel's operand in wasm memory. */
interface Operand {
  readonly cols: Cols;
  readonly rows: number;
  readonly dim: number;
}

/** To float32 and back (typed-array conversions, which round to nearest like Math.fround). */
const round = (x: Float64Array): Float64Array => {
  // Through set(), not the constructors: `new Float64Array(aTypedArray)` takes a slow path.
  const f = new Float32Array(x.length);
  f.set(x);
  const d = new Float64Array(x.length);
  d.set(f);
  return d;
};

const pad4 = (n: number) => Math.ceil(n / 4) * 4;
/** Rows per tile of the copies in and out of wasm memory. */
const TILE = 64;
/** Copies of at least this many rows go through the transpose kernels. */
const TRANSPOSE_MIN_ROWS = 64;

/** The node ops that run as generated kernels (the rest run as the reference's loops in float32). */
export const KERNEL_OPS = ['tensor_product', 'linear', 'mlp', 'spherical_harmonics'] as const;

/**
 * Where a run's time goes, in ms: `<op> kernel` (generated code, all threads), `<op> copies`
 * (into and out of wasm memory, the fused gather and segment sum included) and `<op> js`
 * (an op the reference's loops computed, in float32).
 */
export type WasmProfile = Map<string, number>;

export function runWasmModule(rt: WasmRuntime, module: IRModule, batch: RuntimeBatch, params: ParamStore, profile?: WasmProfile): Map<string, Float64Array> {
  const { hooks, values, params32 } = wasmHooks(rt, module, batch, params, undefined, profile);
  return evaluateWithHooks(module, { ...batch, values }, params32, hooks);
}

/**
 * Forward and backward: the outputs, and d(Σ output) / d(input `wrt`) by the reference's
 * reverse sweep with the VJP kernels (tensor products: both inputs and per-row weights;
 * linear maps: the input) and the reference's loops for the other nodes. The forward keeps
 * every value (no fused convolution: the sweep reads the edge values). What the benchmark's
 * forward+backward rows time.
 */
export function runWasmForwardBackward(rt: WasmRuntime, module: IRModule, batch: RuntimeBatch, params: ParamStore, output: string, wrt: string, profile?: WasmProfile): { outputs: Map<string, Float64Array>; gradient: Float64Array } {
  const o = module.outputs.find((x) => x.name === output);
  const i = module.inputs.find((x) => x.name === wrt);
  // What the sweep differentiates through (the reference's evaluateWithVjp checks the names).
  const onPath = o && i ? new Set<ValueId>([i.value, ...gradPath(module, o.value, i.value).map((n) => n.id)]) : new Set<ValueId>();
  const { hooks, values, params32 } = wasmHooks(rt, module, batch, params, onPath, profile);
  return evaluateWithVjp(module, { ...batch, values }, params32, hooks, output, wrt);
}

/** `onPath`: a reverse sweep follows, through these values (runWasmForwardBackward). */
function wasmHooks(rt: WasmRuntime, module: IRModule, batch: RuntimeBatch, params: ParamStore, onPath: ReadonlySet<ValueId> | undefined, profile?: WasmProfile) {
  const reverse = onPath !== undefined;
  // Inputs that only kernels read are rounded by the copy into wasm memory itself (the same
  // rounding); the others are rounded here, once (a conversion costs ~40 ns a value).
  const exact = reverse ? new Set<string>() : kernelOnlyInputs(module);
  const values = new Map<string, Float64Array>();
  for (const [k, v] of batch.values) values.set(k, exact.has(k) ? v : round(v));
  const params32 = new Map<string, Float64Array>();
  for (const [k, v] of params) params32.set(k, round(v));
  // One arena per run: values a kernel hands to another kernel stay in wasm memory.
  rt.reset();
  const exec = new Executor(rt, module, params32, batch.numNodes, onPath, profile);
  let started = 0;
  const hooks: EvaluationHooks = {
    node: (node, value) => {
      started = performance.now();
      exec.kernelMs = 0;
      const v = exec.node(node, value);
      if (v && profile && v.kind === 'rows' && v.rows > 0) exec.charge(`${exec.label(node)} copies`, performance.now() - started - exec.kernelMs);
      return v;
    },
    vjp: (node, g, value) => exec.vjp(node, g, value),
    computed: (node, v) => {
      // Inputs were rounded above; every other value the reference computes is rounded here.
      const out: RefValue = v.kind === 'rows' && node.op !== 'input' ? { ...v, data: round(v.data) } : v;
      if (profile) exec.charge(`${node.op} js`, performance.now() - started);
      return out;
    },
  };
  return { hooks, values, params32 };
}

/** A placeholder for an edge value that a fused convolution keeps inside wasm memory. */
const FUSED = (dim: number): Rows => ({ kind: 'rows', data: new Float64Array(0), rows: 0, dim });

/** Whether a node runs as a kernel (and so reads its inputs as columns). */
function isKernel(node: IRNode, fused: Fusion): boolean {
  if (node.op === 'linear') return !node.attrs.paths.some((p) => p.basis);
  if (node.op === 'gather' || node.op === 'scatter') return false;
  return (KERNEL_OPS as readonly string[]).includes(node.op) && !fused.gathers.has(node.id);
}

/**
 * Kernel outputs that only kernels read (not model outputs; no `grad`, whose reverse mode
 * reads every value): they never leave wasm memory (the radial MLP's per-edge weights and the
 * harmonics a convolution reads, a linear map feeding another).
 */
function keptValues(module: IRModule, fused: Fusion, onPath?: ReadonlySet<ValueId>): Set<ValueId> {
  const keep = new Set<ValueId>();
  if (module.nodes.some((n) => n.op === 'grad' || n.op === 'stress')) return keep;
  const outputs = new Set(module.outputs.map((o) => o.value));
  const readers = new Map<ValueId, IRNode[]>();
  for (const n of module.nodes) for (const i of n.inputs) readers.set(i, [...(readers.get(i) ?? []), n]);
  for (const n of module.nodes) {
    // A radial basis is JavaScript, but writes float32 columns directly (radialColumns.ts).
    if (!(isKernel(n, fused) || n.op === 'radial_basis') || fused.products.has(n.id) || outputs.has(n.id)) continue;
    const r = readers.get(n.id) ?? [];
    if (r.length === 0 || !r.every((m) => isKernel(m, fused))) continue;
    // Before a reverse sweep, only values it never reads: off its path, and read on it only by
    // a fused product (whose VJP kernel reads its inputs' columns left in wasm memory).
    if (onPath && (onPath.has(n.id) || r.some((m) => onPath.has(m.id) && !fused.products.has(m.id)))) continue;
    keep.add(n.id);
  }
  return keep;
}

/** Names of model inputs read only by kernels (a fused gather counts: it copies into wasm memory). */
function kernelOnlyInputs(module: IRModule): Set<string> {
  const out = new Set<string>();
  if (module.nodes.some((n) => n.op === 'grad' || n.op === 'stress')) return out;
  const fused = fusedConvolutions(module);
  const readers = new Map<ValueId, IRNode[]>();
  for (const n of module.nodes) for (const i of n.inputs) readers.set(i, [...(readers.get(i) ?? []), n]);
  const outputs = new Set(module.outputs.map((o) => o.value));
  const onlyKernels = (id: ValueId) => !outputs.has(id) && (readers.get(id) ?? []).length > 0 && readers.get(id)!.every((r) => isKernel(r, fused) || fused.gathers.has(r.id));
  for (const input of module.inputs) {
    const node = module.nodes.find((n) => n.op === 'input' && n.attrs.name === input.name);
    const ids = node ? [node.id] : [input.value];
    if (ids.every(onlyKernels)) out.add(input.name);
  }
  return out;
}

const NOT_FUSED: Fusion = { gathers: new Map(), products: new Set(), scatters: new Map() };

const moduleIds = new WeakMap<IRModule, number>();
let nextModuleId = 1;
function moduleId(m: IRModule): number {
  let id = moduleIds.get(m);
  if (id === undefined) moduleIds.set(m, (id = nextModuleId++));
  return id;
}

class Executor {
  private readonly paramsOf;
  private readonly fused;
  private readonly nodes: Map<ValueId, IRNode>;
  /** Kernels are cached per module object (a suite's mutants are other objects with the same names). */
  private readonly id: number;
  /** Values that stay in wasm memory (keptValues), and those kept so far in this run. */
  private readonly keep: ReadonlySet<ValueId>;
  private readonly kept = new Map<ValueId, Operand>();
  private readonly reverse: boolean;
  private readonly onPath: ReadonlySet<ValueId> | undefined;
  /** Reverse mode: a fused gather's input gradient, summed at the nodes by the product's VJP. */
  private readonly gatherGrads = new Map<ValueId, Float64Array>();
  /** Reverse mode: a fused product's input columns, left in wasm memory for its VJP kernel. */
  private readonly resident = new Map<ValueId, { x1: Cols; x2: Cols; w?: Cols; rows: number }>();
  /** Reverse mode: a fused sum's output gradient (node rows) and its receivers, for the product's VJP to gather. */
  private readonly pending = new Map<ValueId, { g: Float64Array; dim: number; dst: Int32Array }>();

  constructor(
    private readonly rt: WasmRuntime,
    private readonly module: IRModule,
    private readonly params: ParamStore,
    private readonly numNodes: number,
    /**
     * A reverse sweep follows: every value copied out except a convolution's edge values,
     * whose VJPs run here (the gather is a kernel; the product's inputs stay in wasm memory for
     * its VJP kernel, which reads the output gradient gathered by a kernel too).
     */
    onPath: ReadonlySet<ValueId> | undefined,
    private readonly profile?: WasmProfile,
  ) {
    this.reverse = onPath !== undefined;
    this.onPath = onPath;
    this.paramsOf = paramsByRole(module);
    this.fused = fusedConvolutions(module);
    this.nodes = new Map(module.nodes.map((n) => [n.id, n]));
    this.id = moduleId(module);
    this.keep = keptValues(module, this.fused, onPath);
  }

  charge(key: string, ms: number): void {
    if (this.profile) this.profile.set(key, (this.profile.get(key) ?? 0) + ms);
  }

  /** Kernel time of the node being computed (the rest of its time is copies). */
  kernelMs = 0;

  /** What the profile calls a node: a fused convolution is charged to `conv`. */
  label(node: IRNode): string {
    return node.op === 'scatter' && this.fused.scatters.has(node.id) ? 'conv' : node.op;
  }

  /** Runs a kernel over `rows` on the pool, its time charged to `<label> kernel`. */
  private run(label: string, k: Kernel, rows: number, work?: number): void {
    const t0 = performance.now();
    this.rt.pool.run(k, pad4(rows), work);
    if (this.profile) {
      const ms = performance.now() - t0;
      this.kernelMs += ms;
      this.charge(`${label} kernel`, ms);
    }
  }

  /** A tensor product's shared weights, with learned path gates folded in (stdlib/nn/pathGates.ts). */
  private sharedWeights(node: Extract<IRNode, { op: 'tensor_product' }>): Float64Array {
    const w = this.param(node, node.params[0]);
    return node.attrs.gated ? foldPathGates(node.attrs.paths, w, this.param(node, node.params[1]), this.param(node, node.params[2])) : w;
  }

  private param(node: IRNode, name: string | undefined): Float64Array {
    const p = name === undefined ? undefined : this.params.get(name);
    if (!p) throw new Error(`${node.id} (${node.op}): parameter ${name ?? '(missing)'} has no value`);
    return p;
  }

  node(node: IRNode, value: (id: ValueId) => RefValue | undefined): RefValue | undefined {
    const rows = (id: ValueId): Rows => {
      const v = value(id);
      if (!v || v.kind !== 'rows') throw new Error(`${node.id} (${node.op}): input ${id} is not a computed feature value`);
      return v;
    };
    const graph = (id: ValueId): GraphValue => {
      const v = value(id);
      if (!v || v.kind !== 'graph') throw new Error(`${node.id} (${node.op}): input ${id} is not a graph`);
      return v.graph;
    };
    const dimOf = node.type.kind === 'field' ? node.type.rep.dim : 0;
    switch (node.op) {
      case 'gather':
        return this.fused.gathers.has(node.id) ? FUSED(dimOf) : undefined;
      case 'tensor_product':
        if (this.fused.products.has(node.id)) return FUSED(dimOf);
        return this.tensorProduct(node, rows, graph, undefined);
      case 'scatter': {
        const tp = this.fused.scatters.get(node.id);
        if (!tp) return undefined;
        return this.tensorProduct(this.nodes.get(tp)!, rows, graph, node);
      }
      case 'linear':
        return node.attrs.paths.some((p) => p.basis) ? undefined : this.linear(node, this.columnsOf(node.inputs[0]!, rows));
      case 'mlp':
        return this.mlp(node, this.columnsOf(node.inputs[0]!, rows));
      case 'spherical_harmonics':
        return this.sphericalHarmonics(node, node.inputs[0]!, rows);
      case 'radial_basis':
        return this.keep.has(node.id) && rows(node.inputs[0]!).dim === 1 ? this.radialBasis(node, rows(node.inputs[0]!)) : undefined;
      default:
        return undefined;
    }
  }

  // ---- copies between row-major float64 values and float32 columns in wasm memory ----

  private columns(rows: number, dim: number): Columns & { stride: number } {
    const stride = pad4(rows);
    const ptr = this.rt.alloc(4 * stride * Math.max(dim, 1));
    return { ptr, colBytes: 4 * stride, stride };
  }

  /**
   * x (rows, dim) into columns; with `index`, row e of the columns is x's row index[e] (a
   * gather). Rows go in tiles of TILE so that the tile's rows stay in cache while each column
   * is written contiguously (a plain column-by-column transpose misses the cache on every read).
   */
  private copyIn(x: Float64Array, dim: number, rows: number, index?: Int32Array): Columns & { stride: number } {
    if (!index && rows >= TRANSPOSE_MIN_ROWS) return this.transposeIn(x, dim, rows);
    const c = this.columns(rows, dim);
    const f = this.rt.f32;
    const base = c.ptr / 4;
    for (let e0 = 0; e0 < rows; e0 += TILE) {
      const e1 = Math.min(rows, e0 + TILE);
      for (let k = 0; k < dim; k++) {
        const o = base + k * c.stride;
        if (index) for (let e = e0; e < e1; e++) f[o + e] = x[index[e]! * dim + k]!;
        else for (let e = e0, xi = e0 * dim + k; e < e1; e++, xi += dim) f[o + e] = x[xi]!;
      }
    }
    for (let k = 0; k < dim; k++) f.fill(0, base + k * c.stride + rows, base + (k + 1) * c.stride);
    return c;
  }

  /**
   * Large copies: the float64 rows go in as bytes (a same-type typed-array copy, a memcpy),
   * then a transpose kernel (threads) converts them to float32 columns. A typed-array
   * conversion in JavaScript (Float64Array -> Float32Array) is several times slower than the
   * memcpy, and on a shared memory slower still.
   */
  private transposeIn(x: Float64Array, dim: number, rows: number): Cols {
    // The kernel reads whole groups of 4 rows: the rows past `rows` are zeros (the columns' padding).
    const staging = this.rt.alloc(8 * pad4(rows) * dim);
    const staged = new Float64Array(this.rt.memory.buffer, staging, pad4(rows) * dim);
    staged.set(x.subarray(0, rows * dim));
    staged.fill(0, rows * dim);
    const c = this.columns(rows, dim);
    const k = this.rt.kernel(`rows2cols:${dim}:${rows}:${staging},${c.ptr}`, () => transposeKernel('toColumns', staging, dim, c));
    this.run('copy in', k, rows);
    return c;
  }

  /** Columns to float32 rows by a transpose kernel, then one converting copy into a fresh float64 array (never `new Float64Array(typedArray)`: a slow element-wise path). */
  private transposeOut(c: Cols, dim: number, rows: number): Rows {
    // The kernel writes whole groups of 4 rows.
    const staging = this.rt.alloc(4 * pad4(rows) * dim);
    const k = this.rt.kernel(`cols2rows:${dim}:${rows}:${staging},${c.ptr}`, () => transposeKernel('toRows', staging, dim, c));
    this.run('copy out', k, rows);
    return { kind: 'rows', data: this.rt.copyOutFloat32(staging, rows * dim), rows, dim };
  }

  private vector(x: Float64Array): number {
    const ptr = this.rt.alloc(4 * Math.max(1, x.length));
    this.rt.f32.set(x, ptr / 4);
    return ptr;
  }

  private zeroed(rows: number, dim: number): Columns & { stride: number } {
    const c = this.columns(rows, dim);
    this.rt.f32.fill(0, c.ptr / 4, c.ptr / 4 + c.stride * dim);
    return c;
  }

  /** Columns back to rows (in row tiles, as copyIn); with `sumAt`, row e is added into output row sumAt[e] of `into` rows (a scatter). */
  private copyOut(c: Columns & { stride: number }, dim: number, rows: number, sumAt?: { index: Int32Array; into: number }): Rows {
    const f = this.rt.f32;
    const base = c.ptr / 4;
    const n = sumAt ? sumAt.into : rows;
    if (!sumAt && rows >= TRANSPOSE_MIN_ROWS) return this.transposeOut(c, dim, rows);
    if (!sumAt) {
      const out = new Float64Array(n * dim);
      for (let e0 = 0; e0 < rows; e0 += TILE) {
        const e1 = Math.min(rows, e0 + TILE);
        for (let k = 0; k < dim; k++) {
          const o = base + k * c.stride;
          for (let e = e0, yi = e0 * dim + k; e < e1; e++, yi += dim) out[yi] = f[o + e]!;
        }
      }
      return { kind: 'rows', data: out, rows: n, dim };
    }
    // The sum at receivers in float32, edges in order (as a float32 scatter adds them): the
    // unsorted case only.
    const acc = new Float32Array(n * dim);
    const idx = sumAt.index;
    for (let e0 = 0; e0 < rows; e0 += TILE) {
      const e1 = Math.min(rows, e0 + TILE);
      for (let k = 0; k < dim; k++) {
        const o = base + k * c.stride;
        for (let e = e0; e < e1; e++) acc[idx[e]! * dim + k] += f[o + e]!;
      }
    }
    const data = new Float64Array(acc.length);
    data.set(acc);
    return { kind: 'rows', data, rows: n, dim };
  }

  /** A value in columns: kept in wasm memory by the kernel that made it, or copied in now. */
  private columnsOf(id: ValueId, rows: (id: ValueId) => Rows): Operand {
    const kept = this.kept.get(id);
    if (kept) return kept;
    const v = rows(id);
    return { cols: this.copyIn(v.data, v.dim, v.rows), rows: v.rows, dim: v.dim };
  }

  /** A kernel's output: kept in wasm memory when only kernels read it, else copied out. */
  private result(node: IRNode, out: Cols, dim: number, rows: number): Rows {
    if (!this.keep.has(node.id)) return this.copyOut(out, dim, rows);
    this.kept.set(node.id, { cols: out, rows, dim });
    return { kind: 'rows', data: new Float64Array(0), rows, dim };
  }

  // ---- reverse mode (forces): VJP kernels for tensor products and linear maps ----

  /** The gradients of a node's inputs from its output's, as kernels; undefined for the reference's loops. */
  vjp(node: IRNode, g: Float64Array, value: (id: ValueId) => RefValue | undefined): (Float64Array | undefined)[] | undefined {
    const rows = (id: ValueId): Rows => {
      const v = value(id);
      if (!v || v.kind !== 'rows') throw new Error(`${node.id} (${node.op}): input ${id} is not a computed feature value`);
      return v;
    };
    const t0 = performance.now();
    this.kernelMs = 0;
    let out: (Float64Array | undefined)[] | undefined;
    const tp = node.op === 'scatter' ? this.fused.scatters.get(node.id) : undefined;
    if (tp !== undefined) {
      // d/d(edge values) of a sum at receivers is the output gradient gathered by receiver:
      // left to the product's VJP, which gathers it in wasm memory (an empty array stands for it).
      this.pending.set(tp, { g, dim: node.type.kind === 'field' ? node.type.rep.dim : 0, dst: this.graphOf(node.inputs[1]!, value).dst });
      return [new Float64Array(0)];
    }
    const nodeGrad = node.op === 'gather' ? this.gatherGrads.get(node.id) : undefined;
    if (nodeGrad) {
      // Summed at the nodes by the product's VJP (below).
      this.gatherGrads.delete(node.id);
      return [nodeGrad];
    }
    if (node.op === 'tensor_product' && node.type.kind === 'field') out = this.tensorProductVjp(node, g, rows, value);
    else if (node.op === 'linear' && node.type.kind === 'field' && !node.attrs.paths.some((p) => p.basis)) out = this.linearVjp(node, g, rows(node.inputs[0]!));
    if (out) this.charge(`${node.op} vjp copies`, performance.now() - t0 - this.kernelMs);
    return out;
  }

  private tensorProductVjp(node: Extract<IRNode, { op: 'tensor_product' }>, g: Float64Array, rows: (id: ValueId) => Rows, value: (id: ValueId) => RefValue | undefined): (Float64Array | undefined)[] {
    const attrs = node.attrs;
    if (node.type.kind !== 'field') throw new Error(`${node.id}: not a field`);
    const res = this.resident.get(node.id);
    const pend = this.pending.get(node.id);
    if (!res !== !pend) throw new Error(`${node.id} (tensor_product): a fused product's VJP without its forward columns or output gradient`);
    const a = res ? { dim: attrs.in1.dim, data: undefined } : rows(node.inputs[0]!);
    const b = res ? { dim: attrs.in2.dim, data: undefined } : rows(node.inputs[1]!);
    const n = res ? res.rows : rows(node.inputs[0]!).rows;
    const dimOut = node.type.rep.dim;
    const mark = this.rt.mark();
    try {
      const x1 = res ? res.x1 : this.copyIn(a.data!, a.dim, n);
      const x2 = res ? res.x2 : this.copyIn(b.data!, b.dim, n);
      const gOut = pend ? this.gatherIn(node, pend.g, pend.dim, pend.g.length / Math.max(pend.dim, 1), pend.dst) : this.copyIn(g, dimOut, n);
      let weights: { kind: 'rows'; cols: Columns } | { kind: 'shared'; ptr: number } | undefined;
      let gw: Cols | undefined;
      if (attrs.weights === 'input') {
        const cols = res ? res.w : undefined;
        if (cols) weights = { kind: 'rows', cols };
        else {
          const w = rows(node.inputs[2]!);
          weights = { kind: 'rows', cols: this.copyIn(w.data, w.dim, n) };
        }
        gw = this.zeroed(n, attrs.weightNumel);
      } else if (attrs.weights === 'shared' && attrs.weightNumel > 0) weights = { kind: 'shared', ptr: this.vector(this.sharedWeights(node)) };
      const gx1 = this.zeroed(n, a.dim);
      const gx2 = this.zeroed(n, b.dim);
      const shape = { in1: blockLayout(attrs.in1), in2: blockLayout(attrs.in2), out: blockLayout(node.type.rep) };
      const key = `tpvjp:${this.id}:${node.id}:${n}:${x1.ptr},${x2.ptr},${gOut.ptr},${gx1.ptr},${gx2.ptr},${gw?.ptr},${weights?.kind === 'rows' ? weights.cols.ptr : weights?.ptr}`;
      const k = this.rt.kernel(key, () => tensorProductBackwardKernel(attrs, this.module.tables, shape, { x1, x2, gOut, gx1, gx2, ...(weights ? { weights } : {}), ...(gw ? { gw } : {}) }));
      this.run('tensor_product vjp', k, n);
      // Gradients the sweep would drop (inputs off its path: a convolution's harmonics and
      // per-edge weights when differentiating by the features) stay in wasm memory, computed.
      const wanted = (i: number) => !res || !this.onPath || this.onPath.has(node.inputs[i]!);
      const gather = this.fused.gathers.get(node.inputs[0]!);
      let g1: Float64Array | undefined;
      if (res && gather && wanted(0)) {
        // The fused gather's VJP, a sum of the edge gradients at the nodes they were gathered
        // from, as a kernel; the gather's VJP hook hands it to the sweep.
        const gn = this.nodes.get(node.inputs[0]!)!;
        const gr = this.graphOf(gn.inputs[1]!, value);
        const nodes = rows(gn.inputs[0]!).rows;
        this.gatherGrads.set(gn.id, this.sumAtNodes(node, gx1, a.dim, gather === 'src' ? gr.src : gr.dst, nodes));
        g1 = new Float64Array(0);
      } else if (wanted(0)) g1 = this.copyOut(gx1, a.dim, n).data;
      return [g1, wanted(1) ? this.copyOut(gx2, b.dim, n).data : undefined, gw && wanted(2) ? this.copyOut(gw, attrs.weightNumel, n).data : undefined];
    } finally {
      this.rt.release(mark);
      this.pending.delete(node.id);
    }
  }

  /** Σ of edge columns at nodes by an unsorted index (a gather's VJP): edges sorted by node in JS, the sums by a kernel, threads over nodes. */
  private sumAtNodes(node: IRNode, m: Cols, dim: number, index: Int32Array, nodes: number): Float64Array {
    const edges = index.length;
    const ptr = new Int32Array(pad4(nodes) + 1);
    for (let e = 0; e < edges; e++) ptr[index[e]! + 1]!++;
    for (let i = 0; i < ptr.length - 1; i++) ptr[i + 1]! += ptr[i]!;
    const perm = new Int32Array(Math.max(edges, 1));
    const next = ptr.slice(0, nodes);
    for (let e = 0; e < edges; e++) perm[next[index[e]!]!++] = e;
    const pp = this.rt.alloc(4 * ptr.length);
    new Int32Array(this.rt.memory.buffer, pp, ptr.length).set(ptr);
    const permPtr = this.rt.alloc(4 * perm.length);
    new Int32Array(this.rt.memory.buffer, permPtr, perm.length).set(perm);
    const out = this.columns(nodes, dim);
    const k = this.rt.kernel(`segsumidx:${this.id}:${node.id}:${nodes}:${edges}:${m.ptr},${pp},${permPtr},${out.ptr}`, () => segmentSumByIndexKernel(m, out, pp, permPtr, dim));
    this.run('conv gather vjp', k, nodes, edges);
    return this.copyOut(out, dim, nodes).data;
  }

  private graphOf(id: ValueId, value: (id: ValueId) => RefValue | undefined): GraphValue {
    const v = value(id);
    if (!v || v.kind !== 'graph') throw new Error(`${id} is not a graph`);
    return v.graph;
  }

  /** gx = the linear map's transpose applied to g: the dense kernel with each path's weights transposed. */
  private linearVjp(node: Extract<IRNode, { op: 'linear' }>, g: Float64Array, x: Rows): (Float64Array | undefined)[] {
    if (node.type.kind !== 'field') throw new Error(`${node.id}: not a field`);
    const attrs = node.attrs;
    const inT = this.module.nodes.find((m) => m.id === node.inputs[0])?.type ?? this.module.inputs.find((i) => i.value === node.inputs[0])?.type;
    if (!inT || inT.kind !== 'field') throw new Error(`${node.id} (linear): input has no representation`);
    const n = x.rows;
    const li = blockLayout(inT.rep);
    const lo = blockLayout(node.type.rep);
    const W = attrs.weightNumel > 0 ? this.param(node, this.paramsOf(node, 'weight')[0]) : new Float64Array(0);
    // Each path's (mi, mo) block transposed to (mo, mi).
    const Wt = new Float64Array(W.length);
    for (const p of attrs.paths) {
      const mi = li[p.iIn]!.mul;
      const mo = lo[p.iOut]!.mul;
      for (let u = 0; u < mi; u++) for (let w = 0; w < mo; w++) Wt[p.weightOffset + w * mi + u] = W[p.weightOffset + u * mo + w]!;
    }
    const mark = this.rt.mark();
    try {
      const gc = this.copyIn(g, node.type.rep.dim, n);
      const gx = this.zeroed(n, x.dim);
      const wPtr = this.vector(Wt);
      const paths: DensePath[] = attrs.paths.map((p) => ({ x: gc, xOffset: lo[p.iOut]!.offset, out: gx, outOffset: li[p.iIn]!.offset, mi: lo[p.iOut]!.mul, mo: li[p.iIn]!.mul, d: li[p.iIn]!.dim, wPtr: wPtr + 4 * p.weightOffset, factor: p.factor }));
      const k = this.rt.kernel(`linvjp:${this.id}:${node.id}:${n}:${gc.ptr},${gx.ptr},${wPtr}`, () => denseKernel(paths, []));
      this.run('linear vjp', k, n);
      return [this.copyOut(gx, x.dim, n).data];
    } finally {
      this.rt.release(mark);
    }
  }

  // ---- kernel nodes ----

  private tensorProduct(node: IRNode, rows: (id: ValueId) => Rows, graph: (id: ValueId) => GraphValue, scatter: IRNode | undefined): RefValue {
    if (node.op !== 'tensor_product' || node.type.kind !== 'field') throw new Error(`${node.id}: not a tensor product`);
    const attrs = node.attrs;
    // An input that is a fused gather is read from the nodes through the graph's index.
    const operand = (id: ValueId) => {
      const g = this.fused.gathers.get(id);
      if (g) {
        const gn = this.nodes.get(id)!;
        const gr = graph(gn.inputs[1]!);
        const x = rows(gn.inputs[0]!);
        return { x: x.data, dim: x.dim, nodes: x.rows, index: g === 'src' ? gr.src : gr.dst, rows: gr.src.length };
      }
      return undefined;
    };
    const columns = (id: ValueId) => {
      const g = operand(id);
      return g ? { cols: this.gatherIn(node, g.x, g.dim, g.nodes, g.index), rows: g.rows } : this.columnsOf(id, rows);
    };
    const shape = { in1: blockLayout(attrs.in1), in2: blockLayout(attrs.in2), out: blockLayout(node.type.rep) };
    // The copy-major convolution kernel reads a gathered first input in place (no gather kernel).
    const copyMajor = convolutionCopies(attrs, this.module.tables, shape) !== undefined;
    const g1 = copyMajor && !this.reverse ? operand(node.inputs[0]!) : undefined;
    const a: { cols?: Cols; gathered?: { cols: Cols; indexPtr: number }; rows: number } = g1 && g1.nodes > 0 && g1.rows > 0 ? { gathered: this.indexedNodes(g1.x, g1.dim, g1.nodes, g1.index), rows: g1.rows } : columns(node.inputs[0]!);
    const b = columns(node.inputs[1]!);
    if (a.rows !== b.rows) throw new Error(`${node.id} (tensor_product): inputs have ${a.rows} and ${b.rows} rows`);
    const n = a.rows;
    const x2 = b.cols;
    let weights: { kind: 'rows'; cols: Columns } | { kind: 'shared'; ptr: number } | undefined;
    if (attrs.weights === 'input') {
      const w = this.columnsOf(node.inputs[2]!, rows);
      if (w.rows !== n || w.dim !== attrs.weightNumel) throw new Error(`${node.id} (tensor_product): per-sample weights are (${w.rows}, ${w.dim}), expected (${n}, ${attrs.weightNumel})`);
      weights = { kind: 'rows', cols: w.cols };
    } else if (attrs.weights === 'shared' && attrs.weightNumel > 0) {
      weights = { kind: 'shared', ptr: this.vector(this.sharedWeights(node)) };
    }
    const dimOut = node.type.rep.dim;
    if (this.reverse && scatter && a.cols) this.resident.set(node.id, { x1: a.cols, x2, ...(weights?.kind === 'rows' ? { w: weights.cols as Cols } : {}), rows: n });
    const wKey = weights?.kind === 'rows' ? weights.cols.ptr : weights?.ptr;
    let out: Cols;
    let k: Kernel;
    if (copyMajor) {
      // Stores every column: not zeroed.
      out = this.columns(n, dimOut);
      const x1: ConvolutionInput = a.gathered ? { kind: 'gathered', ...a.gathered } : { kind: 'columns', cols: a.cols! };
      const key = `conv:${this.id}:${node.id}:${n}:${x1.kind}:${x1.cols.ptr},${a.gathered?.indexPtr},${x2.ptr},${out.ptr},${wKey}`;
      k = this.rt.kernel(key, () => convolutionKernel(attrs, this.module.tables, shape, { x1, x2, out, ...(weights ? { weights } : {}) }));
    } else {
      // Zeroed unless the kernel stores every column (tensorProduct.ts, storesEveryColumn).
      out = storesEveryColumn(attrs, this.module.tables, shape) ? this.columns(n, dimOut) : this.zeroed(n, dimOut);
      const x1 = a.cols!;
      const key = `tp:${this.id}:${node.id}:${n}:${x1.ptr},${x2.ptr},${out.ptr},${wKey}`;
      k = this.rt.kernel(key, () => tensorProductKernel(attrs, this.module.tables, shape, { x1, x2, out, ...(weights ? { weights } : {}) }));
    }
    this.run(scatter ? 'conv' : 'tensor_product', k, n);
    if (!scatter) return this.result(node, out, dimOut, n);
    const gr = graph(scatter.inputs[1]!);
    if (gr.dst.length !== n) throw new Error(`${scatter.id} (scatter): ${n} edge rows for a graph of ${gr.dst.length} edges`);
    return this.sumAtReceivers(node, out, dimOut, gr.dst);
  }

  /** Node rows as columns and the gather's index (padded with node 0) in wasm memory, for a kernel that gathers as it reads. */
  private indexedNodes(x: Float64Array, dim: number, nodes: number, index: Int32Array): { cols: Cols; indexPtr: number } {
    const cols = this.copyIn(x, dim, nodes);
    const edges = index.length;
    const indexPtr = this.rt.alloc(4 * pad4(edges));
    const idx = new Int32Array(this.rt.memory.buffer, indexPtr, pad4(edges));
    idx.set(index);
    idx.fill(0, edges);
    return { cols, indexPtr };
  }

  /** Node rows gathered onto edges inside wasm memory: the nodes copied in, then the gather kernel (threads over edges). */
  private gatherIn(node: IRNode, x: Float64Array, dim: number, nodes: number, index: Int32Array): Cols {
    const edges = index.length;
    if (nodes === 0 || edges === 0) return this.copyIn(x, dim, edges, index);
    const xc = this.copyIn(x, dim, nodes);
    const idx = this.rt.alloc(4 * pad4(edges));
    new Int32Array(this.rt.memory.buffer, idx, pad4(edges)).set(index);
    new Int32Array(this.rt.memory.buffer, idx + 4 * edges, pad4(edges) - edges).fill(0);
    const out = this.columns(edges, dim);
    const k = this.rt.kernel(`gather:${this.id}:${node.id}:${nodes}:${edges}:${xc.ptr},${idx},${out.ptr}`, () => gatherKernel(xc, out, idx, dim));
    this.run('conv gather', k, edges);
    return out;
  }

  /**
   * The sum at receivers of edge columns: over receiver-sorted edges (radius graphs sort by
   * destination) a kernel sums each node's run of edges, threads over nodes; otherwise the sum
   * happens in the copy out. Either way in float32.
   */
  private sumAtReceivers(node: IRNode, m: Cols, dim: number, dst: Int32Array): Rows {
    const edges = dst.length;
    const nodes = this.numNodes;
    let sorted = true;
    for (let e = 1; e < edges && sorted; e++) sorted = dst[e - 1]! <= dst[e]!;
    if (!sorted || nodes === 0 || edges === 0 || dst[edges - 1]! >= nodes || dst[0]! < 0) return this.copyOut(m, dim, edges, { index: dst, into: nodes });
    const ptr = new Int32Array(pad4(nodes) + 1);
    for (let e = 0; e < edges; e++) ptr[dst[e]! + 1]!++;
    for (let i = 0; i < ptr.length - 1; i++) ptr[i + 1]! += ptr[i]!;
    const pp = this.rt.alloc(4 * ptr.length);
    new Int32Array(this.rt.memory.buffer, pp, ptr.length).set(ptr);
    const out = this.columns(nodes, dim);
    const k = this.rt.kernel(`segsum:${this.id}:${node.id}:${nodes}:${edges}:${m.ptr},${pp},${out.ptr}`, () => segmentSumKernel(m, out, pp, dim));
    // Split by edges: a node is its run of edges (W1L: 160 nodes, 4,960 edges).
    this.run('conv sum', k, nodes, edges);
    return this.copyOut(out, dim, nodes);
  }

  /** A radial basis only kernels read: into columns in wasm memory (radialColumns.ts), kept there. */
  private radialBasis(node: IRNode, x: Rows): RefValue {
    if (node.op !== 'radial_basis') throw new Error(`${node.id}: not a radial basis`);
    const t0 = performance.now();
    const out = this.columns(x.rows, node.attrs.number);
    radialBasisColumns(node.attrs, x.data.subarray(0, x.rows), this.rt.f32, out.ptr / 4, out.stride);
    this.charge('radial_basis js', performance.now() - t0);
    this.kernelMs += performance.now() - t0;
    return this.result(node, out, node.attrs.number, x.rows);
  }

  private linear(node: IRNode, x: Operand): RefValue {
    if (node.op !== 'linear' || node.type.kind !== 'field') throw new Error(`${node.id}: not a linear map`);
    const attrs = node.attrs;
    const inT = this.module.nodes.find((m) => m.id === node.inputs[0])?.type ?? this.module.inputs.find((i) => i.value === node.inputs[0])?.type;
    if (!inT || inT.kind !== 'field') throw new Error(`${node.id} (linear): input has no representation`);
    const n = x.rows;
    const xc = x.cols;
    const dimOut = node.type.rep.dim;
    // Not zeroed: the kernel stores every column (fresh).
    const out = this.columns(n, dimOut);
    const [wName] = this.paramsOf(node, 'weight');
    const [bName] = this.paramsOf(node, 'bias');
    const wPtr = attrs.weightNumel > 0 ? this.vector(this.param(node, wName)) : 0;
    const bPtr = attrs.bias ? this.vector(this.param(node, bName)) : 0;
    const li = blockLayout(inT.rep);
    const lo = blockLayout(node.type.rep);
    const paths: DensePath[] = attrs.paths.map((p) => ({
      x: xc,
      xOffset: li[p.iIn]!.offset,
      out,
      outOffset: lo[p.iOut]!.offset,
      mi: li[p.iIn]!.mul,
      mo: lo[p.iOut]!.mul,
      d: li[p.iIn]!.dim,
      wPtr: wPtr + 4 * p.weightOffset,
      factor: p.factor,
    }));
    const biases: DenseBias[] = (attrs.bias?.blocks ?? []).map(({ iOut, offset }) => ({ out, outOffset: lo[iOut]!.offset, size: lo[iOut]!.mul * lo[iOut]!.dim, bPtr: bPtr + 4 * offset }));
    const k = this.rt.kernel(`linear:${this.id}:${node.id}:${n}:${xc.ptr},${out.ptr},${wPtr},${bPtr}`, () => denseKernel(paths, biases, { out, dim: dimOut }));
    this.run('linear', k, n);
    return this.result(node, out, dimOut, n);
  }

  private mlp(node: IRNode, x: Operand): RefValue {
    if (node.op !== 'mlp') throw new Error(`${node.id}: not an MLP`);
    const shapes = mlpWeightShapes(node.attrs);
    const act = applyScaled(node.attrs.act);
    const n = x.rows;
    let h = x.cols;
    const ws = node.params.map((p) => this.vector(this.param(node, p)));
    shapes.forEach(([hIn, hOut], layer) => {
      const out = this.columns(n, hOut);
      const path: DensePath = { x: h, xOffset: 0, out, outOffset: 0, mi: hIn, mo: hOut, d: 1, wPtr: ws[layer]!, factor: 1 / Math.sqrt(hIn) };
      const k = this.rt.kernel(`mlp:${this.id}:${node.id}:${layer}:${n}:${h.ptr},${out.ptr},${ws[layer]}`, () => denseKernel([path], [], { out, dim: hOut }));
      this.run('mlp', k, n);
      if (layer < shapes.length - 1 && hasActivationKernel(node.attrs.act)) {
        const ka = this.rt.kernel(`act:${node.attrs.act.act}:${node.attrs.act.scale}:${n}:${hOut}:${out.ptr}`, () => activationKernel(node.attrs.act, out, hOut)!);
        this.run('mlp', ka, n);
      } else if (layer < shapes.length - 1) {
        // The hidden activation in JavaScript (float32 in, float32 out): gelu, ssp.
        const f = this.rt.f32;
        for (let c = 0; c < hOut; c++) {
          const o = out.ptr / 4 + c * out.stride;
          for (let r = 0; r < n; r++) f[o + r] = act(f[o + r]!);
        }
      }
      h = out;
    });
    return this.result(node, h, shapes[shapes.length - 1]![1], n);
  }

  /**
   * The harmonics kernel reads the vectors as the runner's float64 rows, staged by one memcpy,
   * unless a kernel left them in wasm memory, and writes float64 rows, copied out by one memcpy,
   * unless only kernels read the result: for large values (TRANSPOSE_MIN_ROWS) it skips the
   * transpose kernels and their float32 columns, which are most of W3's time.
   */
  private sphericalHarmonics(node: IRNode, id: ValueId, rows: (id: ValueId) => Rows): RefValue {
    if (node.op !== 'spherical_harmonics' || node.type.kind !== 'field') throw new Error(`${node.id}: not spherical harmonics`);
    const dimOut = node.type.rep.dim;
    const kept = this.kept.get(id);
    const v = kept ? undefined : rows(id);
    const n = kept ? kept.rows : v!.rows;
    let input: ShOperand;
    if (v && n >= TRANSPOSE_MIN_ROWS) {
      if (v.dim !== 3) throw new Error(`${node.id} (spherical_harmonics): vectors have ${v.dim} components, expected 3`);
      const ptr = this.rt.alloc(8 * 3 * pad4(n));
      const staged = new Float64Array(this.rt.memory.buffer, ptr, 3 * pad4(n));
      staged.set(v.data.subarray(0, 3 * n));
      staged.fill(0, 3 * n);
      input = { kind: 'rows', ptr };
    } else input = { kind: 'columns', cols: (kept ?? this.columnsOf(id, rows)).cols };
    const direct = !this.keep.has(node.id) && n >= TRANSPOSE_MIN_ROWS;
    const out = direct ? undefined : this.columns(n, dimOut);
    // Direct: the kernel writes float32 rows, converted to the runner's float64 rows by the copy out.
    const outPtr = direct ? this.rt.alloc(4 * dimOut * pad4(n)) : 0;
    const output: ShOperand = out ? { kind: 'columns', cols: out } : { kind: 'rows', ptr: outPtr };
    const where = (o: ShOperand) => (o.kind === 'rows' ? `r${o.ptr}` : `c${o.cols.ptr}`);
    const k = this.rt.kernel(`sh:${this.id}:${node.id}:${n}:${where(input)},${where(output)}`, () => sphericalHarmonicsKernel(node.attrs, input, output));
    this.run('spherical_harmonics', k, n);
    if (out) return this.result(node, out, dimOut, n);
    return { kind: 'rows', data: this.rt.copyOutFloat32(outPtr, n * dimOut), rows: n, dim: dimOut };
  }
}
