// The float64 reference evaluator: the project's oracle. It interprets an IR module node by
// node, in order, with plain loops (targets/ref/ops/), and is what the tfjs and wgsl targets
// and the generated tests are compared against. Values are row-major Float64Arrays of
// (rows, dim), rows being the nodes of the whole batch, the edges of a graph value, or the
// graphs of the batch; graphs are {src, dst} index arrays.

import { sphereActivationKernel } from './ops/sphereActivation.js';
import { foldPathGates } from '../../stdlib/nn/pathGates.js';
import { addKernel, scalarMulKernel } from './ops/arithmetic.js';
import { cutoffEnvelopeKernel } from './ops/envelope.js';
import { layerNormKernel } from './ops/layerNorm.js';
import { symmetricContractionKernel } from './ops/symmetricContraction.js';
import { attention } from './ops/attention.js';
import { batchNormKernel } from './ops/batchNorm.js';
import type { IRModule, IRNode, IRType, ValueId } from '../../ir/types.js';
import type { RuntimeBatch } from '../io/inputs.js';
import type { ParamStore } from '../io/params.js';
import { activationKernel } from './ops/activation.js';
import { concatKernel, scaleKernel, selectKernel } from './ops/features.js';
import { gateKernel } from './ops/gate.js';
import { edgeVectors, gather, pool, radiusGraph, scatter, vectorLengths, type GraphValue } from './ops/graph.js';
import { blockLayout } from '../../stdlib/nn/layout.js';
import { linearKernel } from './ops/linear.js';
import { mlpKernel } from './ops/mlp.js';
import { normActivationKernel, normKernel } from './ops/norm.js';
import { radialBasisKernel } from './ops/radialBasis.js';
import { radialSplineKernel } from './ops/radialSpline.js';
import { frameAverageKernel } from './ops/frameAverage.js';
import { DegenerateFrameError } from '../../stdlib/nn/frames.js';
import { sphericalHarmonicsKernel } from './ops/sphericalHarmonics.js';
import { circularHarmonicsKernel } from './ops/circularHarmonics.js';
import { paramsByRole } from '../../ir/node.js';
import { validateModule } from '../../ir/validate.js';
import { tensorProductKernel } from './ops/tensorProduct.js';
import { gridProductKernel } from './ops/gridProduct.js';
import { permLinearKernel } from './ops/permLinear.js';
import { domainRows, pairLayout } from '../io/pairs.js';
import { CellError } from '../io/neighbours.js';
import { type GradContext, positionGradient, positionsVjp, strainStress } from './grad.js';
import { conv2dKernel, flowRnnKernel, frameStarts, poolSpaceKernel, poolTimeKernel, poolVelocityKernel } from './ops/flow.js';

export type { GraphValue };

/** A graph input's edges from the batch (targets/io/edges.ts parsed and sorted them). */
function givenGraph(batch: RuntimeBatch, name: string): GraphValue {
  const g = batch.edges?.get(name);
  if (!g) throw new EvaluationError(undefined, `the batch has no graph input ${name}`);
  return g;
}

/** A computed value: features with their row count, or a graph. */
export type RefValue = { readonly kind: 'rows'; readonly data: Float64Array; readonly rows: number; readonly dim: number } | { readonly kind: 'graph'; readonly graph: GraphValue };

export class EvaluationError extends Error {
  constructor(node: IRNode | undefined, message: string) {
    super(node ? `${node.id} (${node.op}${node.source ? `, ${node.source.file}:${node.source.line}` : ''}): ${message}` : message);
    this.name = 'EvaluationError';
  }
}

function typeDim(type: IRType): number {
  if (type.kind === 'field') return type.rep.dim;
  if (type.kind === 'points') return type.dim;
  if (type.kind === 'cell') return type.dim * type.dim;
  return 0;
}

/** Every value of the module, by id. */
export function evaluateAll(module: IRModule, batch: RuntimeBatch, params: ParamStore): Map<ValueId, RefValue> {
  validateModule(module);
  return evaluateWithContext(module, batch, params).values;
}

/**
 * How another executor reuses this walk (the wasm target): `node` computes a node itself and
 * returns its value, or undefined to let the reference compute it; `computed` sees (and may
 * replace) every value the reference computes, e.g. to round it to float32.
 */
