// The WGSL target's compiled form of a model: the buffers a run needs, the host steps (model
// inputs, radius graphs), and the kernels in execution order, each with its WGSL source and how
// its storage bindings are windowed when a run is split into chunks. `planModule` (lower.ts)
// produces it from the IR; the host runtime (runtime/) executes it on any WebGPU device. It is
// plain JSON-able data, so a build can ship it to a browser without the compiler.

import type { IRModule } from '../../ir/types.js';

/** What a row of a buffer is: a node of the batch, an edge of one graph value, a graph of the batch. */
export type RowDomain = 'node' | 'edge' | 'graph';

/** A feature value: (rows, width) float32, row-major. Edge rows belong to the graph value `graph`. */
export interface PlanValue {
  readonly id: string;
  readonly domain: RowDomain;
  readonly width: number;
  /** For edge-domain values: the radius_graph node whose edges the rows are. */
  readonly graph?: string;
  /**
   * Flows' `seq` values (one row per frame) live in node-sized buffers: the frames are the
   * first numNodes / frameCells rows, and that many are read back when it is an output.
   */
  readonly frameCells?: number;
}

/** A parameter, uploaded once as float32 in the IR's C-order layout. */
export interface PlanParam {
  readonly name: string;
  readonly numel: number;
  /**
   * The weight of a gated tensor product: uploaded with each path's weights times its gate and
   * mask (stdlib/nn/pathGates.ts), so the ungated kernel computes the gated product.
   */
  readonly gated?: { readonly gate: string; readonly mask: string; readonly paths: readonly { readonly weightOffset: number; readonly weightShape: readonly number[] }[] };
}

/**
 * A buffer a kernel binds. `value:<id>` features, `param:<name>` parameters, and the index
 * arrays of a graph value `<graph>.src`, `<graph>.dst` (u32 per edge) and `<graph>.rowptr`
 * (u32, numNodes + 1: the edges into node n are [rowptr[n], rowptr[n + 1]), since edges are
 * sorted by destination), and `batch.graphPtr` (u32, numGraphs + 1: the nodes of graph g).
 */
export type BufferRef =
  | { readonly kind: 'value'; readonly id: string }
  | { readonly kind: 'param'; readonly name: string }
  /** `offset`: periodic graphs' shift·cell per edge (f32, spaceDim each), computed on the host in float64. */
  | { readonly kind: 'graph'; readonly graph: string; readonly array: 'src' | 'dst' | 'rowptr' | 'offset' }
  | { readonly kind: 'graphPtr' }
  /** A constant table of the plan (`tables`), uploaded once like a parameter. */
  | { readonly kind: 'table'; readonly name: string };

/**
 * How a binding is cut when a dispatch covers only the rows [r0, r1) of its domain:
 * - `rows`: one row per iteration row (bound at rows [r0, r1), `width` elements each);
 * - `segment`: rows of the next domain down that the iteration rows own through `segmentPtr`
 *   (the edges into nodes r0..r1, the nodes of graphs r0..r1), bound from an aligned start
 *   `segBase` (the chunk uniform) to the end of the last segment;
 * - `whole`: read at arbitrary rows (gather sources, parameters, the pointer arrays, read at
 *   `chunk.first + r`): bound entirely, so it must fit the binding limit (the runtime splits the
 *   batch by graphs until it does).
 */
export type BindingWindow = 'rows' | 'segment' | 'whole';

export interface PlanBinding {
  /** The WGSL variable; @binding(i) is the index in `bindings` (the chunk uniform comes last). */
  readonly name: string;
  readonly buffer: BufferRef;
  readonly access: 'read' | 'read_write';
  readonly element: 'f32' | 'u32';
  readonly window: BindingWindow;
  /** Elements per row of the windowed domain (1 for index arrays). */
  readonly width: number;
}

export interface PlanKernel {
  /** File stem, unique in the plan: `k03_linear`. */
  readonly name: string;
  /** The IR nodes it computes (a fused kernel computes several; the last is the value written). */
  readonly nodes: readonly string[];
  /** The .eqv line it comes from, as `file:line`. */
  readonly source: string;
  readonly code: string;
  readonly bindings: readonly PlanBinding[];
  /** The rows it iterates over; `graph` names the graph value when they are edges. */
  readonly domain: RowDomain;
  readonly graph?: string;
  /** For `segment` bindings: the pointer array that maps iteration rows to their segment. */
  readonly segmentPtr?: BufferRef;
  /** Invocations per group of `rowsPerGroup` consecutive rows. */
  readonly threadsPerGroup: number;
  readonly rowsPerGroup: number;
  readonly workgroupSize: number;
  /** What the kernel does, for reports: `linear (register-blocked 4x4)`. */
  readonly summary: string;
}

