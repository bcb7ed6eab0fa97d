// The reference evaluator's own reverse mode, in float64, so that ref stays the oracle for
// gradients (forces) as it is for values. A `grad` node [e, pos] is evaluated after e: the
// nodes on the path from the positions to e are walked backwards from e, seeded with ones (the
// sum of the graph energies; each graph's energy depends only on its own nodes), and each
// node's vector-Jacobian product (the `...Backward` function beside its forward kernel in
// targets/ref/ops/) passes the adjoint to its inputs. The VJPs live next to the forwards so
// that a change to a kernel is made beside its derivative; this file only orders the sweep.
// Radius-graph edges are constant: the neighbour set is piecewise constant in the positions,
// and forces are the derivative where it does not change.

import { foldPathGates } from '../../stdlib/nn/pathGates.js';
import type { IRModule, IRNode, IRType, ValueId } from '../../ir/types.js';
import { gradPath } from '../../ir/gradPath.js';
import { sphereActivationBackward } from './ops/sphereActivation.js';
import { paramsByRole } from '../../ir/node.js';
import { circularHarmonicsBackward } from './ops/circularHarmonics.js';
import { cutoffEnvelopeBackward } from './ops/envelope.js';
import { layerNormBackward } from './ops/layerNorm.js';
import { symmetricContractionBackward } from './ops/symmetricContraction.js';
import { attentionBackward } from './ops/attention.js';
import { batchNormBackward } from './ops/batchNorm.js';
import type { RuntimeBatch } from '../io/inputs.js';
import type { ParamStore } from '../io/params.js';
import { pairLayout } from '../io/pairs.js';
import { cellVolume, symmetricComponents } from '../../stdlib/groups/o3/symmetricTensor.js';
import { blockLayout } from '../../stdlib/nn/layout.js';
import { activationBackward } from './ops/activation.js';
import { scalarMulBackward } from './ops/arithmetic.js';
import { concatBackward, selectBackward } from './ops/features.js';
import { gateBackward } from './ops/gate.js';
import { edgeVectorsBackward, gatherBackward, poolBackward, scatterBackward, vectorLengthsBackward, type GraphValue } from './ops/graph.js';
import { linearBackward } from './ops/linear.js';
import { mlpBackward } from './ops/mlp.js';
import { normActivationBackward, normBackward } from './ops/norm.js';
import { radialBasisBackward } from './ops/radialBasis.js';
import { radialSplineBackward } from './ops/radialSpline.js';
import { sphericalHarmonicsBackward } from './ops/sphericalHarmonics.js';
import { tensorProductBackward } from './ops/tensorProduct.js';

/** What the sweep reads from the forward evaluation. */
export interface GradContext {
  readonly module: IRModule;
  readonly batch: RuntimeBatch;
  readonly params: ParamStore;
  readonly types: ReadonlyMap<ValueId, IRType>;
  rows(node: IRNode, id: ValueId): { readonly data: Float64Array; readonly rows: number; readonly dim: number };
  graph(node: IRNode, id: ValueId): GraphValue;
  fail(node: IRNode, message: string): never;
  /**
   * Another executor's VJP of a node (the wasm target's kernels): the gradient of each input in
   * order (undefined: none), or undefined to let the reference compute it.
   */
  vjp?(node: IRNode, gradOut: Float64Array): readonly (Float64Array | undefined)[] | undefined;
}


/** d(Σ_graphs e) / d(pos) for a `grad` node: (numNodes, spaceDim) row-major. */
export function positionGradient(ctx: GradContext, node: Extract<IRNode, { op: 'grad' }>): Float64Array {
  const [eId, posId] = node.inputs as [ValueId, ValueId];
  const e = ctx.rows(node, eId);
  return positionsVjp(ctx, eId, posId, new Float64Array(e.data.length).fill(1), node.id);
}