export interface EvaluationHooks {
  node?(node: IRNode, value: (id: ValueId) => RefValue | undefined): RefValue | undefined;
  computed?(node: IRNode, value: RefValue): RefValue;
  /** A node's VJP in the reverse mode (GradContext.vjp), or undefined for the reference's. */
  vjp?(node: IRNode, gradOut: Float64Array, value: (id: ValueId) => RefValue | undefined): readonly (Float64Array | undefined)[] | undefined;
}

/** The model's outputs by name, with hooks (EvaluationHooks) deciding who computes each node. */
export function evaluateWithHooks(module: IRModule, batch: RuntimeBatch, params: ParamStore, hooks: EvaluationHooks): Map<string, Float64Array> {
  validateModule(module);
  return outputsOf(module, evaluateWithContext(module, batch, params, hooks).values);
}

/** The values, and what the reverse mode reads from them. */
function evaluateWithContext(module: IRModule, batch: RuntimeBatch, params: ParamStore, hooks?: EvaluationHooks): { values: Map<ValueId, RefValue>; gradContext: GradContext } {
  const values = new Map<ValueId, RefValue>();
  const types = new Map<ValueId, IRType>();
  for (const input of module.inputs) types.set(input.value, input.type);
  for (const node of module.nodes) types.set(node.id, node.type);

  const rowsOf = (node: IRNode, id: ValueId) => {
    const v = values.get(id);
    if (!v) throw new EvaluationError(node, `input ${id} has not been computed (nodes out of order?)`);
    if (v.kind !== 'rows') throw new EvaluationError(node, `input ${id} is a graph, expected features`);
    return v;
  };
  const graphOf = (node: IRNode, id: ValueId) => {
    const v = values.get(id);
    if (!v || v.kind !== 'graph') throw new EvaluationError(node, `input ${id} is not a graph`);
    return v.graph;
  };
  const layoutOf = (node: IRNode, id: ValueId) => {
    const t = types.get(id);
    if (!t || t.kind !== 'field') throw new EvaluationError(node, `input ${id} has no representation type`);
    return blockLayout(t.rep);
  };
  const param = (node: IRNode, name: string) => {
    const p = params.get(name);
    if (!p) throw new EvaluationError(node, `parameter ${name} has no value`);
    return p;
  };
  const paramsOf = paramsByRole(module);
  // Flows: each graph of the batch is one sequence of size x size frames.
  const flowFrames = (node: IRNode, size: number) => {
    try {
      return frameStarts(batch.graphPtr, size);
    } catch (e) {
      throw new EvaluationError(node, (e as Error).message);
    }
  };

  // Rows of a model input; flows' seq inputs have one row per frame of size² cells.
  const inputRows = (t: IRType): number =>
    t.kind === 'cell' ? batch.numGraphs : t.kind !== 'field' ? batch.numNodes : t.domain === 'seq' ? batch.numNodes / (module.group.flow?.size ?? 1) ** 2 : domainRows(batch, t.domain);
  // Model inputs that no `input` node produces are taken from the batch directly.
  const produced = new Set(module.nodes.map((n) => n.id));
  for (const input of module.inputs) {
    if (produced.has(input.value)) continue;
    if (input.type.kind === 'graph') {
      values.set(input.value, { kind: 'graph', graph: givenGraph(batch, input.name) });
      continue;
    }
    const data = batch.values.get(input.name);
    if (!data) throw new EvaluationError(undefined, `the batch has no input ${input.name}`);
    const t = input.type;
    const rows = inputRows(t);
    values.set(input.value, { kind: 'rows', data, rows, dim: typeDim(t) });
  }

  const gradContext: GradContext = {
    module,
    batch,
    params,
    types,
    rows: rowsOf,
    graph: graphOf,
    fail: (n: IRNode, message: string): never => {
      throw new EvaluationError(n, message);
    },
    ...(hooks?.vjp ? { vjp: (n: IRNode, g: Float64Array) => hooks.vjp!(n, g, (id) => values.get(id)) } : {}),
  };

  for (const node of module.nodes) {
    const custom = hooks?.node?.(node, (id) => values.get(id));
    if (custom) {
      values.set(node.id, custom);
      continue;
    }
    evaluateNode(node);
    const v = values.get(node.id);
    if (hooks?.computed && v) values.set(node.id, hooks.computed(node, v));
  }
  return { values, gradContext };

  function evaluateNode(node: IRNode): void {
    const dimOut = typeDim(node.type);
    const result = (data: Float64Array, rows: number): void => {
      if (data.length !== rows * dimOut) throw new EvaluationError(node, `produced ${data.length} numbers for ${rows} rows of ${dimOut}`);
      values.set(node.id, { kind: 'rows', data, rows, dim: dimOut });
    };
    const x = () => rowsOf(node, node.inputs[0]!);

    switch (node.op) {
      case 'input': {
        if (node.type.kind === 'graph') {
          values.set(node.id, { kind: 'graph', graph: givenGraph(batch, node.attrs.name) });
          break;
        }
        const data = batch.values.get(node.attrs.name);
        if (!data) throw new EvaluationError(node, `the batch has no input ${node.attrs.name}`);
        const t = node.type;
        const rows = inputRows(t);
        if (t.kind === 'field' && t.domain === 'edge') throw new EvaluationError(node, 'edge-domain inputs are not supported');
        result(data, rows);
        break;
      }
      case 'radius_graph': {
        const pos = x();
        const cell = node.inputs[1] ? rowsOf(node, node.inputs[1]).data : undefined;
        try {
          values.set(node.id, { kind: 'graph', graph: radiusGraph(pos.data, batch.graphPtr, node.attrs.r, pos.dim, cell) });
        } catch (e) {
          if (e instanceof CellError) throw new EvaluationError(node, e.message);
          throw e;
        }
        break;
      }
      case 'edge_vectors': {
        const pos = x();
        const graph = graphOf(node, node.inputs[1]!);
        const cell = node.inputs[2] ? { data: rowsOf(node, node.inputs[2]).data, nodeGraph: batch.nodeGraph } : undefined;
        result(edgeVectors(pos.data, graph, pos.dim, cell), graph.src.length);
        break;
      }
      case 'edge_lengths': {
        const v = x();
        result(vectorLengths(v.data, v.dim), v.rows);
        break;
      }
      case 'spherical_harmonics': {
        const v = x();
        result(sphericalHarmonicsKernel(node.attrs, v.data), v.rows);
        break;
      }
      case 'circular_harmonics': {
        const v = x();
        result(circularHarmonicsKernel(node.attrs, v.data), v.rows);
        break;
      }
      case 'cutoff_envelope': {
        const v = x();
        result(cutoffEnvelopeKernel(node.attrs, v.data), v.rows);
        break;
      }
      case 'radial_basis': {
        const v = x();
        result(radialBasisKernel(node.attrs, v.data), v.rows);
        break;
      }
      case 'linear': {
        const v = x();
        const outT = node.type;
        if (outT.kind !== 'field') throw new EvaluationError(node, 'linear must produce a field');
        const [weightName] = paramsOf(node, 'weight');
        const [biasName] = paramsOf(node, 'bias');
        const weight = node.attrs.weightNumel > 0 ? param(node, weightName ?? '(weight)') : undefined;
        const bias = node.attrs.bias ? param(node, biasName ?? '(bias)') : undefined;
        result(linearKernel(node.attrs, layoutOf(node, node.inputs[0]!), blockLayout(outT.rep), v.dim, dimOut, v.data, weight, bias, v.rows), v.rows);
        break;
      }
      case 'tensor_product': {
        const a = x();
        const b = rowsOf(node, node.inputs[1]!);
        if (a.rows !== b.rows) throw new EvaluationError(node, `inputs have ${a.rows} and ${b.rows} rows`);
        const outT = node.type;
        if (outT.kind !== 'field') throw new EvaluationError(node, 'tensor product must produce a field');
        let weights: Float64Array | undefined;
        if (node.attrs.weights === 'input') {
          const w = rowsOf(node, node.inputs[2]!);
          if (w.rows !== a.rows || w.dim !== node.attrs.weightNumel) {
            throw new EvaluationError(node, `per-sample weights are (${w.rows}, ${w.dim}), expected (${a.rows}, ${node.attrs.weightNumel})`);
          }
          weights = w.data;
        } else if (node.attrs.weights === 'shared' && node.attrs.weightNumel > 0) {
          weights = param(node, node.params[0] ?? '(weight)');
          // Learned path gates scale each path through its weights (stdlib/nn/pathGates.ts).
          if (node.attrs.gated) weights = foldPathGates(node.attrs.paths, weights, param(node, paramsOf(node, 'path_gate')[0] ?? '(gates)'), param(node, paramsOf(node, 'path_mask')[0] ?? '(gate_mask)'));
        }
        // The paths index attrs.in1/in2 (a full tensor product simplifies its inputs; the flat
        // layout is the same as the inputs' types, which validateModule checked).
        const layout = {
          in1: blockLayout(node.attrs.in1),
          in2: blockLayout(node.attrs.in2),
          out: blockLayout(outT.rep),
          dim1: a.dim,
          dim2: b.dim,
          dimOut,
        };
        const kernel = node.attrs.kind === 'grid' ? gridProductKernel(node.attrs, layout, a.data, b.data, weights, a.rows) : tensorProductKernel(node.attrs, module.tables, layout, a.data, b.data, weights, a.rows);
        result(kernel, a.rows);
        break;
      }
      case 'frame_average': {
        const pos = x();
        const feats = rowsOf(node, node.inputs[1]!);
        try {
          result(frameAverageKernel(node.attrs, node.params.map((p) => param(node, p)), pos.data, feats.data, batch.graphPtr), pos.rows);
        } catch (e) {
          if (e instanceof DegenerateFrameError) throw new EvaluationError(node, e.message);
          throw e;
        }
        break;
      }
      case 'radial_spline': {
        const v = x();
        result(radialSplineKernel(node.attrs, param(node, node.params[0] ?? '(weight)'), v.data), v.rows);
        break;
      }
      case 'mlp': {
        const v = x();
        result(mlpKernel(node.attrs, node.params.map((p) => param(node, p)), v.data, v.rows), v.rows);
        break;
      }
      case 'activation': {
        const v = x();
        result(activationKernel(node.attrs, layoutOf(node, node.inputs[0]!), v.dim, v.data, v.rows), v.rows);
        break;
      }
      case 'gate': {
        const v = x();
        result(gateKernel(node.attrs, v.dim, dimOut, v.data, v.rows), v.rows);
        break;
      }
      case 'norm': {
        const v = x();
        result(normKernel(node.attrs, v.dim, v.data, v.rows), v.rows);
        break;
      }
      case 'layer_norm': {
        const v = x();
        const [w, b] = node.params;
        result(layerNormKernel(node.attrs, v.data, v.dim, v.rows, param(node, w ?? '(weight)'), b ? param(node, b) : undefined), v.rows);
        break;
      }
      case 'batch_norm': {
        // Evaluation mode (as `eqvc run`): the running statistics.
        const v = x();
        const one = (role: 'weight' | 'bias' | 'running_mean' | 'running_var') => paramsOf(node, role)[0];
        const w = one('weight');
        const rv = one('running_var');
        const b = one('bias');
        const rm = one('running_mean');
        result(batchNormKernel(node.attrs, v.data, v.dim, v.rows, param(node, w ?? '(weight)'), b ? param(node, b) : undefined, rm ? param(node, rm) : undefined, param(node, rv ?? '(running_var)')), v.rows);
        break;
      }
      case 'dropout':
        // Evaluation mode: the identity.
        result(Float64Array.from(x().data), x().rows);
        break;
      case 'sphere_activation': {
        const v = x();
        result(sphereActivationKernel(node.attrs, v.dim, v.data, v.rows, node.params.map((p) => param(node, p))), v.rows);
        break;
      }
      case 'norm_activation': {
        const v = x();
        result(normActivationKernel(node.attrs, v.dim, v.data, v.rows), v.rows);
        break;
      }
      case 'concat': {
        const parts = node.inputs.map((id) => rowsOf(node, id));
        const rows = parts[0]?.rows ?? 0;
        if (parts.some((p) => p.rows !== rows)) throw new EvaluationError(node, `inputs have different row counts: ${parts.map((p) => p.rows).join(', ')}`);
        result(concatKernel(parts.map((p) => ({ x: p.data, dim: p.dim })), rows), rows);
        break;
      }
      case 'select': {
        const v = x();
        result(selectKernel(v.data, v.dim, node.attrs.ranges, v.rows), v.rows);
        break;
      }
      case 'gather': {
        const v = x();
        const graph = graphOf(node, node.inputs[1]!);
        result(gather(v.data, v.dim, graph, node.attrs.side), graph.src.length);
        break;
      }
      case 'scatter': {
        const v = x();
        const graph = graphOf(node, node.inputs[1]!);
        if (v.rows !== graph.src.length) throw new EvaluationError(node, `${v.rows} edge rows for a graph of ${graph.src.length} edges`);
        result(scatter(v.data, v.dim, graph, batch.numNodes, node.attrs.reduce), batch.numNodes);
        break;
      }
      case 'attention': {
        const l = x();
        const v = rowsOf(node, node.inputs[1]!);
        const graph = graphOf(node, node.inputs[2]!);
        if (l.rows !== graph.src.length || v.rows !== graph.src.length) throw new EvaluationError(node, `${l.rows} logit rows and ${v.rows} value rows for a graph of ${graph.src.length} edges`);
        result(attention(node.attrs, l.data, v.data, v.dim, graph, batch.numNodes), batch.numNodes);
        break;
      }
      case 'pool': {
        const v = x();
        // Over the nodes of each graph, or (pair values) over its n^2 pairs.
        const t = types.get(node.inputs[0]!);
        const ptr = t?.kind === 'field' && t.domain === 'pair' ? pairLayout(batch.graphPtr).pairPtr : batch.graphPtr;
        if (v.rows !== ptr[ptr.length - 1]) throw new EvaluationError(node, `pool needs one row per ${ptr === batch.graphPtr ? 'node' : 'pair'} (${ptr[ptr.length - 1]}), got ${v.rows}`);
        result(pool(v.data, v.dim, ptr, node.attrs.reduce), batch.numGraphs);
        break;
      }
      case 'perm_linear': {
        const v = x();
        if (v.rows !== domainRows(batch, node.attrs.from)) throw new EvaluationError(node, `expected one row per ${node.attrs.from} (${domainRows(batch, node.attrs.from)}), got ${v.rows}`);
        const [weightName] = paramsOf(node, 'weight');
        const [biasName] = paramsOf(node, 'bias');
        const weight = param(node, weightName ?? '(weight)');
        const bias = node.attrs.bias ? param(node, biasName ?? '(bias)') : undefined;
        result(permLinearKernel(node.attrs, batch.graphPtr, v.data, weight, bias), domainRows(batch, node.attrs.to));
        break;
      }
      case 'scale': {
        const v = x();
        // A data statistic (avg_neighbors = data) multiplies the factor by its parameter.
        const factor = node.attrs.factor * (node.params[0] ? param(node, node.params[0])[0]! : 1);
        result(scaleKernel(v.data, factor, v.dim, node.attrs.rowRamp ?? 0), v.rows);
        break;
      }
      case 'add': {
        const parts = node.inputs.map((id) => rowsOf(node, id));
        if (parts.some((p) => p.rows !== parts[0]!.rows || p.dim !== parts[0]!.dim)) throw new EvaluationError(node, `inputs have different shapes: ${parts.map((p) => `${p.rows}x${p.dim}`).join(', ')}`);
        result(addKernel(parts.map((p) => p.data), node.attrs.coefficients), parts[0]!.rows);
        break;
      }
      case 'scalar_mul': {
        const s = x();
        const v = rowsOf(node, node.inputs[1]!);
        if (s.rows !== v.rows || s.dim !== 1) throw new EvaluationError(node, `expected one scalar per row of the value (${v.rows}), got ${s.rows}x${s.dim}`);
        result(scalarMulKernel(s.data, v.data, v.dim), v.rows);
        break;
      }
      case 'flow_rnn': {
        const v = x();
        const [wIn, wRec] = paramsOf(node, 'weight').map((p) => param(node, p));
        const [b] = paramsOf(node, 'bias').map((p) => param(node, p));
        result(flowRnnKernel(node.attrs, v.data, wIn!, wRec!, b!, flowFrames(node, node.attrs.size)), v.rows);
        break;
      }
      case 'conv2d': {
        const v = x();
        const [w] = paramsOf(node, 'weight').map((p) => param(node, p));
        const [b] = paramsOf(node, 'bias').map((p) => param(node, p));
        result(conv2dKernel(node.attrs, v.data, w!, b, v.rows), v.rows);
        break;
      }
      case 'pool_space': {
        const v = x();
        result(poolSpaceKernel(v.data, v.dim, node.attrs.size, node.attrs.reduce), v.rows / (node.attrs.size * node.attrs.size));
        break;
      }
      case 'pool_velocity': {
        const v = x();
        result(poolVelocityKernel(v.data, v.dim / node.attrs.velocities, node.attrs.velocities, node.attrs.reduce), v.rows);
        break;
      }
      case 'pool_time': {
        const v = x();
        const starts = flowFrames(node, node.attrs.size);
        if (v.rows !== starts[starts.length - 1]) throw new EvaluationError(node, `pool_time needs one row per frame (${starts[starts.length - 1]}), got ${v.rows}`);
        result(poolTimeKernel(v.data, v.dim, starts, node.attrs.reduce), batch.numGraphs);
        break;
      }
      case 'symmetric_contraction': {
        const v = x();
        const z = rowsOf(node, node.inputs[1]!);
        result(symmetricContractionKernel(node.attrs, v.data, v.dim, z.data, param(node, node.params[0]!), v.rows, node.type.kind === 'field' ? node.type.rep.dim : 0), v.rows);
        break;
      }
      case 'grad': {
        // The float64 reverse mode over the nodes already evaluated (targets/ref/grad.ts).
        result(positionGradient(gradContext, node), batch.numNodes);
        break;
      }
      case 'stress': {
        // The same reverse mode, reading the edge vectors' adjoints (targets/ref/grad.ts).
        result(strainStress(gradContext, node), batch.numGraphs);
        break;
      }
      default: {
        const never: never = node;
        throw new EvaluationError(undefined, `unknown op ${(never as IRNode).op}`);
      }
    }
  }
}

