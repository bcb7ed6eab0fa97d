// The generated SIMD kernels as tfjs custom ops with gradients (tf.customGrad), for training
// on CPU: `eqvc train --kernels wasm` installs this provider (targets/tfjs/ops/kernelProvider.ts)
// and the tfjs runtime's tensor products, linear maps, MLP layers and spherical harmonics then
// run here. Forward: the tensors' float32 data (the cpu and wasm tfjs backends read it
// synchronously) goes into wasm memory in column layout, the node's kernel runs on the thread
// pool, the result comes back row-major. Backward:
// - tensor product: the VJP kernel gives both inputs' gradients and per-row weights' gradients;
//   shared weights are broadcast to per-row columns for the kernel and their gradient is the
//   sum over rows (in float64, in JavaScript);
// - linear (identity paths): the input's gradient is the dense kernel on transposed weights;
//   the weights' and bias's gradients (sums over rows) are JavaScript loops in float64;
// - MLP layer: the input's gradient is the dense kernel on the transposed matrix, the matrix's
//   gradient tfjs's matMul (x^T dy);
// - spherical harmonics: the gradient is tfjs's own (tf.grad of the op-by-op formula); training
//   never needs it unless a loss reaches the positions.
// The custom gradients are not differentiable again: a loss on forces (a gradient of the
// energy) must train with tfjs's ops (eqvc train says so and does).
//
// Kernels bake their buffers' addresses and row strides in, so rows are padded to a few strides
// per octave (`strideOf`): batches of varying size reuse a handful of compiled kernels.

import * as tf from '@tensorflow/tfjs-core';
import type { IRCouplingTable, IRRep, LinearAttrs, SphericalHarmonicsAttrs, TensorProductAttrs } from '../../ir/types.js';
import { blockLayout } from '../../stdlib/nn/layout.js';
import { type KernelProvider, setKernelProvider } from '../tfjs/ops/kernelProvider.js';
import { sphericalHarmonicsOps } from '../tfjs/ops/sphericalHarmonics.js';
import { denseKernel, type DenseBias, type DensePath } from './kernels/dense.js';
import type { Columns } from './kernels/frame.js';
import { transposeKernel } from './kernels/graph.js';
import { sphericalHarmonicsKernel } from './kernels/sphericalHarmonics.js';
import { tensorProductKernel } from './kernels/tensorProduct.js';
import { tensorProductBackwardKernel } from './kernels/tensorProductBackward.js';
import { defaultThreads, type WasmRuntime, wasmRuntime } from './runtime.js';

type Cols = Columns & { readonly stride: number };
type Data = Float32Array;

const pad4 = (n: number) => Math.ceil(n / 4) * 4;

/** Rows padded to 4 up to 64, then to one of 8 strides per octave (at most 1/8 more). */
export function strideOf(rows: number): number {
  const p = pad4(Math.max(rows, 1));
  if (p <= 64) return p;
  const step = 2 ** (Math.floor(Math.log2(p - 1)) - 3);
  return Math.ceil(p / step) * step;
}

/** Ops that run as kernels here; everything else stays tfjs's. */
export const TFJS_KERNEL_OPS = ['tensor_product (every mode, not kind = grid)', 'linear (identity paths)', 'mlp (its layers; the activation is tfjs)', 'spherical_harmonics (forward)'] as const;

