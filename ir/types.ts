// The IR: the contract between the front end and every target. A model lowers to a typed
// dataflow graph of primitive equivariant ops in topological order. Each node carries its
// input and output types, the names and shapes of its parameters, and every constant table it
// needs (tensor-product paths with their normalization, sparse coupling coefficients, layouts),
// computed once by the math library. Targets never recompute group theory: they render this.
//
// The JSON form (`eqvc build --target ir`) is exactly this data; docs/ir.md documents it.

/** The value a node produces, referenced by other nodes' `inputs`. */
export type ValueId = string;

/**
 * What a row is: a node, an edge, a graph of the batch, or (S(n)) an ordered pair (i, j) of
 * nodes of one graph: n^2 rows per graph of n nodes, row i * n + j, graphs one after another.
 */
export type Domain = 'node' | 'edge' | 'graph' | 'pair' | FlowDomain;

/**
 * Flows (docs/ir.md): `grid2d` rows are the cells of the frames of each sequence, size*size per
 * frame, frame-major then y then x, sequences one after another (a graph of the batch is one
 * sequence); `seq` rows are the frames of each sequence, one per time step.
 */
export type FlowDomain = 'grid2d' | 'seq';

/** One block `mul x ir` of a representation, in the flat multiplicity-major layout. */
export interface IRBlock {
  readonly mul: number;
  /** The atom in the group's notation (`1o`). */
  readonly ir: string;
  /** Dimension of one copy (of the atom); the block spans mul * dim components. */
  readonly dim: number;
  /** O(3) family: degree and parity (+1 even, -1 odd; SO(3) atoms have parity +1). */
  readonly l?: number;
  readonly p?: 1 | -1;
  /** Offset of the block's first component in the flat feature vector. */
  readonly offset: number;
}

export interface IRRep {
  /** As the group prints it: `16x0e+8x1o`. */
  readonly text: string;
  readonly dim: number;
  readonly blocks: readonly IRBlock[];
}

export type IRType =
  | { readonly kind: 'field'; readonly domain: Domain; readonly rep: IRRep }
  /** `node[pos]`: points in space, dim coordinates each. */
  | { readonly kind: 'points'; readonly dim: number }
  /** A graph over the nodes (from radius_graph): edge sources and destinations. */
  | { readonly kind: 'graph' };

export interface IRSource {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** The .eqv source line, trimmed, for comments in generated code. */
  readonly text: string;
  /** The chain of layer calls this node was inlined through, outermost first. */
  readonly via?: readonly string[];
}

export interface IRParam {
  /** Stable dotted name, e.g. `h1.m.linear_in.weight`. */
  readonly name: string;
  readonly shape: readonly number[];
  /** e3nn initialization: weights N(0, 1), biases zero. */
  readonly init: 'normal' | 'zeros';
  /** The node that uses it. */
  readonly node: ValueId;
  /** Other names a weights file may use for it. */
  readonly aliases?: readonly string[];
}

/** Sparse coupling coefficients C[i, j, k] (non-zeros only), shared by paths through `tables`. */
export interface IRCouplingTable {
  readonly shape: readonly [number, number, number];
  /** Flat [i, j, k, value, i, j, k, value, ...] for every |value| > 1e-15, sorted by (k, i, j). */
  readonly entries: readonly number[];
}

// ---------- op attributes ----------

export type TPMode = 'uvw' | 'uvu' | 'uvv' | 'uuw' | 'uuu' | 'uvuv';

export interface TPPath {
  /** Block indices into the first input, the second input and the output. */
  readonly i1: number;
  readonly i2: number;
  readonly iOut: number;
  readonly mode: TPMode;
  readonly hasWeight: boolean;
  /** sqrt(alpha): irrep and path normalization folded together (e3nn's coefficient). */
  readonly factor: number;
  /** Where this path's weights start in the flat weight vector, and their C-order shape. */
  readonly weightOffset: number;
  readonly weightShape: readonly number[];
  /** Key into IRModule.tables. */
  readonly coupling: string;
}

export interface TensorProductAttrs {
  /** The block layouts the paths index (e3nn simplifies the inputs of a full tensor product). */
  readonly in1: IRRep;
  readonly in2: IRRep;
  readonly paths: readonly TPPath[];
  /** Length of the flat weight vector (shared parameter, or per-sample weights input). */
  readonly weightNumel: number;
  /** `shared`: a parameter; `input`: per-sample weights are the third input; `none`. */
  readonly weights: 'shared' | 'input' | 'none';
  readonly irrepNormalization: 'component' | 'norm' | 'none';
  readonly pathNormalization: 'element' | 'path' | 'none';
}

