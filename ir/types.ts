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
  /** A graph over the nodes (from radius_graph, or a graph input): edge sources and destinations (and lattice shifts when periodic). */
  | { readonly kind: 'graph' }
  /** `graph[cell]`: one periodic cell per graph, dim lattice vectors (rows) of dim coordinates. */
  | { readonly kind: 'cell'; readonly dim: number };

export interface IRSource {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** The .eqv source line, trimmed, for comments in generated code. */
  readonly text: string;
  /** The chain of layer calls this node was inlined through, outermost first. */
  readonly via?: readonly string[];
}

/**
 * `running_mean` and `running_var` are a batch norm's running statistics: stored in the weights
 * file like parameters, updated by training steps (not by the optimizer), read in evaluation.
 * `path_gate` and `path_mask` belong to a gated tensor product (`gates = learned`): one learned
 * gate per path, and a 0/1 mask per path that the sparsity schedule sets (not the optimizer).
 */
export type ParamRole = 'weight' | 'bias' | 'running_mean' | 'running_var' | 'path_gate' | 'path_mask';

export interface IRParam {
  /** Stable dotted name, e.g. `h1.m.linear_in.weight`. */
  readonly name: string;
  readonly shape: readonly number[];
  /** e3nn initialization: weights N(0, 1), biases zero. */
  readonly init: 'normal' | 'zeros' | 'ones';
  /** The node that uses it. */
  readonly node: ValueId;
  /** What it is to the node: a weight (multiplies) or a bias (is added). */
  readonly role: ParamRole;
  /** Other names a weights file may use for it. */
  readonly aliases?: readonly string[];
  /**
   * A statistic of the training data, not a learned weight (docs/formats.md, "Statistics of the data"): the trainers
   * compute it from the training set before the first step, keep it fixed while training, and
   * save it in the weights file with the other parameters. `avg_neighbors`: 1/sqrt(mean number
   * of incoming edges per node); `species_shift`: per-species energy E0s (least squares of the
   * energies on the species counts); `species_scale`: per-species RMS of the force components
   * (or, without forces, of the residual energy per atom).
   */
  readonly statistic?: ParamStatistic;
}

export type ParamStatistic = 'avg_neighbors' | 'species_shift' | 'species_scale';

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
  /**
   * Absent: Clebsch-Gordan tables. `gaunt`: the tables are Gaunt coefficients (only paths with
   * l1 + l2 + l3 even). `grid`: the same function as `gaunt`, with `grid` saying how to compute
   * it on a sphere grid; a target without the grid algorithm may run the Gaunt tables instead.
   */
  readonly kind?: 'gaunt' | 'grid';
  readonly grid?: TPGrid;
  /**
   * `gates = learned`: the node owns, after its weight, a `path_gate` and a `path_mask`
   * parameter of one number per path; path p's output is multiplied by gate[p] * mask[p].
   * Every path has weights then, so targets fold the product into the path's weights
   * (stdlib/nn/pathGates.ts) and run the ungated kernel.
   */
  readonly gated?: boolean;
}

/**
 * The sphere-grid algorithm of a `grid` tensor product: blocks to the grid (component-normalized
 * real harmonics at the points of stdlib/groups/o3/sphereGrid.ts), pointwise products, back by
 * quadrature. The resolution integrates every product exactly.
 */
export interface TPGrid {
  /** Gauss-Legendre nodes in cos(theta) and uniform angles in phi. */
  readonly nTheta: number;
  readonly nPhi: number;
  /** The harmonic degree of each block of in1, in2 and the output. */
  readonly degrees1: readonly number[];
  readonly degrees2: readonly number[];
  readonly degreesOut: readonly number[];
  readonly groups: readonly TPGridGroup[];
}

/**
 * One pointwise product: (sum of the in1 blocks `in1`) times (sum of the in2 blocks `in2`) on the
 * grid, projected onto the output block of each path in `paths` and spread by that path's mode,
 * weights and factor. A representative path stands for every path into its output block from
 * in1 x in2 (they share mode and factor and have no weights); every path is covered once.
 */