/** One op's use of the runtime: allocations above a mark given back when the op is done. */
class Scratch {
  private readonly mark: number;
  constructor(private readonly rt: WasmRuntime) {
    this.mark = rt.mark();
  }
  done(): void {
    this.rt.release(this.mark);
  }
  columns(rows: number, dim: number): Cols {
    const stride = strideOf(rows);
    return { ptr: this.rt.alloc(4 * stride * Math.max(dim, 1)), colBytes: 4 * stride, stride };
  }
  zeroed(rows: number, dim: number): Cols {
    const c = this.columns(rows, dim);
    this.rt.f32.fill(0, c.ptr / 4, c.ptr / 4 + c.stride * Math.max(dim, 1));
    return c;
  }
  vector(x: ArrayLike<number>): number {
    const ptr = this.rt.alloc(4 * Math.max(1, x.length));
    this.rt.f32.set(x, ptr / 4);
    return ptr;
  }
  run(key: string, fn: () => import('./encoder/module.js').FunctionDef, rows: number): void {
    this.rt.pool.run(this.rt.kernel(key, fn), pad4(rows));
  }
  /** Row-major (rows, dim) float32 into columns: staged row-major, then the transpose kernel. */
  copyIn(x: ArrayLike<number>, rows: number, dim: number): Cols {
    const c = this.columns(rows, dim);
    if (dim === 0) return c;
    // The transpose kernel reads float64 rows (the wasm runner's own layout) and writes float32
    // columns; the staged rows past `rows` (up to the kernel's groups of 4) are zeros.
    const staging = this.rt.alloc(8 * strideOf(rows) * dim);
    const f = new Float64Array(this.rt.memory.buffer, staging, pad4(rows) * dim);
    f.set(x.length === rows * dim ? x : Array.prototype.slice.call(x, 0, rows * dim));
    f.fill(0, rows * dim);
    this.run(`tf:rows2cols:${dim}:${staging}:${c.ptr}:${c.colBytes}`, () => transposeKernel('toColumns', staging, dim, c), rows);
    return c;
  }
  /** Columns back to a fresh row-major (rows, dim) Float32Array. */
  copyOut(c: Cols, rows: number, dim: number): Data {
    if (dim === 0 || rows === 0) return new Float32Array(rows * dim);
    const staging = this.rt.alloc(4 * strideOf(rows) * dim);
    this.run(`tf:cols2rows:${dim}:${staging}:${c.ptr}:${c.colBytes}`, () => transposeKernel('toRows', staging, dim, c), rows);
    const out = new Float32Array(rows * dim);
    out.set(new Float32Array(this.rt.memory.buffer, staging, rows * dim));
    return out;
  }
  /** Column sums over rows [0, rows) in float64: a shared weight's gradient from per-row ones. */
  columnSums(c: Cols, rows: number, dim: number): Data {
    const f = this.rt.f32;
    const out = new Float32Array(dim);
    for (let k = 0; k < dim; k++) {
      let s = 0;
      const o = c.ptr / 4 + k * c.stride;
      for (let r = 0; r < rows; r++) s += f[o + r]!;
      out[k] = s;
    }
    return out;
  }
}

const ids = new WeakMap<object, number>();
let nextId = 1;
/** Kernels are cached per attrs object (a module's constant), stride and addresses. */
function idOf(o: object): number {
  let id = ids.get(o);
  if (id === undefined) ids.set(o, (id = nextId++));
  return id;
}

/** Whether the active tfjs backend keeps its data where a synchronous read finds it. */
function cpuBackend(): boolean {
  const name = tf.getBackend();
  return name === 'cpu' || name === 'wasm';
}

type CustomFn = (...args: never[]) => { value: tf.Tensor; gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor | tf.Tensor[] };
/** tf.customGrad over tensors (tfjs passes a save function after them: the last argument). */
const customOp = (f: CustomFn) => tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0]);

const read = (t: tf.Tensor): Data => {
  const d = t.dataSync();
  return d instanceof Float32Array ? d : Float32Array.from(d as ArrayLike<number>);
};

