// The wasm target's forward pass: the reference's walk over the nodes (targets/ref/evaluate.ts,
// EvaluationHooks) with every value stored in float32, where the hot ops run as generated
// SIMD128 kernels (kernels/) and the others as the reference's JavaScript loops on the float32
// values, their results rounded to float32. Kernel nodes copy their inputs into wasm memory in
// column layout (kernels/frame.ts), run, and copy the result out. A convolution,
// gather -> tensor product -> sum at the receivers, is one step: the gather happens while
// copying in, the sum while copying out, and the edge values never leave wasm memory.

import type { IRModule, IRNode, ValueId } from '../../ir/types.js';
import { paramsByRole } from '../../ir/node.js';
import { applyScaled } from '../../stdlib/nn/activations.js';
import { blockLayout } from '../../stdlib/nn/layout.js';
import { mlpWeightShapes } from '../../stdlib/nn/mlp.js';
import type { RuntimeBatch } from '../io/inputs.js';
import type { ParamStore } from '../io/params.js';
import { type EvaluationHooks, evaluateWithHooks, type RefValue } from '../ref/evaluate.js';
import type { GraphValue } from '../ref/ops/graph.js';
import { type DensePath, type DenseBias, denseKernel } from './kernels/dense.js';
import type { Columns } from './kernels/frame.js';
import { sphericalHarmonicsKernel } from './kernels/sphericalHarmonics.js';
import { tensorProductKernel } from './kernels/tensorProduct.js';
import { fusedConvolutions } from './fuse.js';
import type { WasmRuntime } from './runtime.js';

type Rows = Extract<RefValue, { kind: 'rows' }>;

const round = (x: Float64Array): Float64Array => {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Math.fround(x[i]!);
  return out;
};

const pad4 = (n: number) => Math.ceil(n / 4) * 4;

/** The node ops that run as generated kernels (the rest run as the reference's loops in float32). */
export const KERNEL_OPS = ['tensor_product', 'linear', 'mlp', 'spherical_harmonics'] as const;

export function runWasmModule(rt: WasmRuntime, module: IRModule, batch: RuntimeBatch, params: ParamStore): Map<string, Float64Array> {
  const values32 = new Map<string, Float64Array>();
  for (const [k, v] of batch.values) values32.set(k, round(v));
  const params32 = new Map<string, Float64Array>();
  for (const [k, v] of params) params32.set(k, round(v));
  const exec = new Executor(rt, module, params32, batch.numNodes);
  const hooks: EvaluationHooks = {
    node: (node, value) => exec.node(node, value),
    computed: (_node, v) => (v.kind === 'rows' ? { ...v, data: round(v.data) } : v),
  };
  return evaluateWithHooks(module, { ...batch, values: values32 }, params32, hooks);
}