/**
 * σ = (1/V) ∂e/∂ε for a `stress` node, as (numGraphs, 6) components in the basis of
 * stdlib/groups/o3/symmetricTensor.ts. The energy sees the positions and the cell only through
 * edge vectors r (every one of which the strain maps to (I + ε) r, positions and lattice shifts
 * alike), so ∂e/∂ε_ab = Σ_edges (∂e/∂r)_a r_b, summed over each graph's edges (by receiver):
 * the same sweep as `grad`, reading the adjoint of each edge-vector node on the way.
 */
export function strainStress(ctx: GradContext, node: Extract<IRNode, { op: 'stress' }>): Float64Array {
  const [eId, posId, cellId] = node.inputs as [ValueId, ValueId, ValueId];
  const { batch } = ctx;
  const e = ctx.rows(node, eId);
  const dEde = new Float64Array(batch.numGraphs * 9);
  positionsVjp(ctx, eId, posId, new Float64Array(e.data.length).fill(1), node.id, (n, g) => {
    const r = ctx.rows(n, n.id);
    if (r.dim !== 3) ctx.fail(node, `stress needs 3D edge vectors, found ${r.dim}D`);
    const graph = ctx.graph(n, n.inputs[1]!);
    for (let k = 0; k < graph.dst.length; k++) {
      const base = batch.nodeGraph[graph.dst[k]!]! * 9;
      for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) dEde[base + a * 3 + b]! += g[k * 3 + a]! * r.data[k * 3 + b]!;
    }
  });
  const cell = ctx.rows(node, cellId).data;
  const out = new Float64Array(batch.numGraphs * 6);
  for (let gi = 0; gi < batch.numGraphs; gi++) {
    const volume = cellVolume(cell.subarray(gi * 9, gi * 9 + 9));
    if (!(volume > 0)) ctx.fail(node, `graph ${gi}'s cell has zero volume: its lattice vectors are linearly dependent`);
    out.set(symmetricComponents(dEde.subarray(gi * 9, gi * 9 + 9), 1 / volume), gi * 6);
  }
  return out;
}

/**
 * The vector-Jacobian product d(Σ seed · value(of)) / d(pos) for any value `of` computed from
 * the positions: the sweep behind `grad`, also usable on any output (the tests differentiate a
 * random projection of every example's outputs with it).
 */
