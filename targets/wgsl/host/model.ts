/// <reference types="@webgpu/types" />
// Executing a WGSL plan on a WebGPU device: pipelines compiled once (with Dawn's or the
// browser's compilation messages turned into errors), parameters uploaded once as float32, and
// for each batch of graphs: the radius graphs built on the host, inputs uploaded, every kernel
// dispatched in plan order in one command buffer, outputs read back.
//
// - Buffer pooling: value buffers come from a pool of size classes and go back to it after
//   their last reader is encoded (dispatches in one queue run in order), and across runs.
// - Chunking: a storage binding may not exceed maxStorageBufferBindingSize (128 MiB on many
//   devices). A kernel over more rows than fit is dispatched in chunks of rows, each binding
//   only its window of the row-indexed buffers (and, for reductions over receiver-sorted edges
//   or over the nodes of each graph, only the segment those rows own), at 256-byte aligned
//   offsets. Buffers read at arbitrary rows (the node features a gather reads) must be bound
//   whole; when they do not fit, the batch is split by graphs and run in parts.
// - Batching: a batch concatenates graphs (RuntimeBatch); `runGraphs` builds one from arrays.

import { batchFromGraphs, type RuntimeBatch } from '../../io/inputs.js';
import type { BufferRef, PlanBinding, PlanKernel, WgslPlan } from '../plan.js';
import { BufferUsage, MapMode, ShaderStage, requestWgslDevice, type DeviceOptions, type WgslDevice } from './device.js';
import { nodeFrames } from './frames.js';
import { decodeF32 } from '../tableData.js';
import { allPairsGraph, hostGraph, radiusGraph, type HostGraph } from './graph.js';
import { pairLayout } from '../../io/pairs.js';
import { foldPathGates } from '../../../stdlib/nn/pathGates.js';

export interface WgslModelOptions extends DeviceOptions {
  /** Use this device (else one shared device per process and options). */
  readonly device?: WgslDevice;
  /** Bind at most this many bytes per storage binding (below the device's limit; tests force chunking with it). */
  readonly maxBindingBytes?: number;
}

export interface RunStats {
  /** Parts the batch was split into (1 unless whole-bound buffers exceeded the binding limit). */
  readonly parts: number;
  readonly dispatches: number;
  /** Kernels dispatched in more than one chunk. */
  readonly chunkedKernels: number;
  /** Host work before the kernels: the radius graphs and frame averaging's PCA frames. */
  readonly hostGraphMs: number;
  /** From submit to the mapped outputs. */
  readonly gpuMs: number;
  readonly edges: Readonly<Record<string, number>>;
  /** With `profile`: milliseconds per kernel (each waited for on its own), summed over parts. */
  readonly kernelMs?: Readonly<Record<string, number>>;
}

export interface RunOptions {
  /** Submit each kernel alone and wait for it, to time kernels (slower; for benchmarks). */
  readonly profile?: boolean;
}

export class WgslCompileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WgslCompileError';
  }
}

export interface KernelMessage {
  readonly type: string;
  readonly line: number;
  readonly col: number;
  readonly message: string;
}

/** The compiler's messages for one WGSL source (errors, warnings, info). */
export async function compileMessages(device: GPUDevice, code: string, label = 'kernel'): Promise<KernelMessage[]> {
  device.pushErrorScope('validation');
  const module = device.createShaderModule({ code, label });
  const info = await module.getCompilationInfo();
  const scopeError = await device.popErrorScope();
  const messages = info.messages.map((m) => ({ type: m.type, line: m.lineNum, col: m.linePos, message: m.message }));
  if (scopeError && !messages.some((m) => m.type === 'error')) messages.push({ type: 'error', line: 0, col: 0, message: scopeError.message });
  return messages;
}

const devices = new Map<string, Promise<WgslDevice>>();

/**
 * One device per process for each backend choice (the Node runner and the tests share it). It
 * has the adapter's own limits, so one device serves every plan the adapter can run.
 */