export function wasmKernelProvider(rt: WasmRuntime): KernelProvider {
  const withScratch = <T>(body: (s: Scratch) => T): T => {
    const s = new Scratch(rt);
    try {
      return body(s);
    } finally {
      s.done();
    }
  };

  function tensorProduct(a: tf.Tensor2D, b: tf.Tensor2D, weights: tf.Tensor | undefined, attrs: TensorProductAttrs, tables: Readonly<Record<string, IRCouplingTable>>, outRep: IRRep): tf.Tensor2D | undefined {
    if (!cpuBackend() || attrs.kind === 'grid') return undefined;
    const n = a.shape[0];
    const perRow = attrs.weights === 'input';
    const hasW = perRow || (attrs.weights === 'shared' && attrs.weightNumel > 0);
    if (hasW && !weights) return undefined;
    const dimA = a.shape[1];
    const dimB = b.shape[1];
    const dimOut = outRep.dim;
    const numel = attrs.weightNumel;
    const shape = { in1: blockLayout(attrs.in1), in2: blockLayout(attrs.in2), out: blockLayout(outRep) };
    const id = idOf(attrs);
    const forward = (xa: Data, xb: Data, w: Data | undefined): Data =>
      withScratch((s) => {
        const x1 = s.copyIn(xa, n, dimA);
        const x2 = s.copyIn(xb, n, dimB);
        const wb = !w ? undefined : perRow ? ({ kind: 'rows', cols: s.copyIn(w, n, numel) } as const) : ({ kind: 'shared', ptr: s.vector(w) } as const);
        const out = s.zeroed(n, dimOut);
        const key = `tf:tp:${id}:${x1.colBytes}:${x1.ptr},${x2.ptr},${out.ptr},${wb ? (wb.kind === 'rows' ? `r${wb.cols.ptr}` : `s${wb.ptr}`) : '-'}`;
        s.run(key, () => tensorProductKernel(attrs, tables, shape, { x1, x2, out, ...(wb ? { weights: wb } : {}) }), n);
        return s.copyOut(out, n, dimOut);
      });
    const backward = (xa: Data, xb: Data, w: Data | undefined, dy: Data): [Data, Data, Data | undefined] =>
      withScratch((s) => {
        const x1 = s.copyIn(xa, n, dimA);
        const x2 = s.copyIn(xb, n, dimB);
        const gOut = s.copyIn(dy, n, dimOut);
        let wc: Cols | undefined;
        if (w && perRow) wc = s.copyIn(w, n, numel);
        else if (w) {
          // Shared weights broadcast to every row, so that the kernel writes per-row gradients.
          wc = s.columns(n, numel);
          const f = rt.f32;
          for (let k = 0; k < numel; k++) f.fill(w[k]!, wc.ptr / 4 + k * wc.stride, wc.ptr / 4 + (k + 1) * wc.stride);
        }
        const gw = wc ? s.zeroed(n, numel) : undefined;
        const gx1 = s.zeroed(n, dimA);
        const gx2 = s.zeroed(n, dimB);
        const key = `tf:tpvjp:${id}:${x1.colBytes}:${x1.ptr},${x2.ptr},${gOut.ptr},${gx1.ptr},${gx2.ptr},${gw?.ptr},${wc?.ptr}`;
        s.run(key, () => tensorProductBackwardKernel(attrs, tables, shape, { x1, x2, gOut, gx1, gx2, ...(wc ? { weights: { kind: 'rows', cols: wc } as const } : {}), ...(gw ? { gw } : {}) }), n);
        const g1 = s.copyOut(gx1, n, dimA);
        const g2 = s.copyOut(gx2, n, dimB);
        const gW = !gw ? undefined : perRow ? s.copyOut(gw, n, numel) : s.columnSums(gw, n, numel);
        return [g1, g2, gW];
      });
    if (!hasW) {
      const op = customOp((x: tf.Tensor, y: tf.Tensor) => {
        const xa = read(x);
        const xb = read(y);
        return {
          value: tf.tensor2d(forward(xa, xb, undefined), [n, dimOut]),
          gradFunc: (dy: tf.Tensor) => {
            const [g1, g2] = backward(xa, xb, undefined, read(dy));
            return [tf.tensor2d(g1, [n, dimA]), tf.tensor2d(g2, [n, dimB])];
          },
        };
      });
      return op(a, b) as tf.Tensor2D;
    }
    const op = customOp((x: tf.Tensor, y: tf.Tensor, wt: tf.Tensor) => {
      const xa = read(x);
      const xb = read(y);
      const w = read(wt);
      return {
        value: tf.tensor2d(forward(xa, xb, w), [n, dimOut]),
        gradFunc: (dy: tf.Tensor) => {
          const [g1, g2, gw] = backward(xa, xb, w, read(dy));
          return [tf.tensor2d(g1, [n, dimA]), tf.tensor2d(g2, [n, dimB]), tf.tensor(gw!, wt.shape)];
        },
      };
    });
    return op(a, b, weights!) as tf.Tensor2D;
  }

  function linear(x: tf.Tensor2D, attrs: LinearAttrs, inRep: IRRep, outRep: IRRep, weight: tf.Tensor | undefined, bias: tf.Tensor | undefined): tf.Tensor2D | undefined {
    // Basis maps (GL(n), 2D groups) and weightless maps stay tfjs's.
    if (!cpuBackend() || attrs.weightNumel === 0 || !weight || attrs.paths.some((p) => p.basis)) return undefined;
    const useBias = !!(attrs.bias && bias && attrs.bias.blocks.length > 0);
    const n = x.shape[0];
    const li = blockLayout(inRep);
    const lo = blockLayout(outRep);
    const dimIn = inRep.dim;
    const dimOut = outRep.dim;
    const id = idOf(attrs);
    const forward = (xd: Data, W: Data, B: Data | undefined): Data =>
      withScratch((s) => {
        const xc = s.copyIn(xd, n, dimIn);
        const out = s.zeroed(n, dimOut);
        const wPtr = s.vector(W);
        const bPtr = B ? s.vector(B) : 0;
        const paths: DensePath[] = attrs.paths.map((p) => ({ x: xc, xOffset: li[p.iIn]!.offset, out, outOffset: lo[p.iOut]!.offset, mi: li[p.iIn]!.mul, mo: lo[p.iOut]!.mul, d: li[p.iIn]!.dim, wPtr: wPtr + 4 * p.weightOffset, factor: p.factor }));
        const biases: DenseBias[] = B ? attrs.bias!.blocks.map(({ iOut, offset }) => ({ out, outOffset: lo[iOut]!.offset, size: lo[iOut]!.mul * lo[iOut]!.dim, bPtr: bPtr + 4 * offset })) : [];
        s.run(`tf:linear:${id}:${xc.colBytes}:${xc.ptr},${out.ptr},${wPtr},${bPtr}`, () => denseKernel(paths, biases), n);
        return s.copyOut(out, n, dimOut);
      });
    const backward = (xd: Data, W: Data, dy: Data): [Data, Data, Data] => {
      // Input: each path's (mi, mo) block transposed to (mo, mi), through the dense kernel.
      const Wt = new Float32Array(W.length);
      for (const p of attrs.paths) {
        const mi = li[p.iIn]!.mul;
        const mo = lo[p.iOut]!.mul;
        for (let u = 0; u < mi; u++) for (let w = 0; w < mo; w++) Wt[p.weightOffset + w * mi + u] = W[p.weightOffset + u * mo + w]!;
      }
      const gx = withScratch((s) => {
        const gc = s.copyIn(dy, n, dimOut);
        const out = s.zeroed(n, dimIn);
        const wPtr = s.vector(Wt);
        const paths: DensePath[] = attrs.paths.map((p) => ({ x: gc, xOffset: lo[p.iOut]!.offset, out, outOffset: li[p.iIn]!.offset, mi: lo[p.iOut]!.mul, mo: li[p.iIn]!.mul, d: li[p.iIn]!.dim, wPtr: wPtr + 4 * p.weightOffset, factor: p.factor }));
        s.run(`tf:linvjp:${id}:${gc.colBytes}:${gc.ptr},${out.ptr},${wPtr}`, () => denseKernel(paths, []), n);
        return s.copyOut(out, n, dimIn);
      });
      // Weights: gW[u, w] = factor · Σ_rows Σ_k x[u, k] dy[w, k], accumulated in float64.
      const gW = new Float32Array(W.length);
      for (const p of attrs.paths) {
        const bi = li[p.iIn]!;
        const bo = lo[p.iOut]!;
        const { mul: mi, dim: d } = bi;
        const mo = bo.mul;
        const acc = new Float64Array(mi * mo);
        for (let r = 0; r < n; r++) {
          const xr = r * dimIn + bi.offset;
          const gr = r * dimOut + bo.offset;
          for (let u = 0; u < mi; u++) {
            for (let k = 0; k < d; k++) {
              const xv = xd[xr + u * d + k]!;
              if (xv === 0) continue;
              const row = u * mo;
              for (let w = 0, gi = gr + k; w < mo; w++, gi += d) acc[row + w] += xv * dy[gi]!;
            }
          }
        }
        for (let q = 0; q < acc.length; q++) gW[p.weightOffset + q] = acc[q]! * p.factor;
      }
      // Bias: the sum over rows of its output columns.
      const gB = new Float32Array(useBias ? bias!.size : 0);
      if (useBias) {
        for (const { iOut, offset } of attrs.bias!.blocks) {
          const bo = lo[iOut]!;
          const size = bo.mul * bo.dim;
          for (let k = 0; k < size; k++) {
            let sum = 0;
            for (let r = 0, i = bo.offset + k; r < n; r++, i += dimOut) sum += dy[i]!;
            gB[offset + k] = sum;
          }
        }
      }
      return [gx, gW, gB];
    };
    if (!useBias) {
      const op = customOp((xt: tf.Tensor, wt: tf.Tensor) => {
        const xd = read(xt);
        const W = read(wt);
        return {
          value: tf.tensor2d(forward(xd, W, undefined), [n, dimOut]),
          gradFunc: (dy: tf.Tensor) => {
            const [gx, gW] = backward(xd, W, read(dy));
            return [tf.tensor2d(gx, [n, dimIn]), tf.tensor(gW, wt.shape)];
          },
        };
      });
      return op(x, weight) as tf.Tensor2D;
    }
    const op = customOp((xt: tf.Tensor, wt: tf.Tensor, bt: tf.Tensor) => {
      const xd = read(xt);
      const W = read(wt);
      const B = read(bt);
      return {
        value: tf.tensor2d(forward(xd, W, B), [n, dimOut]),
        gradFunc: (dy: tf.Tensor) => {
          const [gx, gW, gB] = backward(xd, W, read(dy));
          return [tf.tensor2d(gx, [n, dimIn]), tf.tensor(gW, wt.shape), tf.tensor(gB, bt.shape)];
        },
      };
    });
    return op(x, weight, bias!) as tf.Tensor2D;
  }

  function dense(x: tf.Tensor2D, weight: tf.Tensor, hIn: number, hOut: number, factor: number): tf.Tensor2D | undefined {
    if (!cpuBackend()) return undefined;
    const n = x.shape[0];
    const layer = (xd: Data, W: Data, mi: number, mo: number, tag: string): Data =>
      withScratch((s) => {
        const xc = s.copyIn(xd, n, mi);
        const out = s.zeroed(n, mo);
        const wPtr = s.vector(W);
        const path: DensePath = { x: xc, xOffset: 0, out, outOffset: 0, mi, mo, d: 1, wPtr, factor };
        s.run(`tf:dense:${tag}:${mi}:${mo}:${factor}:${xc.colBytes}:${xc.ptr},${out.ptr},${wPtr}`, () => denseKernel([path], []), n);
        return s.copyOut(out, n, mo);
      });
    const op = customOp((xt: tf.Tensor, wt: tf.Tensor) => {
      const xd = read(xt);
      const W = read(wt);
      return {
        value: tf.tensor2d(layer(xd, W, hIn, hOut, 'f'), [n, hOut]),
        gradFunc: (dy: tf.Tensor) => {
          const Wt = new Float32Array(W.length);
          for (let u = 0; u < hIn; u++) for (let w = 0; w < hOut; w++) Wt[w * hIn + u] = W[u * hOut + w]!;
          const gx = layer(read(dy), Wt, hOut, hIn, 'b');
          const gW = tf.mul(tf.matMul(tf.tensor2d(xd, [n, hIn]), dy as tf.Tensor2D, true, false), factor);
          return [tf.tensor2d(gx, [n, hIn]), tf.reshape(gW, wt.shape)];
        },
      };
    });
    return op(x, weight) as tf.Tensor2D;
  }

  function sphericalHarmonics(v: tf.Tensor2D, attrs: SphericalHarmonicsAttrs): tf.Tensor2D | undefined {
    if (!cpuBackend() || v.shape[1] !== 3) return undefined;
    const n = v.shape[0];
    let dimOut = 0;
    for (const l of attrs.ls) dimOut += 2 * l + 1;
    const id = idOf(attrs);
    const op = customOp((vt: tf.Tensor, save: tf.GradSaveFunc) => {
      save([vt]);
      const out = withScratch((s) => {
        const xyz = s.copyIn(read(vt), n, 3);
        const o = s.columns(n, dimOut);
        s.run(`tf:sh:${id}:${xyz.colBytes}:${xyz.ptr},${o.ptr}`, () => sphericalHarmonicsKernel(attrs, { kind: 'columns', cols: xyz }, { kind: 'columns', cols: o }), n);
        return s.copyOut(o, n, dimOut);
      });
      return {
        value: tf.tensor2d(out, [n, dimOut]),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.grad((u: tf.Tensor) => tf.sum(tf.mul(sphericalHarmonicsOps(u as tf.Tensor2D, attrs), dy)))(saved[0]!),
      };
    });
    return op(v) as tf.Tensor2D;
  }

  return { name: `wasm (${rt.threads} thread${rt.threads === 1 ? '' : 's'})`, tensorProduct, linear, dense, sphericalHarmonics };
}

/**
 * For programs that load a generated tfjs module (`eqv/wasm`): its tensor products, linear maps,
 * MLP layers and spherical harmonics run on the kernels from now on (`false`: tfjs's ops again).
 * Node only (worker threads; `threads` 1 keeps to the calling thread).
 */
export function useWasmKernels(on = true, threads = defaultThreads()): void {
  setKernelProvider(on ? wasmKernelProvider(wasmRuntime(threads)) : undefined);
}