export interface LinearPath {
  readonly iIn: number;
  readonly iOut: number;
  /** 1/sqrt(sum of mul_in over the paths into iOut) for e3nn's element normalization. */
  readonly factor: number;
  readonly weightOffset: number;
  /** (mul_in, mul_out), or (mul_in, mul_out, nbasis) when the map space has several basis maps. */
  readonly weightShape: readonly number[];
  /** Basis maps (out.dim x in.dim of the atom, row-major), absent when it is the identity. */
  readonly basis?: readonly (readonly number[])[];
}

export interface LinearAttrs {
  readonly paths: readonly LinearPath[];
  readonly weightNumel: number;
  /** Biases on scalar (0e) output blocks: their block indices and offsets into the bias vector. */
  readonly bias: { readonly blocks: readonly { readonly iOut: number; readonly offset: number }[]; readonly numel: number } | null;
}

export type ActivationName = 'silu' | 'tanh' | 'relu' | 'sigmoid' | 'abs' | 'gelu' | 'ssp' | 'identity';

/** A scalar nonlinearity: act(x) * scale (the scale is e3nn's normalize2mom constant, or 1). */
export interface ScaledActivation {
  readonly act: ActivationName;
  readonly scale: number;
}

export interface ActivationAttrs {
  /** One entry per input block (all scalars); the block keeps or flips parity per e3nn. */
  readonly blocks: readonly ScaledActivation[];
}

/** e3nn Gate after its sort-and-cut: where each part lives in the input and output. */
export interface GateAttrs {
  /** Scalar blocks: act(x[inOffset .. inOffset+size]) written at outOffset. */
  readonly scalars: readonly { readonly inOffset: number; readonly outOffset: number; readonly size: number; readonly act: ScaledActivation }[];
  /** Gate scalars, in the order of the gated irreps they multiply. */
  readonly gates: readonly { readonly inOffset: number; readonly size: number; readonly act: ScaledActivation }[];
  /** Gated blocks: copy u of the block is multiplied by gate number gateStart + u. */
  readonly gated: readonly { readonly inOffset: number; readonly outOffset: number; readonly mul: number; readonly dim: number; readonly gateStart: number }[];
}

export interface NormAttrs {
  /** Per input block: offset, multiplicity and atom dimension; output is one scalar per copy. */
  readonly blocks: readonly { readonly offset: number; readonly mul: number; readonly dim: number }[];
}

export interface NormActivationAttrs extends NormAttrs {
  /** Applied raw to each copy's norm (e3nn NormActivation does not normalize2mom it). */
  readonly act: ScaledActivation;
}

export interface SphericalHarmonicsAttrs {
  readonly family: string;
  readonly ls: readonly number[];
  readonly normalize: boolean;
  readonly normalization: 'component' | 'norm' | 'integral';
}

export interface RadialBasisAttrs {
  /** e3nn soft_one_hot_linspace basis. */
  readonly basis: 'bessel' | 'gaussian' | 'cosine' | 'smooth_finite' | 'fourier';
  readonly number: number;
  readonly start: number;
  readonly end: number;
  /** e3nn's `cutoff` flag: values vanish outside (start, end). */
  readonly cutoff: boolean;
}

export interface MlpAttrs {
  /** Layer widths including input and output: [in, ...hidden, out]. Weight i has shape (sizes[i], sizes[i+1]). */
  readonly sizes: readonly number[];
  /** Between layers, not after the last (e3nn FullyConnectedNet, out_act = false). */
  readonly act: ScaledActivation;
}

/**
 * S(n): one equivariant linear map between orders graph (0), node (1) and pair (2) (Maron et
 * al. 2019), written as a statistic of the input placed on the output domain. Statistics:
 * `x` (the input itself), `transpose` (x_ji), `diagonal` (x_ii, per node), `row_mean`
 * (mean_j x_ij, per node), `col_mean` (mean_j x_ji, per node), `trace_mean` (mean_i x_ii, per
 * graph), `mean` (over all nodes, or all pairs, of a graph). Placements: `same` (the
 * statistic's own domain), `broadcast` (a graph statistic on every node or pair), `diagonal`
 * (δ_ij s_i or δ_ij s), `row` (s_i on pair (i, j)), `col` (s_j on pair (i, j)).
 */