export interface TPGridGroup {
  readonly in1: readonly number[];
  readonly in2: readonly number[];
  readonly paths: readonly number[];
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

/**
 * e3nn's S2Activation, copy by copy. The input holds `mul` copies of a band-limited signal,
 * block l (l = 0..lmaxIn) at offsetsIn[l] with copy u's 2l+1 coefficients at
 * offsetsIn[l] + u (2l+1) + m. Per copy: f(g) = Σ_lm Y_lm(g) x_lm at the points g of the
 * nTheta x nPhi sphere grid (stdlib/groups/o3/sphereGrid.ts, component-normalized harmonics),
 * h = act(f) pointwise, y_lm = Σ_g w_g h(g) Y_lm(g) for l = 0..lmaxOut (the quadrature's
 * projection, w summing to 1), written at offsetsOut[l] + u (2l+1) + m. Equivariant up to the
 * quadrature's aliasing of act(f)'s degrees above the grid's exactness (docs/ir.md).
 */
export interface SphereActivationAttrs {
  readonly mul: number;
  /** Copies out: `mul`, or with `mlp` its last width. */
  readonly mulOut: number;
  readonly lmaxIn: number;
  readonly lmaxOut: number;
  readonly nTheta: number;
  readonly nPhi: number;
  /** Applied raw (e3nn's S2Activation does not normalize2mom it). */
  readonly act: ScaledActivation;
  readonly offsetsIn: readonly number[];
  readonly offsetsOut: readonly number[];
  /**
   * Facet's spherical-grid MLP (`sphere_mlp`): instead of act per copy, an MLP across the copies
   * at every grid point, h(g) = mlp(f_1(g), ..., f_mul(g)) with the `mlp` op's layout and params
   * (weight i of shape (sizes[i], sizes[i+1]), no biases, act between layers, sizes[0] = mul,
   * last = mulOut); `act` is then mlp.act.
   */
  readonly mlp?: MlpAttrs;
}

/**
 * Per block: `centre` (invariant scalars) subtracts the mean over the block's copies; every block
 * is divided by sqrt(mean over its mul·dim components of x² + eps); copy u is multiplied by
 * weight[weightOffset + u] and, when centred, gets bias[biasOffset + u].
 */
/**
 * Attention over each node's incoming edges (SE(3)-Transformer / Equiformer): `heads` invariant
 * logits per edge, a softmax over the edges into each receiver per head (the per-receiver
 * maximum subtracted first), and the receiver's row the sum of its edges' values weighted by
 * their head's softmax. Copy u of a value block of multiplicity mul belongs to head
 * floor(u / (mul / heads)); every block's multiplicity is a multiple of `heads`.
 */
export interface AttentionAttrs {
  readonly heads: number;
  readonly blocks: readonly { readonly offset: number; readonly mul: number; readonly dim: number }[];
}

/**
 * e3nn's equivariant BatchNorm (docs/ir.md `batch_norm`). Blocks as LayerNormAttrs: copy u of a
 * block has weight and running variance at weightOffset + u, and (invariant scalars, `centre`)
 * bias and running mean at biasOffset + u. Evaluation: y = (x - running_mean) ·
 * (running_var + eps)^(-1/2) · weight + bias per copy (the mean and bias for centred copies only).
 * Training: the same with the batch's statistics over all rows (mean per scalar copy; per copy
 * the mean over rows of the mean over components of the squared centred value), and each
 * running statistic becomes (1 - momentum) · running + momentum · batch.
 */
export interface BatchNormAttrs {
  readonly blocks: readonly { readonly offset: number; readonly mul: number; readonly dim: number; readonly centre: boolean; readonly weightOffset: number; readonly biasOffset?: number }[];
  readonly eps: number;
  readonly momentum: number;
  readonly weightNumel: number;
  readonly biasNumel: number;
}

/**
 * Dropout of whole copies (e3nn's `nn.Dropout`): the identity in evaluation; in training each
 * copy of each row is kept with probability 1 - p and scaled by 1/(1 - p), or zeroed.
 */
export interface DropoutAttrs {
  readonly p: number;
  readonly blocks: readonly { readonly offset: number; readonly mul: number; readonly dim: number }[];
}

export interface LayerNormAttrs {
  readonly blocks: readonly { readonly offset: number; readonly mul: number; readonly dim: number; readonly centre: boolean; readonly weightOffset: number; readonly biasOffset?: number }[];
  readonly eps: number;
  readonly weightNumel: number;
  readonly biasNumel: number;
}

/**
 * e3nn's spherical harmonics of degrees `ls` (docs/ir.md): for each m the sectoral term
 * a_mm (X + iY)^m, a_mm = prod_{k<=m} sectoral[k], then the three-term recurrence in l on solid
 * harmonics, a_lm = recurrenceA[l][m] Z a_(l-1)m - recurrenceB[l][m] r^2 a_(l-2)m, with the
 * textbook axes (X, Y, Z) = (z, x, y); component (l, 0) is scales[l] a_l0, (l, ±m) is
 * sqrt2 scales[l] a_lm (Re, Im)(X + iY)^m. Tables cover degrees 0..max(ls).
 */
export interface SphericalHarmonicsAttrs {
  readonly ls: readonly number[];
  readonly normalize: boolean;
  readonly normalization: 'component' | 'norm' | 'integral';
  /** Per degree 0..lmax: the normalization's factor of the m = 0 component. */
  readonly scales: readonly number[];
  /** Per m 0..lmax: a_mm / a_(m-1)(m-1) (sectoral[0] = 1). */
  readonly sectoral: readonly number[];
  /** recurrenceA[l][m], recurrenceB[l][m] for 0 <= m < l <= lmax (0 elsewhere). */
  readonly recurrenceA: readonly (readonly number[])[];
  readonly recurrenceB: readonly (readonly number[])[];
}

/** Circular harmonics of frequencies `ks`: per k, scales[i] (Re, Im)(x + iy)^k (only Re, = 1, for k = 0). */
export interface CircularHarmonicsAttrs {
  readonly ks: readonly number[];
  readonly normalize: boolean;
  readonly normalization: 'component' | 'norm' | 'integral';
  /** One factor per entry of ks, in order. */
  readonly scales: readonly number[];
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

/**
 * `polynomial` (NequIP): with x = len / cutoff, 1 - (p+1)(p+2)/2 x^p + p(p+2) x^(p+1) - p(p+1)/2 x^(p+2)
 * for x < 1; `cosine`: (cos(pi x) + 1) / 2 for x < 1. Both are 0 for x >= 1.
 */
export type CutoffEnvelopeAttrs = { readonly envelope: 'polynomial'; readonly cutoff: number; readonly p: number } | { readonly envelope: 'cosine'; readonly cutoff: number };

/**
 * A learned cubic B-spline of the length (Facet): y[r, o] = Σ_k B3(len_r / spacing - k + 3) W[k, o],
 * k < number, W of shape (number, out), B3 the cardinal cubic B-spline on [0, 4); the knots cover
 * [0, end] with spacing = end / (number - 3) (stdlib/nn/spline.ts).
 */
export interface RadialSplineAttrs {
  readonly number: number;
  readonly end: number;
  readonly spacing: number;
}

/**
 * Frame averaging (Puny et al. 2022) of an MLP over PCA-framed coordinates (stdlib/nn/frames.ts).
 * inputs [pos, x]: per graph, centroid c and frames F (columns: sign-flipped covariance
 * eigenvectors by decreasing eigenvalue; `frames` = 8 sign choices, or the 4 with det F = +1).
 * Per node and frame, the MLP (weights i of shape (sizes[i], sizes[i+1]), e3nn
 * FullyConnectedNet) maps [F^T (pos - c), x] to `scalars` numbers then `vectors` 3-vectors in
 * frame coordinates; the output is the mean over frames of the scalars, then of F v for each
 * vector (xyz, the 1o layout). Two eigenvalues within `tolerance` times the largest: runtime error.
 */
export interface FrameAverageAttrs {
  readonly frames: 4 | 8;
  readonly tolerance: number;
  readonly sizes: readonly number[];
  readonly act: ScaledActivation;
  readonly scalars: number;
  readonly vectors: number;
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

/**
 * Every op's attributes, by op name: the one table an op is added to. IRNode, IROp and AttrsOf
 * derive from it, so a node's `attrs` always match its `op` (see ir/node.ts for the constructor).
 */
export interface OpAttrs {
  /** `species`: an integer species input (`node[species(K)]`), given as integers 0..K-1 and held as their one-hot rows, node[Kx0e]. */
  readonly input: { readonly name: string; readonly species?: number };
  /** inputs [pos] or [pos, cell]: with a cell, periodic in every direction, edges carry lattice shifts. */
  readonly radius_graph: { readonly r: number };
  /**
   * inputs [pos, graph] or [pos, graph, cell]: pos[src] - pos[dst] (e3nn's examples' convention),
   * plus shift · cell[graph] for periodic edges (the image of src that the edge comes from).
   */
  readonly edge_vectors: Record<string, never>;
  /** inputs [vectors]: Euclidean length of each. */
  readonly edge_lengths: Record<string, never>;
  /** inputs [v: 3D vectors]: e3nn's spherical harmonics (O(3) and its subgroups). */
  readonly spherical_harmonics: SphericalHarmonicsAttrs;
  /** inputs [v: 2D vectors]: circular harmonics (the 2D groups). */
  readonly circular_harmonics: CircularHarmonicsAttrs;
  readonly radial_basis: RadialBasisAttrs;
  /** inputs [lengths]: one smooth envelope value per length, 0 at and beyond the cutoff. */
  readonly cutoff_envelope: CutoffEnvelopeAttrs;
  readonly linear: LinearAttrs;
  /** inputs [a, b] or [a, b, weights]. */
  readonly tensor_product: TensorProductAttrs;
  readonly mlp: MlpAttrs;
  /** inputs [pos, x]: an MLP of PCA-framed coordinates averaged over the frames (invariant scalars, equivariant vectors). */
  readonly frame_average: FrameAverageAttrs;
  /** inputs [lengths]: a learned cubic B-spline of each length; param weight (number, out). */
  readonly radial_spline: RadialSplineAttrs;
  readonly activation: ActivationAttrs;
  readonly gate: GateAttrs;
  readonly norm: NormAttrs;
  readonly norm_activation: NormActivationAttrs;
  /** inputs [x]: e3nn's S2Activation on `mul` copies of a signal on the sphere (to grid, act, back). */
  readonly sphere_activation: SphereActivationAttrs;
  /** inputs [x]: equivariant layer norm of each row; params weight (weightNumel) and, with invariant scalars, bias (biasNumel). */
  readonly layer_norm: LayerNormAttrs;
  /** inputs [logits: edge[heads x scalar], values: edge, graph] -> node: softmax per receiver, weighted sum of values. */
  readonly attention: AttentionAttrs;
  /** inputs [x]: e3nn's BatchNorm; params weight, bias (with invariant scalars), running_mean (likewise), running_var. */
  readonly batch_norm: BatchNormAttrs;
  /** inputs [x]: identity in evaluation; whole copies dropped in training. */
  readonly dropout: DropoutAttrs;
  /** inputs: any number of same-domain fields, concatenated along features. */
  readonly concat: Record<string, never>;
  /** Feature channels [start, end) of the input, concatenated in order. */
  readonly select: { readonly ranges: readonly (readonly [number, number])[] };
  /** inputs [x, graph]: node -> edge, taking the source or destination node. */
  readonly gather: { readonly side: 'src' | 'dst' };
  /** inputs [m, graph]: edge -> node at destinations. */
  readonly scatter: { readonly reduce: 'sum' | 'mean' | 'max' };
  /** inputs [x]: node -> graph over the nodes of each graph in the batch (or pair -> graph over its pairs). `max` only on invariant scalars. */
  readonly pool: { readonly reduce: 'sum' | 'mean' | 'max' };
  /** inputs [x]: S(n)-equivariant linear map between node, pair and graph values. */
  readonly perm_linear: PermLinearAttrs;
  /**
   * x * factor. `rowRamp` (only in the test generator's mutants, which must break permutation
   * symmetry) scales row r by an extra (1 + rowRamp * r), r the row's index in the batch.
   */
  readonly scale: { readonly factor: number; readonly rowRamp?: number };
  /** inputs [x, species one-hot]: MACE's symmetric contraction (product basis), weights per species. */
  readonly symmetric_contraction: SymmetricContractionAttrs;
  /** inputs [a, b, ...] of one type: y = Σ coefficients[i] · inputs[i] (residuals `x + m`, `a - b`). */
  readonly add: { readonly coefficients: readonly number[] };
  /** inputs [s, x]: y[r, :] = s[r, 0] · x[r, :], s one invariant scalar per row (`s * x`). */
  readonly scalar_mul: Record<string, never>;
  /**
   * inputs [e, pos]: the gradient of the sum over graphs of the invariant graph scalar e with
   * respect to the positions input pos, one vector per node (forces are its negative). Each
   * graph's energy depends only on its own nodes, so row i is d e[graph of i] / d pos[i].
   * Radius-graph edges are constant (the neighbour set is piecewise constant in pos).
   */
  readonly grad: GradAttrs;
  /**
   * inputs [e, pos, cell]: the stress of each graph, σ = (1/V) ∂e/∂ε at ε = 0 with the positions
   * and the cell's rows deformed by (I + ε), V = |det cell|, as the components <B_k, σ> of
   * 1x0e + 1x2e (B_0 = I/√3, B_{1+m} the l = 2 harmonics' matrices normalised:
   * stdlib/groups/o3/symmetricTensor.ts). Radius-graph edges (and their shifts) are constant.
   */
  readonly stress: StressAttrs;
  /** inputs [x: grid2d]: the flow-equivariant recurrence, hidden state lifted over velocities. */
  readonly flow_rnn: FlowRnnAttrs;
  /** inputs [x: grid2d]: circular 2D convolution of every frame (and velocity channel). */
  readonly conv2d: Conv2dAttrs;
  /** inputs [x: grid2d] -> seq: reduce over the cells of each frame. */
  readonly pool_space: { readonly size: number; readonly reduce: 'sum' | 'mean' | 'max' };
  /** inputs [x] (grid2d, seq or graph): lifted channels (c, v) -> channels c, reducing over the velocities; `size` is the grid's side. */
  readonly pool_velocity: { readonly size: number; readonly velocities: number; readonly reduce: 'sum' | 'mean' | 'max' };
  /** inputs [x: seq] -> graph: reduce over the frames of each sequence, or take the last; `size` is the grid's side (a frame's rows are size² cells). */
  readonly pool_time: { readonly size: number; readonly reduce: 'sum' | 'mean' | 'max' | 'last' };
}

export type IROp = keyof OpAttrs;

/**
 * MACE's product basis B (docs/ir.md `symmetric_contraction`). The input has `mul` copies of
 * each of its blocks; channel c's one-copy vector x_c stacks component m of block b at index
 * in[b].stack + m, read from x[in[b].offset + c * in[b].dim + m]. Per output block,
 *   y[offset + c * dim + M] = factor · Σ_k w[k, c] Σ_{(M, i1..inu, k, v) in monomials[nu-1]} v · x_c[i1] ··· x_c[inu],
 * w[k, c] = Σ_s z[s] · W[s, weightOffset + k, c] (z the one-hot species row, W the weight of
 * shape (species, weightNumel, mul)). `paths` names each k's coupling tree.
 */
export interface SymmetricContractionAttrs {
  readonly mul: number;
  readonly species: number;
  readonly correlation: number;
  readonly in: readonly { readonly offset: number; readonly dim: number; readonly stack: number }[];
  readonly outputs: readonly {
    readonly ir: string;
    readonly offset: number;
    readonly dim: number;
    readonly factor: number;
    readonly weightOffset: number;
    readonly paths: readonly { readonly nu: number; readonly blocks: readonly number[]; readonly mid?: string; readonly channels: readonly number[] }[];
    readonly monomials: readonly (readonly number[])[];
  }[];
  readonly weightNumel: number;
}

/** The attributes of op O. */
export type AttrsOf<O extends IROp> = OpAttrs[O];

/** Nodes by op; `IRNodes[O]` is the node type of op O (indexing it with a generic O keeps op and attrs together). */
export type IRNodes = { [O in IROp]: NodeOf<O> };

export type IRNode = IRNodes[IROp];

/** What a `grad` node differentiates: the energy's output name (if any) and the positions input. */
export interface GradAttrs {
  /** The name of the positions input (`pos`), which inputs[1] reads. */
  readonly wrt: string;
  /** Reduction of the graph scalars before differentiating: their sum over the batch. */
  readonly reduce: 'sum';
}

/** What a `stress` node differentiates: the positions and cell inputs it deforms. */
export interface StressAttrs {
  readonly wrt: string;
  readonly cell: string;
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

export interface NodeOf<O extends IROp> {
  readonly id: ValueId;
  readonly op: O;
  readonly inputs: readonly ValueId[];
  readonly type: IRType;
  readonly attrs: AttrsOf<O>;
  /** Names of the parameters this node owns, in IRModule.params. */
  readonly params: readonly string[];
  readonly source: IRSource;
  /**
   * Useful floating-point operations per row of the op's iteration domain: per output row,
   * except scatter (per edge) and pool (per node). Rule in stdlib/nn/flops.ts.
   */
  readonly flops: number;
}

/**
 * One factor of the model's group as its header writes it, which is also how a target or a
 * suite finds the group's plugin again (stdlib/groups/registry.ts, groupOf): `E(3)` is
 * { family: 'E', args: [3] }, `S(n)` { family: 'S', args: [], symbols: ['n'] },
 * `Flow(T2, size = 8)` { family: 'Flow', args: [], symbols: ['T2'], named: { size: 8 } }.
 */
export interface IRGroupFactor {
  readonly family: string;
  /** Numeric arguments in the order written. */
  readonly args: readonly number[];
  /** Arguments written as names: the `n` of `S(n)`, the generator `T2` of a flow. */
  readonly symbols?: readonly string[];
  /** Named numeric arguments, keys sorted (so the IR's JSON is deterministic). */
  readonly named?: Readonly<Record<string, number>>;
}

/** The model's group: its printed name for readers, its factors for lookups, and what targets read. */
export interface IRGroup {
  /** As printed: `E(3)`, `E(3) x S(n)`, `Flow(T2, size = 8)`. Never parsed back. */
  readonly name: string;
  readonly factors: readonly IRGroupFactor[];
  readonly spaceDim?: number;
  readonly translations?: boolean;
  /** S(5) and its products permute sets of exactly that many nodes (checked at run time). */
  readonly setSize?: number;
  /** Flows: the frames are size x size cells; lifted channels run over `velocities` (vx, vy) in this order. */
  readonly flow?: { readonly size: number; readonly velocities: readonly (readonly [number, number])[] };
}

export interface IRModule {
  readonly format: 'eqv-ir';
  readonly version: 1;
  readonly model: string;
  readonly source: string;
  readonly group: IRGroup;
  /** `species`: an integer species input of that many species (one-hot node[Kx0e] inside). */
  readonly inputs: readonly { readonly name: string; readonly value: ValueId; readonly type: IRType; readonly species?: number }[];
  readonly outputs: readonly { readonly name: string; readonly value: ValueId; readonly type: IRType }[];
  readonly nodes: readonly IRNode[];
  readonly params: readonly IRParam[];
  readonly tables: Readonly<Record<string, IRCouplingTable>>;
}
