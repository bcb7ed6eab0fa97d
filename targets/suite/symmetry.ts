// The equivariance checks themselves: f(g·x) = ρ_out(g) f(x) for sampled group elements, and
// f(π·x) = π·f(x) for permutations of the nodes of each graph. Each check is a deterministic
// function of a seed (inputs, element and permutation are drawn from it), so a failure can be
// replayed from the seed it prints.

import type { IRModule } from '../../ir/types.js';
import type { Group, GroupElement } from '../../stdlib/groups/group.js';
import type { Atom } from '../../stdlib/groups/rep.js';
import { createRng } from '../../stdlib/math/random.js';
import type { RuntimeBatch } from '../io/inputs.js';
import type { ParamStore } from '../io/params.js';
import { latticeShiftEdges, modelGroup, permuteInputs, permuteValue, randomNodePermutation, repOfLayout, transformInputs, transformValue } from './groupAction.js';
import { type SampleOptions, graphSizes, sampleBatch } from './sampleInputs.js';

/** Runs a model on a batch: the interface every executable target offers. */
export type ModelRun = (batch: RuntimeBatch) => Promise<Map<string, Float64Array>>;

export type FloatType = 'float32' | 'float64';

export interface SymmetryResult {
  /** `E(3)` (the declared group) or `S(n) on nodes`. */
  readonly symmetry: string;
  /** Largest error over the outputs, relative to the outputs' size. */
  readonly error: number;
  readonly tolerance: number;
  readonly passed: boolean;
  readonly seed: number;
  /** Nodes of each graph of the batch: with the seed, what replays the check. */
  readonly nodes: readonly number[];
  readonly element?: GroupElement;
}

export interface CheckOptions extends SampleOptions {
  readonly floatType: FloatType;
  /**
   * Deliberate mistakes to look for, used by the controls: `flipParityOf` treats one output
   * block as if it had the opposite parity.
   */
  readonly expectFlippedParity?: { readonly output: string; readonly block: number };
}

/** Tolerance on the relative error, by float type; non-compact groups scale it by ‖ρ(g)‖. */
export function baseTolerance(floatType: FloatType): number {
  return floatType === 'float64' ? 1e-9 : 3e-4;
}

/**
 * Ops whose equivariance is approximate by design: `sphere_activation` (a pointwise function on a
 * finite sphere grid aliases; its default grid keeps that a decade under the float32 tolerance).
 * A model with one is checked at the float32 tolerance on every target, the float64 reference
 * included (docs/ir.md `sphere_activation`).
 */
const APPROXIMATE_OPS: ReadonlySet<string> = new Set(['sphere_activation']);

function approximateFloor(module: IRModule): number {
  return module.nodes.some((n) => APPROXIMATE_OPS.has(n.op)) ? baseTolerance('float32') : 0;
}

export { modelGroup };

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (const v of a) m = Math.max(m, Math.abs(v));
  return m;
}

/** max |a - b| over every output, divided by the largest |b| (at least `floor`). */
function relativeError(pairs: readonly [Float64Array, Float64Array][], floor: number): number {
  let diff = 0;
  let scale = floor;
  for (const [a, b] of pairs) {
    if (a.length !== b.length) return Infinity;
    for (let i = 0; i < a.length; i++) {
      const d = Math.abs(a[i]! - b[i]!);
      diff = Number.isNaN(d) ? Infinity : Math.max(diff, d);
    }
    scale = Math.max(scale, maxAbs(b));
  }
  return diff / scale;
}

/** f(g·x) against ρ_out(g) f(x), for one seed. */
export async function checkGroupAction(module: IRModule, run: ModelRun, seed: number, options: CheckOptions): Promise<SymmetryResult> {
  const group = modelGroup(module);
  const rng = createRng(seed);
  const batch = sampleBatch(module, rng, options);
  // Cycle through the group's components (proper rotations, reflections) with the seed.
  const g = group.sample(rng, seed % (group.components ?? 1));
  const before = await run(batch);
  const after = await run(transformInputs(module, group, g, batch));
  const pairs: [Float64Array, Float64Array][] = module.outputs.map((o) => {
    const flip = options.expectFlippedParity?.output === o.name ? options.expectFlippedParity.block : undefined;
    return [after.get(o.name)!, transformValue(group, g, o.type, before.get(o.name)!, flip, batch)];
  });
  const tolerance = Math.max(baseTolerance(options.floatType), approximateFloor(module)) * toleranceScale(group, module, g);
  const error = relativeError(pairs, 1e-6);
  return { symmetry: group.name, error, tolerance, passed: error <= tolerance, seed, nodes: graphSizes(batch), element: g };
}

function toleranceScale(group: Group<Atom>, module: IRModule, g: GroupElement): number {
  if (!group.toleranceScale) return 1;
  let s = 1;
  for (const t of [...module.inputs.map((i) => i.type), ...module.outputs.map((o) => o.type)]) {
    if (t.kind !== 'field') continue;
    s = Math.max(s, group.toleranceScale(repOfLayout(group, t.rep), g));
  }
  return s;
}