export type PermStatistic = 'x' | 'transpose' | 'diagonal' | 'row_mean' | 'col_mean' | 'trace_mean' | 'mean';
export type PermPlacement = 'same' | 'broadcast' | 'diagonal' | 'row' | 'col';

export interface PermBasisMap {
  readonly stat: PermStatistic;
  readonly place: PermPlacement;
}

export interface PermLinearAttrs {
  /** Domains of the input and the output (orders 0, 1, 2). */
  readonly from: 'graph' | 'node' | 'pair';
  readonly to: 'graph' | 'node' | 'pair';
  /** Every equivariant map between the two orders, in this order (2, 5, 5, 15, ...). */
  readonly basis: readonly PermBasisMap[];
  readonly channelsIn: number;
  readonly channelsOut: number;
  /**
   * y[r, w] = factor Σ_{b,u} basis_b(x)[r, u] W[b, u, w] + bias, W of shape
   * (basis.length, channelsIn, channelsOut), factor = 1/sqrt(basis.length · channelsIn).
   */
  readonly factor: number;
  /** Invariant biases of the output order, (maps.length, channelsOut): `broadcast` everywhere, `diagonal` on pairs (i, i). */
  readonly bias: { readonly maps: readonly ('broadcast' | 'diagonal')[] } | null;
}

export type IRNode =
  | NodeOf<'input', { readonly name: string }>
  | NodeOf<'radius_graph', { readonly r: number }>
  /** inputs [pos, graph]: pos[src] - pos[dst] (e3nn's examples' convention). */
  | NodeOf<'edge_vectors', Record<string, never>>
  /** inputs [vectors]: Euclidean length of each. */
  | NodeOf<'edge_lengths', Record<string, never>>
  | NodeOf<'spherical_harmonics', SphericalHarmonicsAttrs>
  | NodeOf<'radial_basis', RadialBasisAttrs>
  | NodeOf<'linear', LinearAttrs>
  /** inputs [a, b] or [a, b, weights]. */
  | NodeOf<'tensor_product', TensorProductAttrs>
  | NodeOf<'mlp', MlpAttrs>
  | NodeOf<'activation', ActivationAttrs>
  | NodeOf<'gate', GateAttrs>
  | NodeOf<'norm', NormAttrs>
  | NodeOf<'norm_activation', NormActivationAttrs>
  /** inputs: any number of same-domain fields, concatenated along features. */
  | NodeOf<'concat', Record<string, never>>
  /** Feature channels [start, end) of the input, concatenated in order. */
  | NodeOf<'select', { readonly ranges: readonly (readonly [number, number])[] }>
  /** inputs [x, graph]: node -> edge, taking the source or destination node. */
  | NodeOf<'gather', { readonly side: 'src' | 'dst' }>
  /** inputs [m, graph]: edge -> node at destinations. */
  | NodeOf<'scatter', { readonly reduce: 'sum' | 'mean' | 'max' }>
  /** inputs [x]: node -> graph over the nodes of each graph in the batch (or pair -> graph over its pairs). `max` only on invariant scalars. */
  | NodeOf<'pool', { readonly reduce: 'sum' | 'mean' | 'max' }>
  /** inputs [x]: S(n)-equivariant linear map between node, pair and graph values. */
  | NodeOf<'perm_linear', PermLinearAttrs>
  /**
   * x * factor. `rowRamp` (only in the test generator's mutants, which must break permutation
   * symmetry) scales row r by an extra (1 + rowRamp * r), r the row's index in the batch.
   */
  | NodeOf<'scale', { readonly factor: number; readonly rowRamp?: number }>
  /** inputs [a, b, ...] of one type: y = Σ coefficients[i] · inputs[i] (residuals `x + m`, `a - b`). */
  | NodeOf<'add', { readonly coefficients: readonly number[] }>
  /** inputs [s, x]: y[r, :] = s[r, 0] · x[r, :], s one invariant scalar per row (`s * x`). */
  | NodeOf<'scalar_mul', Record<string, never>>
  /**
   * inputs [e, pos]: the gradient of the sum over graphs of the invariant graph scalar e with
   * respect to the positions input pos, one vector per node (forces are its negative). Each
   * graph's energy depends only on its own nodes, so row i is d e[graph of i] / d pos[i].
   * Radius-graph edges are constant (the neighbour set is piecewise constant in pos).
   */
  | NodeOf<'grad', GradAttrs>
  /** inputs [x: grid2d]: the flow-equivariant recurrence, hidden state lifted over velocities. */
  | NodeOf<'flow_rnn', FlowRnnAttrs>
  /** inputs [x: grid2d]: circular 2D convolution of every frame (and velocity channel). */
  | NodeOf<'conv2d', Conv2dAttrs>
  /** inputs [x: grid2d] -> seq: reduce over the cells of each frame. */
  | NodeOf<'pool_space', { readonly size: number; readonly reduce: 'sum' | 'mean' | 'max' }>
  /** inputs [x]: lifted channels (c, v) -> channels c, reducing over the velocities. */
  | NodeOf<'pool_velocity', { readonly velocities: number; readonly reduce: 'sum' | 'mean' | 'max' }>
  /** inputs [x: seq] -> graph: reduce over the frames of each sequence, or take the last. */
  | NodeOf<'pool_time', { readonly reduce: 'sum' | 'mean' | 'max' | 'last' }>;