/** A placeholder for an edge value that a fused convolution keeps inside wasm memory. */
const FUSED = (dim: number): Rows => ({ kind: 'rows', data: new Float64Array(0), rows: 0, dim });

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

  constructor(
    private readonly rt: WasmRuntime,
    private readonly module: IRModule,
    private readonly params: ParamStore,
    private readonly numNodes: number,
  ) {
    this.paramsOf = paramsByRole(module);
    this.fused = fusedConvolutions(module);
    this.nodes = new Map(module.nodes.map((n) => [n.id, n]));
    this.id = moduleId(module);
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
        return node.attrs.paths.some((p) => p.basis) ? undefined : this.linear(node, rows(node.inputs[0]!));
      case 'mlp':
        return this.mlp(node, rows(node.inputs[0]!));
      case 'spherical_harmonics':
        return this.sphericalHarmonics(node, rows(node.inputs[0]!));
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

  /** x (rows, dim) into columns; with `index`, row e of the columns is x's row index[e] (a gather). */
  private copyIn(x: Float64Array, dim: number, rows: number, index?: Int32Array): Columns & { stride: number } {
    const c = this.columns(rows, dim);
    const f = this.rt.f32;
    const base = c.ptr / 4;
    for (let k = 0; k < dim; k++) {
      const o = base + k * c.stride;
      if (index) for (let e = 0; e < rows; e++) f[o + e] = x[index[e]! * dim + k]!;
      else for (let e = 0; e < rows; e++) f[o + e] = x[e * dim + k]!;
      f.fill(0, o + rows, o + c.stride);
    }
    return c;
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

  /** Columns back to rows; with `sumAt`, row e is added into output row sumAt[e] of `into` rows (a scatter). */
  private copyOut(c: Columns & { stride: number }, dim: number, rows: number, sumAt?: { index: Int32Array; into: number }): Rows {
    const f = this.rt.f32;
    const base = c.ptr / 4;
    const n = sumAt ? sumAt.into : rows;
    const out = new Float64Array(n * dim);
    for (let k = 0; k < dim; k++) {
      const o = base + k * c.stride;
      if (sumAt) {
        // Float32 sums in edge order, as a float32 scatter would add them.
        const acc = new Float32Array(n);
        for (let e = 0; e < rows; e++) acc[sumAt.index[e]!] += f[o + e]!;
        for (let i = 0; i < n; i++) out[i * dim + k] = acc[i]!;
      } else for (let e = 0; e < rows; e++) out[e * dim + k] = f[o + e]!;
    }
    return { kind: 'rows', data: out, rows: n, dim };
  }

  // ---- kernel nodes ----

  private tensorProduct(node: IRNode, rows: (id: ValueId) => Rows, graph: (id: ValueId) => GraphValue, scatter: IRNode | undefined): RefValue {
    if (node.op !== 'tensor_product' || node.type.kind !== 'field') throw new Error(`${node.id}: not a tensor product`);
    const attrs = node.attrs;
    this.rt.reset();
    // An input that is a fused gather is read from the nodes through the graph's index.
    const operand = (id: ValueId) => {
      const g = this.fused.gathers.get(id);
      if (g) {
        const gn = this.nodes.get(id)!;
        const gr = graph(gn.inputs[1]!);
        const x = rows(gn.inputs[0]!);
        return { x: x.data, dim: x.dim, index: g === 'src' ? gr.src : gr.dst, rows: gr.src.length };
      }
      const v = rows(id);
      return { x: v.data, dim: v.dim, index: undefined, rows: v.rows };
    };
    const a = operand(node.inputs[0]!);
    const b = operand(node.inputs[1]!);
    if (a.rows !== b.rows) throw new Error(`${node.id} (tensor_product): inputs have ${a.rows} and ${b.rows} rows`);
    const n = a.rows;
    const x1 = this.copyIn(a.x, a.dim, n, a.index);
    const x2 = this.copyIn(b.x, b.dim, n, b.index);
    let weights: { kind: 'rows'; cols: Columns } | { kind: 'shared'; ptr: number } | undefined;
    if (attrs.weights === 'input') {
      const w = rows(node.inputs[2]!);
      if (w.rows !== n || w.dim !== attrs.weightNumel) throw new Error(`${node.id} (tensor_product): per-sample weights are (${w.rows}, ${w.dim}), expected (${n}, ${attrs.weightNumel})`);
      weights = { kind: 'rows', cols: this.copyIn(w.data, w.dim, n) };
    } else if (attrs.weights === 'shared' && attrs.weightNumel > 0) {
      weights = { kind: 'shared', ptr: this.vector(this.param(node, node.params[0])) };
    }
    const dimOut = node.type.rep.dim;
    const out = this.zeroed(n, dimOut);
    const shape = { in1: blockLayout(attrs.in1), in2: blockLayout(attrs.in2), out: blockLayout(node.type.rep) };
    const key = `tp:${this.id}:${node.id}:${n}:${x1.ptr},${x2.ptr},${out.ptr},${weights?.kind === 'rows' ? weights.cols.ptr : weights?.ptr}`;
    const k = this.rt.kernel(key, () => tensorProductKernel(attrs, this.module.tables, shape, { x1, x2, out, ...(weights ? { weights } : {}) }));
    this.rt.pool.run(k, pad4(n));
    if (!scatter) return this.copyOut(out, dimOut, n);
    const gr = graph(scatter.inputs[1]!);
    if (gr.dst.length !== n) throw new Error(`${scatter.id} (scatter): ${n} edge rows for a graph of ${gr.dst.length} edges`);
    return this.copyOut(out, dimOut, n, { index: gr.dst, into: this.numNodes });
  }

  private linear(node: IRNode, x: Rows): RefValue {
    if (node.op !== 'linear' || node.type.kind !== 'field') throw new Error(`${node.id}: not a linear map`);
    const attrs = node.attrs;
    const inT = this.module.nodes.find((m) => m.id === node.inputs[0])?.type ?? this.module.inputs.find((i) => i.value === node.inputs[0])?.type;
    if (!inT || inT.kind !== 'field') throw new Error(`${node.id} (linear): input has no representation`);
    this.rt.reset();
    const n = x.rows;
    const xc = this.copyIn(x.data, x.dim, n);
    const dimOut = node.type.rep.dim;
    const out = this.zeroed(n, dimOut);
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
    const k = this.rt.kernel(`linear:${this.id}:${node.id}:${n}:${xc.ptr},${out.ptr},${wPtr},${bPtr}`, () => denseKernel(paths, biases));
    this.rt.pool.run(k, pad4(n));
    return this.copyOut(out, dimOut, n);
  }

  private mlp(node: IRNode, x: Rows): RefValue {
    if (node.op !== 'mlp') throw new Error(`${node.id}: not an MLP`);
    const shapes = mlpWeightShapes(node.attrs);
    const act = applyScaled(node.attrs.act);
    this.rt.reset();
    const n = x.rows;
    let h = this.copyIn(x.data, x.dim, n);
    const ws = node.params.map((p) => this.vector(this.param(node, p)));
    shapes.forEach(([hIn, hOut], layer) => {
      const out = this.zeroed(n, hOut);
      const path: DensePath = { x: h, xOffset: 0, out, outOffset: 0, mi: hIn, mo: hOut, d: 1, wPtr: ws[layer]!, factor: 1 / Math.sqrt(hIn) };
      const k = this.rt.kernel(`mlp:${this.id}:${node.id}:${layer}:${n}:${h.ptr},${out.ptr},${ws[layer]}`, () => denseKernel([path], []));
      this.rt.pool.run(k, pad4(n));
      if (layer < shapes.length - 1) {
        // The hidden activation in JavaScript (float32 in, float32 out).
        const f = this.rt.f32;
        for (let c = 0; c < hOut; c++) {
          const o = out.ptr / 4 + c * out.stride;
          for (let r = 0; r < n; r++) f[o + r] = act(f[o + r]!);
        }
      }
      h = out;
    });
    return this.copyOut(h, shapes[shapes.length - 1]![1], n);
  }

  private sphericalHarmonics(node: IRNode, v: Rows): RefValue {
    if (node.op !== 'spherical_harmonics' || node.type.kind !== 'field') throw new Error(`${node.id}: not spherical harmonics`);
    this.rt.reset();
    const n = v.rows;
    const xyz = this.copyIn(v.data, 3, n);
    const dimOut = node.type.rep.dim;
    const out = this.columns(n, dimOut);
    const k = this.rt.kernel(`sh:${this.id}:${node.id}:${n}:${xyz.ptr},${out.ptr}`, () => sphericalHarmonicsKernel(node.attrs, xyz, out));
    this.rt.pool.run(k, pad4(n));
    return this.copyOut(out, dimOut, n);
  }
}