/**
 * d(Σ seed · output) / d(positions) by the reference's reverse mode, for an output of the
 * module and a seed of its shape: what `grad` computes, on any output (tests use it to check
 * every op's derivative against finite differences).
 */
export function outputPositionsVjp(module: IRModule, batch: RuntimeBatch, params: ParamStore, output: string, seed: Float64Array): Float64Array {
  const ctx = evaluateWithContext(module, batch, params).gradContext;
  const o = module.outputs.find((x) => x.name === output);
  const pos = module.inputs.find((i) => i.type.kind === 'points');
  if (!o || !pos) throw new EvaluationError(undefined, `no output ${output} or no positions input`);
  return positionsVjp(ctx, o.value, pos.value, seed);
}

/**
 * A forward and backward pass: the outputs, and d(Σ output) / d(input `wrt`) by the reverse
 * sweep (the one behind `grad`, here from any output to any input), with hooks deciding who
 * computes each node and each VJP (the wasm target's kernels; its benchmark times this).
 */
export function evaluateWithVjp(module: IRModule, batch: RuntimeBatch, params: ParamStore, hooks: EvaluationHooks, output: string, wrt: string): { outputs: Map<string, Float64Array>; gradient: Float64Array } {
  validateModule(module);
  const { values, gradContext } = evaluateWithContext(module, batch, params, hooks);
  const o = module.outputs.find((x) => x.name === output);
  const input = module.inputs.find((i) => i.name === wrt);
  if (!o || !input) throw new EvaluationError(undefined, `no output ${output} or no input ${wrt}`);
  const out = values.get(o.value);
  if (!out || out.kind !== 'rows') throw new EvaluationError(undefined, `output ${output} is not a feature value`);
  const gradient = positionsVjp(gradContext, o.value, input.value, new Float64Array(out.data.length).fill(1));
  return { outputs: outputsOf(module, values), gradient };
}

/** The model's outputs by name, each (rows, dim) row-major. */
export function evaluate(module: IRModule, batch: RuntimeBatch, params: ParamStore): Map<string, Float64Array> {
  return outputsOf(module, evaluateAll(module, batch, params));
}

function outputsOf(module: IRModule, values: ReadonlyMap<ValueId, RefValue>): Map<string, Float64Array> {
  const out = new Map<string, Float64Array>();
  for (const o of module.outputs) {
    const v = values.get(o.value);
    if (!v) throw new EvaluationError(undefined, `output ${o.name} (${o.value}) was never computed`);
    if (v.kind !== 'rows') throw new EvaluationError(undefined, `output ${o.name} is a graph, not features`);
    out.set(o.name, v.data);
  }
  return out;
}