export interface PlanGraph {
  /**
   * The radius_graph node; or, with kind `pairs`, S(n)'s pair domain: every ordered pair of
   * nodes of a graph as an edge j -> i (runtime/graph.ts allPairsGraph), built from the batch alone.
   */
  readonly id: string;
  readonly kind?: 'radius' | 'pairs' | 'given';
  /** The model input that holds the positions (`given`: the graph input's name). */
  readonly posInput: string;
  /** Periodic graphs: the model input that holds the cell (lattice vectors as rows). */
  readonly cellInput?: string;
  readonly r: number;
  readonly spaceDim: number;
}

/**
 * A constant float32 table a kernel reads whole: a sphere grid's harmonics and quadrature
 * matrices (`sphere_activation`). Shared by every kernel that names it.
 */
export interface PlanTable {
  readonly name: string;
  /** Numbers in the table. */
  readonly length: number;
  /** Base64 of its little-endian float32 bytes (tableData.ts). */
  readonly data: string;
}

/**
 * PCA frames of each graph's points (`frame_average`), computed on the host in float64 before
 * any kernel runs, as two node values: every node's framed coordinates F_f^T (p - c) for each
 * frame f (`coords`, frames x 3) and its graph's frames (`rotations`, frames x 9, row-major).
 * A graph without a unique frame is a runtime error naming `node` and `source`.
 */
export interface PlanFrames {
  readonly node: string;
  /** `file:line` of the .eqv call. */
  readonly source: string;
  /** The model input that holds the positions. */
  readonly posInput: string;
  readonly frames: 4 | 8;
  readonly tolerance: number;
  readonly coords: string;
  readonly rotations: string;
}

export interface WgslPlan {
  readonly format: 'eqv-wgsl-plan';
  readonly version: 1;
  readonly model: string;
  readonly source: string;
  /** Model inputs by name, uploaded from the batch. */
  /** `pair` inputs (S(n)) are edge values of the all-pairs graph, uploaded n^2 rows per graph. */
  /**
   * Flows' `seq` inputs are node-domain with `frameCells` (size²): one row per frame uploaded into
   * a node-sized buffer, like every seq value (see PlanValue).
   */
  readonly inputs: readonly { readonly name: string; readonly value: string; readonly domain: 'node' | 'graph' | 'pair'; readonly width: number; readonly frameCells?: number }[];
  /** The IR's inputs and group, so the host reads run inputs exactly as the other targets do (targets/io). */
  readonly io: Pick<IRModule, 'inputs' | 'group'>;
  readonly outputs: readonly { readonly name: string; readonly value: string }[];
  readonly values: readonly PlanValue[];
  readonly params: readonly PlanParam[];
  /** Built on the host from the positions, before any kernel runs (see runtime/graph.ts). */
  readonly graphs: readonly PlanGraph[];
  /** Constant tables the kernels read (absent when none). */
  readonly tables?: readonly PlanTable[];
  /** Host-computed PCA frames (absent when none). */
  readonly frames?: readonly PlanFrames[];
  readonly kernels: readonly PlanKernel[];
  /** The storage buffers per shader stage the largest kernel needs (the device is asked for them). */
  readonly maxStorageBuffers: number;
  readonly maxWorkgroupSize: number;
}

/** Kernel styles the generator can emit; benchmarks compare them. */
export interface KernelStyle {
  /** linear and MLP layers: `blocked` = 4 rows x 4 outputs per invocation, `naive` = one output each. */
  readonly linear: 'blocked' | 'naive';
  /** tensor products: `blocked` = a tile of output copies per invocation reusing the coupled pair, `naive` = one output component each. */
  readonly tensorProduct: 'blocked' | 'naive';
  /** gather -> tensor product (uvu) -> scatter(sum) as one kernel over receivers (`fused`), or three kernels. */
  readonly conv: 'fused' | 'unfused';
}

export const DEFAULT_STYLE: KernelStyle = { linear: 'blocked', tensorProduct: 'blocked', conv: 'fused' };