/** What a `grad` node differentiates: the energy's output name (if any) and the positions input. */
export interface GradAttrs {
  /** The name of the positions input (`pos`), which inputs[1] reads. */
  readonly wrt: string;
  /** Reduction of the graph scalars before differentiating: their sum over the batch. */
  readonly reduce: 'sum';
}

/** The torus grid and velocity set of a flow op (the same for every op of a model). */
export interface FlowGridAttrs {
  readonly size: number;
  /** (vx, vy) in cells per step; lifted features are channel-major, velocity-minor. */
  readonly velocities: readonly (readonly [number, number])[];
}

/**
 * h_t(v) = act(bias + inFactor · Win ⋆ x_t(v) + recFactor · Wrec ⋆ shift_v h_{t-1}(v)) · act.scale,
 * h_{-1} = 0, where ⋆ is circular cross-correlation over the kernel × kernel window centred on
 * a cell (weights (ky, kx, c_in, c_out)), shift_v h (y, x) = h(y - vy, x - vx), and x_t(v) = x_t
 * when the input is not lifted. Output: hidden channels lifted over the velocities.
 */
export interface FlowRnnAttrs extends FlowGridAttrs {
  readonly inChannels: number;
  readonly inLifted: boolean;
  readonly hidden: number;
  readonly kernel: number;
  readonly act: ScaledActivation;
  /** 1/sqrt(kernel² · fan-in): N(0, 1) weights, e3nn-style normalization. */
  readonly inFactor: number;
  readonly recFactor: number;
}

/** out(c_out, v) = act(bias + factor · W ⋆ x(·, v)) · act.scale, per frame; `lifted` velocities or 1. */
export interface Conv2dAttrs {
  readonly size: number;
  readonly kernel: number;
  readonly inChannels: number;
  readonly outChannels: number;
  /** Number of velocity channels per feature (1 when not lifted). */
  readonly lifted: number;
  readonly factor: number;
  readonly bias: boolean;
  readonly act: ScaledActivation;
}

export type IROp = IRNode['op'];

interface NodeOf<Op extends string, Attrs> {
  readonly id: ValueId;
  readonly op: Op;
  readonly inputs: readonly ValueId[];
  readonly type: IRType;
  readonly attrs: Attrs;
  /** Names of the parameters this node owns, in IRModule.params. */
  readonly params: readonly string[];
  readonly source: IRSource;
  /**
   * Useful floating-point operations per row of the op's iteration domain: per output row,
   * except scatter (per edge) and pool (per node). Rule in stdlib/nn/flops.ts.
   */
  readonly flops: number;
}

export interface IRModule {
  readonly format: 'eqv-ir';
  readonly version: 1;
  readonly model: string;
  readonly source: string;
  /** `setSize`: S(5) and its products permute sets of exactly that many nodes (checked at run time). */
  readonly group: { readonly name: string; readonly spaceDim?: number; readonly translations?: boolean; readonly setSize?: number };
  readonly inputs: readonly { readonly name: string; readonly value: ValueId; readonly type: IRType }[];
  readonly outputs: readonly { readonly name: string; readonly value: ValueId; readonly type: IRType }[];
  readonly nodes: readonly IRNode[];
  readonly params: readonly IRParam[];
  readonly tables: Readonly<Record<string, IRCouplingTable>>;
}