export function positionsVjp(
  ctx: GradContext,
  eId: ValueId,
  posId: ValueId,
  seed: Float64Array,
  requestedBy = 'the caller',
  onEdgeVectors?: (node: IRNode, gradOut: Float64Array) => void,
): Float64Array {
  const { module, batch } = ctx;
  const path = gradPath(module, eId, posId);
  const onPath = new Set<ValueId>([posId, ...path.map((n) => n.id)]);
  const adjoint = new Map<ValueId, Float64Array>();
  adjoint.set(eId, Float64Array.from(seed));
  const accumulate = (id: ValueId, g: Float64Array) => {
    if (!onPath.has(id)) return;
    const prev = adjoint.get(id);
    if (!prev) adjoint.set(id, g);
    else for (let k = 0; k < g.length; k++) prev[k]! += g[k]!;
  };
  const layoutOf = (n: IRNode, id: ValueId) => {
    const t = ctx.types.get(id);
    if (!t || t.kind !== 'field') ctx.fail(n, `input ${id} has no representation type`);
    return blockLayout(t.rep);
  };
  const byRole = paramsByRole(ctx.module);
  const param = (n: IRNode, name: string | undefined) => {
    const p = name ? ctx.params.get(name) : undefined;
    if (!p) ctx.fail(n, `parameter ${name ?? '(unnamed)'} has no value`);
    return p;
  };

  for (let k = path.length - 1; k >= 0; k--) {
    const n = path[k]!;
    const g = adjoint.get(n.id);
    if (!g) continue; // on the path but its output never reaches e with a non-zero weight
    adjoint.delete(n.id);
    const custom = ctx.vjp?.(n, g);
    if (custom) {
      custom.forEach((gi, i) => gi && accumulate(n.inputs[i]!, gi));
      continue;
    }
    const x = () => ctx.rows(n, n.inputs[0]!);
    const dimOut = n.type.kind === 'field' ? n.type.rep.dim : 0;
    switch (n.op) {
      case 'edge_vectors': {
        onEdgeVectors?.(n, g);
        const pos = x();
        accumulate(n.inputs[0]!, edgeVectorsBackward(g, ctx.graph(n, n.inputs[1]!), batch.numNodes, pos.dim));
        break;
      }
      case 'edge_lengths': {
        const v = x();
        accumulate(n.inputs[0]!, vectorLengthsBackward(v.data, v.dim, g));
        break;
      }
      case 'spherical_harmonics':
        accumulate(n.inputs[0]!, sphericalHarmonicsBackward(n.attrs, x().data, g));
        break;
      case 'circular_harmonics':
        accumulate(n.inputs[0]!, circularHarmonicsBackward(n.attrs, x().data, g));
        break;
      case 'radial_basis':
        accumulate(n.inputs[0]!, radialBasisBackward(n.attrs, x().data, g));
        break;
      case 'cutoff_envelope':
        accumulate(n.inputs[0]!, cutoffEnvelopeBackward(n.attrs, x().data, g));
        break;
      case 'linear': {
        const v = x();
        if (n.type.kind !== 'field') ctx.fail(n, 'linear must produce a field');
        const weight = n.attrs.weightNumel > 0 ? param(n, byRole(n, 'weight')[0]) : undefined;
        accumulate(n.inputs[0]!, linearBackward(n.attrs, layoutOf(n, n.inputs[0]!), blockLayout(n.type.rep), v.dim, dimOut, g, weight, v.rows));
        break;
      }
      case 'tensor_product': {
        const a = x();
        const b = ctx.rows(n, n.inputs[1]!);
        if (n.type.kind !== 'field') ctx.fail(n, 'tensor product must produce a field');
        const shared = n.attrs.weights === 'shared' && n.attrs.weightNumel > 0 ? param(n, n.params[0]) : undefined;
        const gated = shared && n.attrs.gated ? foldPathGates(n.attrs.paths, shared, param(n, byRole(n, 'path_gate')[0]), param(n, byRole(n, 'path_mask')[0])) : shared;
        const weights = n.attrs.weights === 'input' ? ctx.rows(n, n.inputs[2]!).data : gated;
        const layout = { in1: blockLayout(n.attrs.in1), in2: blockLayout(n.attrs.in2), out: blockLayout(n.type.rep), dim1: a.dim, dim2: b.dim, dimOut };
        const grads = tensorProductBackward(n.attrs, module.tables, layout, a.data, b.data, weights, g, a.rows);
        accumulate(n.inputs[0]!, grads.x1);
        accumulate(n.inputs[1]!, grads.x2);
        if (grads.weights) accumulate(n.inputs[2]!, grads.weights);
        break;
      }
      case 'radial_spline':
        accumulate(n.inputs[0]!, radialSplineBackward(n.attrs, param(n, n.params[0]), x().data, g));
        break;
      case 'mlp': {
        const v = x();
        accumulate(n.inputs[0]!, mlpBackward(n.attrs, n.params.map((p) => param(n, p)), v.data, g, v.rows));
        break;
      }
      case 'activation': {
        const v = x();
        accumulate(n.inputs[0]!, activationBackward(n.attrs, layoutOf(n, n.inputs[0]!), v.dim, v.data, g, v.rows));
        break;
      }
      case 'gate': {
        const v = x();
        accumulate(n.inputs[0]!, gateBackward(n.attrs, v.dim, dimOut, v.data, g, v.rows));
        break;
      }
      case 'symmetric_contraction': {
        const v = x();
        const z = ctx.rows(n, n.inputs[1]!);
        accumulate(n.inputs[0]!, symmetricContractionBackward(n.attrs, v.data, v.dim, z.data, param(n, n.params[0]), v.rows, dimOut, g));
        break;
      }
      case 'layer_norm': {
        const v = x();
        accumulate(n.inputs[0]!, layerNormBackward(n.attrs, v.data, v.dim, v.rows, param(n, byRole(n, 'weight')[0]), g));
        break;
      }
      case 'batch_norm': {
        // Evaluation mode: a fixed affine map per copy.
        const v = x();
        accumulate(n.inputs[0]!, batchNormBackward(n.attrs, v.dim, v.rows, param(n, byRole(n, 'weight')[0]), param(n, byRole(n, 'running_var')[0]), g));
        break;
      }
      case 'dropout':
        accumulate(n.inputs[0]!, Float64Array.from(g));
        break;
      case 'norm': {
        const v = x();
        accumulate(n.inputs[0]!, normBackward(n.attrs, v.dim, v.data, g, v.rows));
        break;
      }
      case 'sphere_activation': {
        const v = x();
        accumulate(n.inputs[0]!, sphereActivationBackward(n.attrs, v.dim, v.data, g, v.rows, n.params.map((p) => param(n, p))));
        break;
      }
      case 'norm_activation': {
        const v = x();
        accumulate(n.inputs[0]!, normActivationBackward(n.attrs, v.dim, v.data, g, v.rows));
        break;
      }
      case 'concat': {
        const parts = n.inputs.map((id) => ctx.rows(n, id));
        const grads = concatBackward(g, parts.map((p) => p.dim), parts[0]?.rows ?? 0);
        n.inputs.forEach((id, i) => accumulate(id, grads[i]!));
        break;
      }
      case 'select': {
        const v = x();
        accumulate(n.inputs[0]!, selectBackward(g, v.dim, n.attrs.ranges, v.rows));
        break;
      }
      case 'gather': {
        const v = x();
        accumulate(n.inputs[0]!, gatherBackward(g, v.dim, ctx.graph(n, n.inputs[1]!), n.attrs.side, v.rows));
        break;
      }
      case 'scatter': {
        const m = x();
        const out = ctx.rows(n, n.id);
        accumulate(n.inputs[0]!, scatterBackward(m.data, out.data, g, m.dim, ctx.graph(n, n.inputs[1]!), batch.numNodes, n.attrs.reduce));
        break;
      }
      case 'attention': {
        const l = x();
        const v = ctx.rows(n, n.inputs[1]!);
        const grads = attentionBackward(n.attrs, l.data, v.data, v.dim, ctx.graph(n, n.inputs[2]!), batch.numNodes, g);
        accumulate(n.inputs[0]!, grads.logits);
        accumulate(n.inputs[1]!, grads.values);
        break;
      }
      case 'pool': {
        const v = x();
        const t = ctx.types.get(n.inputs[0]!);
        const ptr = t?.kind === 'field' && t.domain === 'pair' ? pairLayout(batch.graphPtr).pairPtr : batch.graphPtr;
        accumulate(n.inputs[0]!, poolBackward(v.data, ctx.rows(n, n.id).data, g, v.dim, ptr, n.attrs.reduce));
        break;
      }
      case 'scale': {
        const v = x();
        const ramp = n.attrs.rowRamp ?? 0;
        const factor = n.attrs.factor * (n.params[0] ? param(n, n.params[0])[0]! : 1);
        accumulate(n.inputs[0]!, g.map((gv, i) => gv * factor * (ramp === 0 ? 1 : 1 + ramp * Math.floor(i / v.dim))));
        break;
      }
      case 'add':
        n.inputs.forEach((id, i) => accumulate(id, g.map((gv) => gv * n.attrs.coefficients[i]!)));
        break;
      case 'scalar_mul': {
        const s = x();
        const v = ctx.rows(n, n.inputs[1]!);
        const grads = scalarMulBackward(s.data, v.data, g, v.dim);
        // `s * s`: both inputs may be the same value; accumulate adds both contributions.
        accumulate(n.inputs[0]!, grads.s);
        accumulate(n.inputs[1]!, grads.x);
        break;
      }
      case 'input':
      case 'radius_graph':
        break;
      default:
        ctx.fail(n, `the reference evaluator has no derivative of op ${n.op} (${requestedBy} differentiates through it)`);
    }
  }
  const result = adjoint.get(posId);
  const spaceDim = module.group.spaceDim ?? 3;
  // A value that does not depend on the positions (the checker refuses that for `grad`) has gradient 0.
  return result ?? new Float64Array(batch.numNodes * spaceDim);
}
