// The IR: the contract between the front end and every target. A model lowers to a typed
// dataflow graph of primitive equivariant ops in topological order. Each node carries its
// input and output types, the names and shapes of its parameters, and every constant table it
// needs (tensor-product paths with their normalization, sparse coupling coefficients, layouts),
// computed once by the math library. Targets never recompute group theory: they render this.
//
// The JSON form (`eqvc build --target ir`) is exactly this data; docs/ir.md documents it.

/** The value a node produces, referenced by other nodes' `inputs`. */
export type ValueId = string;

export type Domain = 'node' | 'edge' | 'graph';

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
  /** inputs [x]: node -> graph over the nodes of each graph in the batch. `max` only on invariant scalars. */
  | NodeOf<'pool', { readonly reduce: 'sum' | 'mean' | 'max' }>
  /**
   * x * factor. `rowRamp` (only in the test generator's mutants, which must break permutation
   * symmetry) scales row r by an extra (1 + rowRamp * r), r the row's index in the batch.
   */
  | NodeOf<'scale', { readonly factor: number; readonly rowRamp?: number }>;

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
  readonly group: { readonly name: string; readonly spaceDim?: number; readonly translations?: boolean };
  readonly inputs: readonly { readonly name: string; readonly value: ValueId; readonly type: IRType }[];
  readonly outputs: readonly { readonly name: string; readonly value: ValueId; readonly type: IRType }[];
  readonly nodes: readonly IRNode[];
  readonly params: readonly IRParam[];
  readonly tables: Readonly<Record<string, IRCouplingTable>>;
}