export function sharedDevice(options: DeviceOptions = {}, needStorageBuffers = 8): Promise<WgslDevice> {
  if (options.gpu) return requestWgslDevice(options, needStorageBuffers);
  const key = options.backend ?? '';
  let d = devices.get(key);
  if (!d) {
    d = requestWgslDevice(options, needStorageBuffers);
    d.catch(() => devices.delete(key));
    devices.set(key, d);
  }
  return d;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Rows per chunk must be a multiple of this for a window of `bytesPerRow` to start 256-byte aligned. */
function alignRows(bytesPerRow: number): number {
  return bytesPerRow === 0 ? 1 : 256 / gcd(256, bytesPerRow);
}

class BufferPool {
  private readonly free = new Map<number, GPUBuffer[]>();
  constructor(
    private readonly device: GPUDevice,
    private readonly usage: number,
    private readonly maxBufferSize: number,
  ) {}

  /** Size classes: 8 steps per power of two, at least 256 bytes, with 4 bytes to spare for empty windows. */
  static capacity(bytes: number): number {
    const b = Math.max(256, bytes + 4);
    const step = Math.max(256, 2 ** Math.floor(Math.log2(b)) / 8);
    return Math.ceil(b / step) * step;
  }

  acquire(bytes: number, what: string): GPUBuffer {
    const cap = BufferPool.capacity(bytes);
    if (cap > this.maxBufferSize) throw new RangeError(`${what} needs ${bytes} bytes, more than the device's maxBufferSize (${this.maxBufferSize})`);
    const list = this.free.get(cap);
    const b = list?.pop();
    if (b) return b;
    return this.device.createBuffer({ size: cap, usage: this.usage });
  }

  release(b: GPUBuffer): void {
    const list = this.free.get(b.size);
    if (list) list.push(b);
    else this.free.set(b.size, [b]);
  }

  destroy(): void {
    for (const list of this.free.values()) for (const b of list) b.destroy();
    this.free.clear();
  }
}

interface Chunk {
  readonly r0: number;
  readonly r1: number;
  /** The segment rows bound for segment windows: [segBase, segEnd). */
  readonly segBase: number;
  readonly segEnd: number;
}

const keyOf = (ref: BufferRef): string =>
  ref.kind === 'value' ? `value:${ref.id}` : ref.kind === 'param' ? `param:${ref.name}` : ref.kind === 'table' ? `table:${ref.name}` : ref.kind === 'graph' ? `graph:${ref.graph}:${ref.array}` : 'graphPtr';

export class WgslModel {
  private readonly pipelines: GPUComputePipeline[] = [];
  private readonly layouts: GPUBindGroupLayout[] = [];
  private readonly params = new Map<string, GPUBuffer>();
  /** The plan's constant tables, uploaded once at creation. */
  private readonly tables = new Map<string, { buffer: GPUBuffer; numel: number }>();
  private readonly pool: BufferPool;
  private readonly uniforms: BufferPool;
  /** The storage binding limit in force. */
  readonly bindingLimit: number;
  lastRun: RunStats | undefined;

  private constructor(
    readonly plan: WgslPlan,
    readonly gpu: WgslDevice,
    options: WgslModelOptions,
  ) {
    const device = gpu.device;
    this.bindingLimit = Math.min(gpu.limits.maxStorageBufferBindingSize, options.maxBindingBytes ?? Infinity);
    if (this.bindingLimit < 256) throw new RangeError(`maxBindingBytes must be at least 256, got ${options.maxBindingBytes}`);
    this.pool = new BufferPool(device, BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST, gpu.limits.maxBufferSize);
    this.uniforms = new BufferPool(device, BufferUsage.UNIFORM | BufferUsage.COPY_DST, gpu.limits.maxBufferSize);
  }

  static async create(plan: WgslPlan, options: WgslModelOptions = {}): Promise<WgslModel> {
    if (plan.format !== 'eqv-wgsl-plan' || plan.version !== 1) throw new Error('not an eqv WGSL plan (format eqv-wgsl-plan, version 1)');
    const gpu = options.device ?? (await sharedDevice(options, plan.maxStorageBuffers));
    if (gpu.limits.maxStorageBuffersPerShaderStage < plan.maxStorageBuffers) {
      throw new Error(`the device allows ${gpu.limits.maxStorageBuffersPerShaderStage} storage buffers per shader stage; ${plan.model}'s kernels need ${plan.maxStorageBuffers}`);
    }
    const model = new WgslModel(plan, gpu, options);
    await model.compile();
    model.uploadTables();
    return model;
  }

  private async compile(): Promise<void> {
    const device = this.gpu.device;
    const problems: string[] = [];
    for (const k of this.plan.kernels) {
      const messages = await compileMessages(device, k.code, k.name);
      const errors = messages.filter((m) => m.type === 'error');
      if (errors.length > 0) {
        const lines = k.code.split('\n');
        problems.push(...errors.map((m) => `${k.name}.wgsl:${m.line}:${m.col}: ${m.message}${m.line > 0 ? `\n    ${lines[m.line - 1]?.trim() ?? ''}` : ''}`));
        continue;
      }
      const entries: GPUBindGroupLayoutEntry[] = k.bindings.map((b, i) => ({
        binding: i,
        visibility: ShaderStage.COMPUTE,
        buffer: { type: b.access === 'read' ? 'read-only-storage' : 'storage' },
      }));
      entries.push({ binding: k.bindings.length, visibility: ShaderStage.COMPUTE, buffer: { type: 'uniform' } });
      device.pushErrorScope('validation');
      const layout = device.createBindGroupLayout({ entries, label: k.name });
      const pipeline = device.createComputePipeline({
        label: k.name,
        layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
        compute: { module: device.createShaderModule({ code: k.code, label: k.name }), entryPoint: 'main' },
      });
      const err = await device.popErrorScope();
      if (err) problems.push(`${k.name}: ${err.message}`);
      this.layouts.push(layout);
      this.pipelines.push(pipeline);
    }
    if (problems.length > 0) throw new WgslCompileError(`the WGSL of ${this.plan.model} does not compile on ${this.gpu.description}:\n${problems.join('\n')}`);
  }

  private uploadTables(): void {
    for (const t of this.plan.tables ?? []) {
      const data = decodeF32(t.data);
      if (data.length !== t.length) throw new Error(`table ${t.name} holds ${data.length} numbers, the plan says ${t.length}`);
      const bytes = data.length * 4;
      if (bytes > this.bindingLimit) throw new RangeError(`table ${t.name} (${bytes} bytes) exceeds the storage binding limit (${this.bindingLimit} bytes)`);
      const buffer = this.gpu.device.createBuffer({ size: Math.max(16, Math.ceil(bytes / 16) * 16), usage: BufferUsage.STORAGE | BufferUsage.COPY_DST });
      if (data.length > 0) this.gpu.device.queue.writeBuffer(buffer, 0, data);
      this.tables.set(t.name, { buffer, numel: data.length });
    }
  }

  /** Upload parameters (float64 or float32 values by name, IR C-order layout); every plan parameter is required. */
  setParams(values: ReadonlyMap<string, ArrayLike<number>>): void {
    const missing: string[] = [];
    for (const p of this.plan.params) {
      const raw = values.get(p.name);
      if (!raw) {
        missing.push(p.name);
        continue;
      }
      const gate = p.gated ? values.get(p.gated.gate) : undefined;
      const mask = p.gated ? values.get(p.gated.mask) : undefined;
      if (p.gated && (!gate || !mask)) {
        missing.push(!gate ? p.gated.gate : p.gated.mask);
        continue;
      }
      const v = p.gated && raw.length === p.numel ? foldPathGates(p.gated.paths, raw, gate!, mask!) : raw;
      if (v.length !== p.numel) throw new RangeError(`parameter ${p.name} has ${v.length} values, expected ${p.numel}`);
      if (p.numel * 4 > this.bindingLimit) throw new RangeError(`parameter ${p.name} (${p.numel * 4} bytes) exceeds the storage binding limit (${this.bindingLimit} bytes)`);
      let buf = this.params.get(p.name);
      if (!buf) {
        buf = this.gpu.device.createBuffer({ size: Math.max(16, Math.ceil((p.numel * 4) / 16) * 16), usage: BufferUsage.STORAGE | BufferUsage.COPY_DST });
        this.params.set(p.name, buf);
      }
      if (p.numel > 0) this.gpu.device.queue.writeBuffer(buf, 0, Float32Array.from(v));
    }
    if (missing.length > 0) throw new Error(`missing parameter${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`);
  }

  /** Run on a batch built from per-graph arrays ({pos: [[x, y, z], ...], x: [[...], ...]}). */
  runGraphs(graphs: readonly Readonly<Record<string, readonly (readonly number[])[] | readonly number[]>>[]): Promise<Map<string, Float64Array>> {
    return this.run(batchFromGraphs(this.plan.io, graphs));
  }

  /** The model's outputs for a batch, row-major float64 (rows of the output's domain). */
  async run(batch: RuntimeBatch, options: RunOptions = {}): Promise<Map<string, Float64Array>> {
    if (this.plan.params.length > 0 && this.params.size === 0) throw new Error(`${this.plan.model}: call setParams before run`);
    const t0 = performance.now();
    const graphs = this.buildGraphs(batch);
    const hostValues = this.hostValues(batch);
    const hostGraphMs = performance.now() - t0;
    const parts = this.split(batch, graphs);
    const stats: Mutable<RunStats> = {
      parts: parts.length,
      dispatches: 0,
      chunkedKernels: 0,
      hostGraphMs,
      gpuMs: 0,
      // Radius graphs' edges; S(n)'s all-pairs graph is not a graph of the model.
      edges: Object.fromEntries([...graphs].filter(([id]) => this.plan.graphs.find((g) => g.id === id)?.kind !== 'pairs').map(([id, g]) => [id, g.src.length])),
      ...(options.profile ? { kernelMs: {} } : {}),
    };
    let result: Map<string, Float64Array>;
    if (parts.length === 1) {
      result = await this.runPart(batch, graphs, hostValues, stats);
    } else {
      const pieces: Map<string, Float64Array>[] = [];
      for (const [g0, g1] of parts) pieces.push(await this.runPart(sliceBatch(this.plan, batch, g0, g1), sliceGraphs(graphs, batch.graphPtr, g0, g1), sliceNodeValues(this.plan, hostValues, batch.graphPtr, g0, g1), stats));
      result = new Map();
      for (const o of this.plan.outputs) {
        const arrays = pieces.map((p) => p.get(o.name)!);
        const out = new Float64Array(arrays.reduce((s, a) => s + a.length, 0));
        let at = 0;
        for (const a of arrays) (out.set(a, at), (at += a.length));
        result.set(o.name, out);
      }
    }
    this.lastRun = stats;
    return result;
  }

  /** Node values the host computes for the whole batch (frame averaging's frames), by value id. */
  private hostValues(batch: RuntimeBatch): Map<string, Float64Array> {
    const out = new Map<string, Float64Array>();
    for (const step of this.plan.frames ?? []) {
      const { coords, rotations } = nodeFrames(step, batch);
      out.set(step.coords, coords);
      out.set(step.rotations, rotations);
    }
    return out;
  }

  private buildGraphs(batch: RuntimeBatch): Map<string, HostGraph> {
    const out = new Map<string, HostGraph>();
    for (const g of this.plan.graphs) {
      if (g.kind === 'pairs') {
        out.set(g.id, allPairsGraph(batch.graphPtr));
        continue;
      }
      const cell = g.cellInput ? batch.values.get(g.cellInput) : undefined;
      if (g.cellInput && !cell) throw new Error(`the batch has no input ${g.cellInput}`);
      if (g.kind === 'given') {
        const edges = batch.edges?.get(g.posInput);
        if (!edges) throw new Error(`the batch has no graph input ${g.posInput}`);
        out.set(g.id, hostGraph(edges, batch, g.spaceDim, cell));
        continue;
      }
      const pos = batch.values.get(g.posInput);
      if (!pos) throw new Error(`the batch has no input ${g.posInput}`);
      out.set(g.id, radiusGraph(pos, batch.graphPtr, g.r, g.spaceDim, cell, batch.nodeGraph));
    }
    return out;
  }

  /** Graph ranges [g0, g1) whose whole-bound node buffers fit the binding limit and whose values fit maxBufferSize. */
  private split(batch: RuntimeBatch, graphs: ReadonlyMap<string, HostGraph>): [number, number][] {
    const valueById = new Map(this.plan.values.map((v) => [v.id, v]));
    let wholeNodeWidth = 0;
    for (const k of this.plan.kernels) {
      for (const b of k.bindings) {
        if (b.window !== 'whole' || b.buffer.kind !== 'value') continue;
        const v = valueById.get(b.buffer.id);
        if (v && v.domain === 'node') wholeNodeWidth = Math.max(wholeNodeWidth, v.width);
      }
    }
    const maxBuffer = this.gpu.limits.maxBufferSize - 512;
    const ptr = batch.graphPtr;
    const edgesOf = (g: HostGraph, a: number, b: number) => g.rowptr[ptr[b]!]! - g.rowptr[ptr[a]!]!;
    const fits = (a: number, b: number) => {
      const nodes = ptr[b]! - ptr[a]!;
      // Node features read by gathers, and the receiver pointers (one u32 per node), are bound whole.
      if (nodes * Math.max(wholeNodeWidth, 1) * 4 + 4 > this.bindingLimit) return false;
      for (const v of this.plan.values) {
        const rows = v.domain === 'node' ? nodes : v.domain === 'graph' ? b - a : edgesOf(graphs.get(v.graph!)!, a, b);
        if (rows * v.width * 4 > maxBuffer) return false;
      }
      return true;
    };
    if (fits(0, batch.numGraphs)) return [[0, batch.numGraphs]];
    const parts: [number, number][] = [];
    let a = 0;
    while (a < batch.numGraphs) {
      if (!fits(a, a + 1)) {
        throw new RangeError(
          `graph ${a} of the batch (${ptr[a + 1]! - ptr[a]!} nodes) is too large for this device: its node features (${wholeNodeWidth} floats per node) must fit one storage binding of ${this.bindingLimit} bytes, and every value one buffer of ${this.gpu.limits.maxBufferSize} bytes`,
        );
      }
      let b = a + 1;
      while (b < batch.numGraphs && fits(a, b + 1)) b++;
      parts.push([a, b]);
      a = b;
    }
    return parts;
  }

  private chunks(k: PlanKernel, rows: number, ptr: Int32Array | undefined): Chunk[] {
    if (rows === 0) return [];
    const limit = this.bindingLimit;
    let maxRows = rows;
    let rowAlign = 1;
    let segAlign = 1;
    const segWidths: number[] = [];
    for (const b of k.bindings) {
      const bytes = b.width * 4;
      if (b.window === 'rows') {
        if (bytes > 0) maxRows = Math.min(maxRows, Math.floor(limit / bytes));
        rowAlign = Math.max(rowAlign, alignRows(bytes));
      } else if (b.window === 'segment') {
        segAlign = Math.max(segAlign, alignRows(bytes));
        segWidths.push(bytes);
      }
    }
    // Keep the flat invocation index within u32.
    maxRows = Math.min(maxRows, Math.floor(2 ** 31 / k.threadsPerGroup) * k.rowsPerGroup);
    if (maxRows < rows) {
      maxRows = Math.floor(maxRows / rowAlign) * rowAlign;
      if (maxRows === 0) throw new RangeError(`${k.name}: ${rowAlign} rows do not fit the storage binding limit of ${limit} bytes`);
    }
    const base = (r0: number) => (ptr ? Math.floor(ptr[r0]! / segAlign) * segAlign : 0);
    const segFits = (r0: number, r1: number) => !ptr || segWidths.every((bytes) => (ptr[r1]! - base(r0)) * bytes <= limit);
    const out: Chunk[] = [];
    let r0 = 0;
    while (r0 < rows) {
      let r1 = Math.min(rows, r0 + maxRows);
      while (!segFits(r0, r1)) {
        const half = r0 + Math.floor((r1 - r0) / 2 / rowAlign) * rowAlign;
        if (half <= r0) throw new RangeError(`${k.name}: the ${k.domain === 'graph' ? 'nodes of a graph' : 'edges into a node'} at row ${r0} exceed the storage binding limit of ${limit} bytes`);
        r1 = half;
      }
      out.push({ r0, r1, segBase: base(r0), segEnd: ptr ? ptr[r1]! : 0 });
      r0 = r1;
    }
    return out;
  }

  private async runPart(batch: RuntimeBatch, graphs: ReadonlyMap<string, HostGraph>, hostValues: ReadonlyMap<string, Float64Array>, stats: Mutable<RunStats>): Promise<Map<string, Float64Array>> {
    const device = this.gpu.device;
    const plan = this.plan;
    const valueById = new Map(plan.values.map((v) => [v.id, v]));
    const rowsOf = (domain: 'node' | 'edge' | 'graph', graph?: string) => {
      if (domain === 'node') return batch.numNodes;
      if (domain === 'graph') return batch.numGraphs;
      const g = graphs.get(graph ?? '');
      if (!g) throw new Error(`no graph ${graph} for edge rows`);
      return g.src.length;
    };
    const live = new Map<string, { buffer: GPUBuffer; bytes: number }>();
    const acquire = (key: string, bytes: number) => {
      const buffer = this.pool.acquire(bytes, key);
      live.set(key, { buffer, bytes });
      return buffer;
    };
    // ArrayBuffer-backed: the DOM typing of writeBuffer (the playground's check) refuses a view of a SharedArrayBuffer.
    const upload = (key: string, data: Float32Array<ArrayBuffer> | Uint32Array<ArrayBuffer>) => {
      const buffer = acquire(key, data.byteLength);
      if (data.byteLength > 0) device.queue.writeBuffer(buffer, 0, data);
    };
    for (const input of plan.inputs) {
      const data = batch.values.get(input.name);
      if (!data) throw new Error(`the batch has no input ${input.name}`);
      const nodeRows = input.domain === 'node' ? batch.numNodes : input.domain === 'pair' ? pairLayout(batch.graphPtr).numPairs : batch.numGraphs;
      const rows = input.frameCells ? nodeRows / input.frameCells : nodeRows;
      if (data.length !== rows * input.width) throw new Error(`input ${input.name} has ${data.length} numbers, expected ${rows} x ${input.width}`);
      // A seq input's frames fill the start of a node-sized buffer, like every seq value's.
      const padded = new Float32Array(nodeRows * input.width);
      padded.set(data);
      upload(`value:${input.value}`, padded);
    }
    for (const [id, data] of hostValues) upload(`value:${id}`, Float32Array.from(data));
    const hostPtr = (ref: BufferRef): Int32Array => {
      if (ref.kind === 'graphPtr') return batch.graphPtr;
      if (ref.kind === 'graph' && ref.array !== 'offset') return graphs.get(ref.graph)![ref.array];
      throw new Error('not an index array');
    };
    const ensureIndex = (ref: BufferRef) => {
      const key = keyOf(ref);
      if (!live.has(key) && ref.kind === 'graph' && ref.array === 'offset') {
        const offset = graphs.get(ref.graph)!.offset;
        if (!offset) throw new Error(`graph ${ref.graph} has no periodic offsets`);
        upload(key, Float32Array.from(offset));
      } else if (!live.has(key)) upload(key, Uint32Array.from(hostPtr(ref)));
      return live.get(key)!;
    };

    // Every upload happens before the first kernel is planned: queue.writeBuffer runs before the
    // command buffer, so a buffer handed back to the pool mid-run must never be written from the host.
    for (const k of plan.kernels) for (const b of k.bindings) if (b.buffer.kind === 'graph' || b.buffer.kind === 'graphPtr') ensureIndex(b.buffer);

    const lastUse = new Map<string, number>();
    plan.kernels.forEach((k, i) => k.bindings.forEach((b) => lastUse.set(keyOf(b.buffer), i)));
    const keep = new Set(plan.outputs.map((o) => `value:${o.value}`));

    // Pass 1: chunks and bound windows of every dispatch.
    interface Dispatch {
      readonly kernel: number;
      readonly chunk: Chunk;
      readonly entries: GPUBindGroupEntry[];
      readonly groups: [number, number];
    }
    const dispatches: Dispatch[] = [];
    plan.kernels.forEach((k, i) => {
      const rows = rowsOf(k.domain, k.graph);
      const ptr = k.segmentPtr ? hostPtr(k.segmentPtr) : undefined;
      const chunks = this.chunks(k, rows, ptr);
      if (chunks.length > 1) stats.chunkedKernels++;
      if (chunks.length === 0) {
        // No rows (a graph without edges): nothing to dispatch, but the values it writes exist, empty.
        for (const b of k.bindings) if (b.access === 'read_write' && b.buffer.kind === 'value' && !live.has(keyOf(b.buffer))) acquire(keyOf(b.buffer), 0);
      }
      for (const chunk of chunks) {
        const entries = k.bindings.map((b, bi) => ({ binding: bi, resource: this.window(b, chunk, live, acquire, ensureIndex, valueById, rowsOf) }));
        const invocations = Math.ceil((chunk.r1 - chunk.r0) / k.rowsPerGroup) * k.threadsPerGroup;
        const wg = Math.max(1, Math.ceil(invocations / k.workgroupSize));
        const x = Math.min(wg, this.gpu.limits.maxComputeWorkgroupsPerDimension);
        dispatches.push({ kernel: i, chunk, entries, groups: [x, Math.ceil(wg / x)] });
      }
      // Values read for the last time go back to the pool; later dispatches may reuse them.
      for (const b of k.bindings) {
        const key = keyOf(b.buffer);
        if (b.buffer.kind === 'param' || b.buffer.kind === 'table' || lastUse.get(key) !== i || keep.has(key)) continue;
        const l = live.get(key);
        if (l) {
          this.pool.release(l.buffer);
          live.delete(key);
        }
      }
    });

    // Pass 2: the chunk uniforms, bind groups, one compute pass, copies of the outputs.
    const slot = Math.max(256, this.gpu.limits.minUniformBufferOffsetAlignment);
    const uniformBytes = Math.max(1, dispatches.length) * slot;
    const uniform = this.uniforms.acquire(uniformBytes, 'chunk uniforms');
    const u = new Uint32Array(uniformBytes / 4);
    dispatches.forEach((d, n) => u.set([d.chunk.r1 - d.chunk.r0, d.chunk.r0, d.chunk.segBase, 0], (n * slot) / 4));
    device.queue.writeBuffer(uniform, 0, u);
    const bindGroups = dispatches.map((d, n) =>
      device.createBindGroup({
        layout: this.layouts[d.kernel]!,
        entries: [...d.entries, { binding: plan.kernels[d.kernel]!.bindings.length, resource: { buffer: uniform, offset: n * slot, size: 16 } }],
      }),
    );
    const encode = (encoder: GPUCommandEncoder, from: number, to: number) => {
      const pass = encoder.beginComputePass();
      for (let n = from; n < to; n++) {
        pass.setPipeline(this.pipelines[dispatches[n]!.kernel]!);
        pass.setBindGroup(0, bindGroups[n]!);
        pass.dispatchWorkgroups(dispatches[n]!.groups[0], dispatches[n]!.groups[1]);
      }
      pass.end();
    };
    if (stats.kernelMs) {
      // Profiling: each kernel's dispatches in a command buffer of their own, waited for.
      await device.queue.onSubmittedWorkDone();
      for (let n = 0; n < dispatches.length; ) {
        let end = n;
        while (end < dispatches.length && dispatches[end]!.kernel === dispatches[n]!.kernel) end++;
        const e = device.createCommandEncoder();
        encode(e, n, end);
        const t = performance.now();
        device.queue.submit([e.finish()]);
        await device.queue.onSubmittedWorkDone();
        const name = plan.kernels[dispatches[n]!.kernel]!.name;
        stats.kernelMs[name] = (stats.kernelMs[name] ?? 0) + performance.now() - t;
        n = end;
      }
    }
    const encoder = device.createCommandEncoder({ label: plan.model });
    if (!stats.kernelMs) encode(encoder, 0, dispatches.length);
    stats.dispatches += dispatches.length;
    const staging: { name: string; buffer: GPUBuffer | undefined; length: number }[] = plan.outputs.map((o) => {
      const v = valueById.get(o.value)!;
      // A flow's seq value: only its first numNodes / frameCells rows (the frames) are read back.
      const length = (v.frameCells ? rowsOf(v.domain, v.graph) / v.frameCells : rowsOf(v.domain, v.graph)) * v.width;
      // An output without components (or rows) has no kernel and no buffer to read.
      if (length === 0) return { name: o.name, buffer: undefined, length };
      const src = live.get(`value:${o.value}`);
      if (!src) throw new Error(`output ${o.name} was never computed`);
      const buffer = device.createBuffer({ size: length * 4, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
      encoder.copyBufferToBuffer(src.buffer, 0, buffer, 0, length * 4);
      return { name: o.name, buffer, length };
    });
    const t0 = performance.now();
    device.queue.submit([encoder.finish()]);
    await Promise.all(staging.map((s) => s.buffer?.mapAsync(MapMode.READ)));
    stats.gpuMs += performance.now() - t0;
    const result = new Map<string, Float64Array>();
    for (const s of staging) {
      if (!s.buffer) {
        result.set(s.name, new Float64Array(0));
        continue;
      }
      result.set(s.name, Float64Array.from(new Float32Array(s.buffer.getMappedRange(0, s.length * 4))));
      s.buffer.unmap();
      s.buffer.destroy();
    }
    for (const l of live.values()) this.pool.release(l.buffer);
    this.uniforms.release(uniform);
    return result;
  }

  /** The buffer range a binding sees in a chunk. */
  private window(
    b: PlanBinding,
    chunk: Chunk,
    live: Map<string, { buffer: GPUBuffer; bytes: number }>,
    acquire: (key: string, bytes: number) => GPUBuffer,
    ensureIndex: (ref: BufferRef) => { buffer: GPUBuffer; bytes: number },
    valueById: Map<string, WgslPlan['values'][number]>,
    rowsOf: (domain: 'node' | 'edge' | 'graph', graph?: string) => number,
  ): GPUBufferBinding {
    const ref = b.buffer;
    let buffer: GPUBuffer;
    let total: number;
    if (ref.kind === 'param') {
      const p = this.params.get(ref.name);
      if (!p) throw new Error(`parameter ${ref.name} was not uploaded`);
      const numel = this.plan.params.find((q) => q.name === ref.name)!.numel;
      return { buffer: p, offset: 0, size: Math.max(4, numel * 4) };
    } else if (ref.kind === 'table') {
      const t = this.tables.get(ref.name);
      if (!t) throw new Error(`table ${ref.name} is not in the plan`);
      return { buffer: t.buffer, offset: 0, size: Math.max(4, t.numel * 4) };
    } else if (ref.kind === 'value') {
      const key = keyOf(ref);
      const have = live.get(key);
      if (have) {
        buffer = have.buffer;
        total = have.bytes;
      } else {
        if (b.access === 'read') throw new Error(`value ${ref.id} is read before it is computed`);
        const v = valueById.get(ref.id)!;
        total = rowsOf(v.domain, v.graph) * v.width * 4;
        buffer = acquire(key, total);
      }
    } else {
      const l = ensureIndex(ref);
      buffer = l.buffer;
      total = l.bytes;
    }
    const bytes = b.width * 4;
    let offset = 0;
    let size = total;
    if (b.window === 'rows') {
      offset = chunk.r0 * bytes;
      size = (chunk.r1 - chunk.r0) * bytes;
    } else if (b.window === 'segment') {
      offset = chunk.segBase * bytes;
      size = (chunk.segEnd - chunk.segBase) * bytes;
    } else if (size > this.bindingLimit) {
      throw new RangeError(`${keyOf(ref)} (${size} bytes) is bound whole and exceeds the storage binding limit of ${this.bindingLimit} bytes`);
    }
    return { buffer, offset, size: Math.max(4, size) };
  }

  /** Free the GPU buffers this model holds (the shared device stays). */
  destroy(): void {
    this.pool.destroy();
    this.uniforms.destroy();
    for (const b of this.params.values()) b.destroy();
    this.params.clear();
    for (const t of this.tables.values()) t.buffer.destroy();
    this.tables.clear();
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends Readonly<Record<string, number>> | undefined ? Record<string, number> : T[K] };

/** The graphs [g0, g1) of a batch as a batch of their own. */
export function sliceBatch(plan: WgslPlan, batch: RuntimeBatch, g0: number, g1: number): RuntimeBatch {
  const n0 = batch.graphPtr[g0]!;
  const n1 = batch.graphPtr[g1]!;
  const values = new Map<string, Float64Array>();
  for (const input of plan.inputs) {
    const data = batch.values.get(input.name)!;
    if (input.domain === 'pair') {
      // The pairs of graphs g0..g1 are contiguous too (targets/io/pairs.ts).
      const ptr = pairLayout(batch.graphPtr).pairPtr;
      values.set(input.name, data.subarray(ptr[g0]! * input.width, ptr[g1]! * input.width));
      continue;
    }
    // A seq input's rows are frames: a graph's start in frames is its start in cells / size².
    const [r0, r1] = input.domain === 'graph' ? [g0, g1] : input.frameCells ? [n0 / input.frameCells, n1 / input.frameCells] : [n0, n1];
    values.set(input.name, data.subarray(r0 * input.width, r1 * input.width));
  }
  const graphPtr = Int32Array.from(batch.graphPtr.subarray(g0, g1 + 1), (p) => p - n0);
  return { numGraphs: g1 - g0, numNodes: n1 - n0, graphPtr, nodeGraph: Int32Array.from(batch.nodeGraph.subarray(n0, n1), (g) => g - g0), values, wrapped: batch.wrapped };
}

/** The node rows of graphs [g0, g1) of host-computed node values. */
function sliceNodeValues(plan: WgslPlan, values: ReadonlyMap<string, Float64Array>, graphPtr: Int32Array, g0: number, g1: number): Map<string, Float64Array> {
  const out = new Map<string, Float64Array>();
  for (const [id, data] of values) {
    const width = plan.values.find((v) => v.id === id)?.width ?? 0;
    out.set(id, data.subarray(graphPtr[g0]! * width, graphPtr[g1]! * width));
  }
  return out;
}

function sliceGraphs(graphs: ReadonlyMap<string, HostGraph>, graphPtr: Int32Array, g0: number, g1: number): Map<string, HostGraph> {
  const n0 = graphPtr[g0]!;
  const n1 = graphPtr[g1]!;
  const out = new Map<string, HostGraph>();
  for (const [id, g] of graphs) {
    const e0 = g.rowptr[n0]!;
    const e1 = g.rowptr[n1]!;
    out.set(id, {
      src: Int32Array.from(g.src.subarray(e0, e1), (s) => s - n0),
      dst: Int32Array.from(g.dst.subarray(e0, e1), (d) => d - n0),
      rowptr: Int32Array.from(g.rowptr.subarray(n0, n1 + 1), (p) => p - e0),
      ...(g.offset ? { offset: g.offset.subarray((e0 * g.offset.length) / Math.max(1, g.src.length), (e1 * g.offset.length) / Math.max(1, g.src.length)) } : {}),
    });
  }
  return out;
}