/** f(π·x) against π·f(x) for a permutation of the nodes within each graph, for one seed. */
export async function checkPermutation(module: IRModule, run: ModelRun, seed: number, options: CheckOptions): Promise<SymmetryResult> {
  const rng = createRng(seed);
  const batch = sampleBatch(module, rng, options);
  const perm = randomNodePermutation(batch, (n) => rng.int(n));
  const before = await run(batch);
  const after = await run(permuteInputs(module, batch, perm));
  const pairs: [Float64Array, Float64Array][] = module.outputs.map((o) => {
    return [after.get(o.name)!, permuteValue(o.type, before.get(o.name)!, perm, batch.graphPtr)];
  });
  const error = relativeError(pairs, 1e-6);
  const tolerance = baseTolerance(options.floatType);
  return { symmetry: 'S(n) on nodes', error, tolerance, passed: error <= tolerance, seed, nodes: graphSizes(batch) };
}

/**
 * The target's outputs against the float64 reference's on the same inputs, for one seed. An
 * equivariance check cannot see a target that is wrong in an equivariant way (a kernel that
 * drops one term of a layer everywhere): this one can, to the float32 tolerance.
 */
export async function checkAgreement(module: IRModule, run: ModelRun, reference: ModelRun, seed: number, options: CheckOptions): Promise<SymmetryResult> {
  const rng = createRng(seed);
  const batch = sampleBatch(module, rng, options);
  const got = await run(batch);
  const want = await reference(batch);
  const pairs: [Float64Array, Float64Array][] = module.outputs.map((o) => [got.get(o.name)!, want.get(o.name)!]);
  const error = relativeError(pairs, 1e-6);
  const tolerance = baseTolerance(options.floatType);
  return { symmetry: 'agrees with ref', error, tolerance, passed: error <= tolerance, seed, nodes: graphSizes(batch) };
}

/**
 * Whether moving atoms by lattice vectors is a symmetry to check: the model has positions and a
 * periodic cell (given edges keep their vectors by changing their shifts with the atoms).
 */
export function hasLattice(module: IRModule): boolean {
  const kinds = module.inputs.map((i) => i.type.kind);
  return kinds.includes('points') && kinds.includes('cell');
}

/**
 * f(x + n·cell) against f(x): every atom moved by a random integer combination of its cell's
 * lattice vectors (each coefficient in -2..2), for one seed. The atoms' periodic images are the
 * same set, so no output may change (edges keep their vectors; only their shifts change).
 */
export async function checkLatticeTranslation(module: IRModule, run: ModelRun, seed: number, options: CheckOptions): Promise<SymmetryResult> {
  const rng = createRng(seed);
  const batch = sampleBatch(module, rng, options);
  const posInput = module.inputs.find((i) => i.type.kind === 'points')!;
  const cellInput = module.inputs.find((i) => i.type.kind === 'cell')!;
  const dim = posInput.type.kind === 'points' ? posInput.type.dim : 3;
  const pos = batch.values.get(posInput.name)!;
  const cell = batch.values.get(cellInput.name)!;
  const moved = Float64Array.from(pos);
  const moves = new Int32Array(batch.numNodes * dim);
  for (let i = 0; i < batch.numNodes; i++) {
    const lattice = batch.nodeGraph[i]! * dim * dim;
    for (let k = 0; k < dim; k++) {
      const n = rng.int(5) - 2;
      moves[i * dim + k] = n;
      for (let c = 0; c < dim; c++) moved[i * dim + c]! += n * cell[lattice + k * dim + c]!;
    }
  }
  const values = new Map(batch.values);
  values.set(posInput.name, moved);
  // Given edges (graph inputs) join the same images: their shifts absorb the atoms' moves.
  const edges = batch.edges && new Map([...batch.edges].map(([name, graph]) => [name, latticeShiftEdges(graph, moves, dim, batch.numNodes)] as const));
  const before = await run(batch);
  const after = await run({ ...batch, values, ...(edges ? { edges } : {}) });
  const pairs: [Float64Array, Float64Array][] = module.outputs.map((o) => [after.get(o.name)!, before.get(o.name)!]);
  const error = relativeError(pairs, 1e-6);
  const tolerance = baseTolerance(options.floatType);
  return { symmetry: 'lattice vectors', error, tolerance, passed: error <= tolerance, seed, nodes: graphSizes(batch) };
}

/** The check that must catch a mutant of this kind. */
export function checkFor(caughtBy: 'group' | 'permutation' | 'lattice'): typeof checkGroupAction {
  return caughtBy === 'group' ? checkGroupAction : caughtBy === 'permutation' ? checkPermutation : checkLatticeTranslation;
}

/** Whether permutations of nodes are a symmetry to check (the model has node inputs). */
export function hasNodes(module: IRModule): boolean {
  return module.inputs.some((i) => i.type.kind === 'points' || (i.type.kind === 'field' && (i.type.domain === 'node' || i.type.domain === 'pair')));
}

/** Every check that applies over several seeds; the worst case of each. */
export async function checkSymmetries(module: IRModule, run: ModelRun, seeds: readonly number[], options: CheckOptions): Promise<SymmetryResult[]> {
  const worst = (results: SymmetryResult[]) => results.reduce((a, b) => (b.error > a.error || !Number.isFinite(b.error) ? b : a));
  const action: SymmetryResult[] = [];
  const perm: SymmetryResult[] = [];
  const lattice: SymmetryResult[] = [];
  for (const seed of seeds) {
    action.push(await checkGroupAction(module, run, seed, options));
    if (hasNodes(module)) perm.push(await checkPermutation(module, run, seed, options));
    if (hasLattice(module)) lattice.push(await checkLatticeTranslation(module, run, seed, options));
  }
  return [action, perm, lattice].filter((rs) => rs.length > 0).map(worst);
}

export type { ParamStore };
