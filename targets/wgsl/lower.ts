// From the IR to a WGSL plan: which values need buffers, which radius graphs the host builds,
// and one kernel per IR node in order (an MLP: one per layer; a concatenation: one per part),
// except that gather -> tensor product (uvu) -> scatter(sum) [-> scale] becomes one fused
// convolution kernel when the intermediate values have no other use. Every kernel is
// specialized to its node's attributes; this file only decides shapes and bindings, the
// kernels/ files write the WGSL.

import type { IRModule, IRNode, IRType, ValueId } from '../../ir/types.js';
import { paramsByRole } from '../../ir/node.js';
import { validateModule } from '../../ir/validate.js';
import { blockLayout } from '../../stdlib/nn/layout.js';
import { sphereActMatrices } from '../../stdlib/nn/sphereActivation.js';
import { header, kernelSource } from './emit.js';
import { encodeF32 } from './tableData.js';
import { convFusible, convKernel, type ConvPattern } from './kernels/fusedConv.js';
import { denseBindings, denseCode, type DenseGroup, type DenseSpec } from './kernels/dense.js';
import { bind, type KernelDraft, paramRef, valueRef } from './kernels/draft.js';
import { activationKernel } from './kernels/activation.js';
import { addKernel, scalarMulKernel } from './kernels/arithmetic.js';
import { cutoffEnvelopeKernel } from './kernels/envelope.js';
import { layerNormKernel } from './kernels/layerNorm.js';
import { symmetricContractionKernel } from './kernels/symmetricContraction.js';
import { attentionKernel } from './kernels/attention.js';
import { batchNormKernel, dropoutKernel } from './kernels/batchNorm.js';
import { concatPartKernel, scaleKernel, selectKernel } from './kernels/features.js';
import { gateKernel } from './kernels/gate.js';
import { normActivationKernel, normKernel } from './kernels/norm.js';
import { edgeLengthsKernel, edgeVectorsKernel, gatherKernel, poolKernel, scatterKernel } from './kernels/graph.js';
import { radialBasisKernel } from './kernels/radialBasis.js';
import { radialSplineKernel } from './kernels/radialSpline.js';
import { sphericalHarmonicsKernel } from './kernels/sphericalHarmonics.js';
import { circularHarmonicsKernel } from './kernels/circularHarmonics.js';
import { tensorProductKernel } from './kernels/tensorProduct.js';
import { frameInKernel, frameOutKernel } from './kernels/frameAverage.js';
import { sphereBackKernel, sphereGridKernel, sphereTableNames } from './kernels/sphereActivation.js';
import { PAIRS_GRAPH, permLinearKernel, permStatsKernel, poolPairsKernel, setStatistics } from './kernels/permLinear.js';
import { conv2dKernel as flowConv2dKernel, flowRnnKernel, poolSpaceKernel, poolTimeKernel, poolVelocityKernel } from './kernels/flow.js';
import { DEFAULT_STYLE, type KernelStyle, type PlanGraph, type PlanKernel, type PlanFrames, type PlanParam, type PlanTable, type PlanValue, type RowDomain, type WgslPlan } from './plan.js';

export const WORKGROUP_SIZE = 64;

export class WgslPlanError extends Error {
  constructor(node: IRNode | undefined, message: string) {
    super(node ? `${node.id} (${node.op}, ${node.source.file}:${node.source.line}): ${message}` : message);
    this.name = 'WgslPlanError';
  }
}

export function planModule(module: IRModule, style: KernelStyle = DEFAULT_STYLE): WgslPlan {
  validateModule(module);
  const paramsOf = paramsByRole(module);
  const flowParams = (node: IRNode) => ({ weights: paramsOf(node, 'weight'), bias: paramsOf(node, 'bias')[0] });
  const byId = new Map<ValueId, IRNode>(module.nodes.map((n) => [n.id, n]));
  const types = new Map<ValueId, IRType>();
  for (const i of module.inputs) types.set(i.value, i.type);
  for (const n of module.nodes) types.set(n.id, n.type);
  const consumers = new Map<ValueId, IRNode[]>();
  for (const n of module.nodes) for (const i of n.inputs) consumers.set(i, [...(consumers.get(i) ?? []), n]);
  const outputs = new Set(module.outputs.map((o) => o.value));
  const only = (id: ValueId, node: IRNode) => !outputs.has(id) && (consumers.get(id) ?? []).length === 1 && consumers.get(id)![0] === node;

  // ---- values, their row domains, and the graph each edge value belongs to ----
  const values = new Map<ValueId, PlanValue>();
  const graphOf = new Map<ValueId, string>();
  const widthOf = (t: IRType) => (t.kind === 'field' ? t.rep.dim : t.kind === 'points' ? t.dim : t.kind === 'cell' ? t.dim * t.dim : 0);
  const graphs: PlanGraph[] = [];
  const cellOf = (id: ValueId | undefined) => (id === undefined ? undefined : module.inputs.find((i) => i.value === id && i.type.kind === 'cell')?.name);
  const inputs: WgslPlan['inputs'][number][] = [];
  for (const i of module.inputs) {
    const t = i.type;
    if (t.kind === 'graph') {
      // Given edges: the host reads them from the batch; their vectors use the model's cell, if any.
      const cell = module.inputs.find((c) => c.type.kind === 'cell');
      const points = module.inputs.find((c) => c.type.kind === 'points');
      graphs.push({ id: i.value, kind: 'given', posInput: i.name, r: 0, spaceDim: points ? widthOf(points.type) : 0, ...(cell ? { cellInput: cell.name } : {}) });
      continue;
    }
    if (t.kind === 'field' && t.domain === 'edge') throw new WgslPlanError(undefined, `input ${i.name}: edge-domain inputs are not supported`);
    if (t.kind === 'field' && t.domain === 'pair') {
      inputs.push({ name: i.name, value: i.value, domain: 'pair', width: widthOf(t) });
      values.set(i.value, { id: i.value, domain: 'edge', graph: PAIRS_GRAPH, width: widthOf(t) });
      continue;
    }
    const domain = (t.kind === 'field' && t.domain === 'graph') || t.kind === 'cell' ? 'graph' : 'node';
    const frameCells = t.kind === 'field' && t.domain === 'seq' ? (module.group.flow?.size ?? 1) ** 2 : undefined;
    inputs.push({ name: i.name, value: i.value, domain, width: widthOf(t), ...(frameCells ? { frameCells } : {}) });
    values.set(i.value, { id: i.value, domain, width: widthOf(t), ...(frameCells ? { frameCells } : {}) });
  }
  // S(n): pair values are edge values of the all-pairs graph, which perm_linear also reads sets from.
  if (inputs.some((i) => i.domain === 'pair') || module.nodes.some((n) => n.op === 'perm_linear' || (n.type.kind === 'field' && n.type.domain === 'pair'))) {
    graphs.push({ id: PAIRS_GRAPH, kind: 'pairs', posInput: '', r: 0, spaceDim: 0 });
  }
  for (const n of module.nodes) {
    if (n.op === 'radius_graph') {
      const pos = module.inputs.find((i) => i.value === n.inputs[0]);
      if (!pos) throw new WgslPlanError(n, 'radius_graph needs positions that are a model input (the host builds the graph from them)');
      const cell = cellOf(n.inputs[1]);
      graphs.push({ id: n.id, posInput: pos.name, r: n.attrs.r, spaceDim: widthOf(pos.type), ...(cell ? { cellInput: cell } : {}) });
      continue;
    }
    if (n.type.kind === 'graph' || n.op === 'input') continue;
    const t = n.type;
    // Flows: grid2d rows are cells, like node rows; seq rows (frames) live in node-sized buffers.
    // S(n): pair rows are the edges of the all-pairs graph.
    const domain: RowDomain = t.kind === 'field' ? (t.domain === 'grid2d' || t.domain === 'seq' ? 'node' : t.domain === 'pair' ? 'edge' : t.domain) : 'node';
    if (t.kind === 'field' && t.domain === 'pair') graphOf.set(n.id, PAIRS_GRAPH);
    else if (domain === 'edge') {
      const g = n.op === 'edge_vectors' || n.op === 'gather' ? n.inputs[1] : n.inputs.map((i) => graphOf.get(i)).find((g) => g !== undefined);
      if (!g) throw new WgslPlanError(n, 'cannot tell which graph the edges of this value belong to');
      graphOf.set(n.id, g);
    }
    const g = graphOf.get(n.id);
    // A seq value's frames are size² cells of the grid: pool_space (and pool_velocity) carry the
    // size; other ops on sequences keep the frames of their input.
    let frameCells: number | undefined;
    if (t.kind === 'field' && t.domain === 'seq') {
      frameCells = n.op === 'pool_space' || n.op === 'pool_velocity' ? n.attrs.size ** 2 : n.inputs.map((i) => values.get(i)?.frameCells).find((c) => c !== undefined);
      if (frameCells === undefined) throw new WgslPlanError(n, 'a sequence value whose grid is unknown: none of its inputs is a sequence');
    }
    values.set(n.id, { id: n.id, domain, width: widthOf(t), ...(g ? { graph: g } : {}), ...(frameCells ? { frameCells } : {}) });
  }
  const value = (node: IRNode, id: ValueId): PlanValue => {
    const v = values.get(id);
    if (!v) throw new WgslPlanError(node, `input ${id} is not a feature value`);
    return v;
  };
  const shapeOf = (node: IRNode) => {
    const out = value(node, node.id);
    const x = node.inputs[0] ? values.get(node.inputs[0]) : undefined;
    return { domain: out.domain, ...(out.graph ? { graph: out.graph } : {}), dimIn: x?.width ?? 0, dimOut: out.width };
  };

  // ---- fusion: gather -> tensor product (uvu) -> scatter(sum) [-> scale] ----
  const fused = new Map<ValueId, ConvPattern>(); // keyed by the node at which the kernel is emitted
  const skip = new Set<ValueId>();
  if (style.conv === 'fused') {
    for (const s of module.nodes) {
      if (s.op !== 'scatter' || s.attrs.reduce !== 'sum') continue;
      const tp = byId.get(s.inputs[0]!);
      if (!tp || tp.op !== 'tensor_product' || !only(tp.id, s) || !convFusible(tp, module.tables)) continue;
      const g = byId.get(tp.inputs[0]!);
      if (!g || g.op !== 'gather' || g.inputs[1] !== s.inputs[1]) continue;
      const next = consumers.get(s.id) ?? [];
      const scale = next.length === 1 && next[0]!.op === 'scale' && !(next[0] as Extract<IRNode, { op: 'scale' }>).attrs.rowRamp && !outputs.has(s.id) ? (next[0] as Extract<IRNode, { op: 'scale' }>) : undefined;
      const pattern: ConvPattern = { gather: g, tp, scatter: s, ...(scale ? { scale } : {}) };
      fused.set((scale ?? s).id, pattern);
      skip.add(tp.id);
      if (scale) skip.add(s.id);
      if (only(g.id, tp)) skip.add(g.id);
    }
  }

  // ---- constant tables (float32, as the device reads them) ----
  const tables = new Map<string, PlanTable>();
  const table = (name: string, data: Float64Array) => {
    if (!tables.has(name)) tables.set(name, { name, length: data.length, data: encodeF32(data) });
  };

  // ---- PCA frames, computed by the host from a positions input ----
  const frameSteps: PlanFrames[] = [];

  // ---- kernels ----
  const drafts: KernelDraft[] = [];
  for (const node of module.nodes) {
    if (skip.has(node.id)) continue;
    // A value without components (`select(x, 0xV)`, an empty concatenation) has nothing to
    // compute: a row kernel over 0 components per row would divide the thread index by 0.
    if (values.get(node.id)?.width === 0) continue;
    const pattern = fused.get(node.id);
    if (pattern) {
      const graph = pattern.scatter.inputs[1]!;
      drafts.push(
        convKernel(pattern, module.tables, graph, {
          dim1: value(node, pattern.gather.inputs[0]!).width,
          dim2: value(node, pattern.tp.inputs[1]!).width,
          dimOut: value(node, node.id).width,
        }),
      );
      continue;
    }
    drafts.push(...nodeKernels(node));
  }

  function nodeKernels(node: IRNode): KernelDraft[] {
    switch (node.op) {
      case 'input':
      case 'radius_graph':
        return [];
      case 'edge_vectors':
        return [edgeVectorsKernel(node, node.inputs[1]!, value(node, node.inputs[0]!).width, node.inputs.length === 3)];
      case 'edge_lengths': {
        const s = shapeOf(node);
        return [edgeLengthsKernel(node, s.graph, s.dimIn, s.domain)];
      }
      case 'spherical_harmonics': {
        const s = shapeOf(node);
        return [sphericalHarmonicsKernel(node, s.graph, s.domain, s.dimOut)];
      }
      case 'circular_harmonics': {
        const s = shapeOf(node);
        return [circularHarmonicsKernel(node, s.graph, s.domain, s.dimOut)];
      }
      case 'cutoff_envelope': {
        const s = shapeOf(node);
        return [cutoffEnvelopeKernel(node, s.graph, s.domain)];
      }
      case 'radial_basis': {
        const s = shapeOf(node);
        return [radialBasisKernel(node, s.graph, s.domain)];
      }
      case 'frame_average':
        return frameAverageKernels(node);
      case 'radial_spline': {
        const s = shapeOf(node);
        return [radialSplineKernel(node, s.graph, s.domain, s.dimOut)];
      }
      case 'linear':
        return [linearKernel(node)];
      case 'mlp':
        return mlpKernels(node);
      case 'tensor_product': {
        const s = shapeOf(node);
        return [tensorProductKernel(node, module.tables, { domain: s.domain, ...(s.graph ? { graph: s.graph } : {}), dim1: s.dimIn, dim2: value(node, node.inputs[1]!).width, dimOut: s.dimOut }, style.tensorProduct)];
      }
      case 'activation': {
        const t = types.get(node.inputs[0]!);
        if (!t || t.kind !== 'field') throw new WgslPlanError(node, 'activation input must be a field');
        const blocks = blockLayout(t.rep).map((b) => ({ offset: b.offset, size: b.mul * b.dim }));
        return [activationKernel(node, blocks, shapeOf(node))];
      }
      case 'gate':
        return [gateKernel(node, shapeOf(node))];
      case 'norm':
        return [normKernel(node, shapeOf(node))];
      case 'symmetric_contraction':
        return [symmetricContractionKernel(node, shapeOf(node))];
      case 'layer_norm':
        return [layerNormKernel(node, shapeOf(node), node.params[0]!, node.params[1])];
      case 'batch_norm': {
        const [weight] = paramsOf(node, 'weight');
        const [runningVar] = paramsOf(node, 'running_var');
        if (!weight || !runningVar) throw new WgslPlanError(node, 'batch_norm needs its weight and running_var parameters');
        const [bias] = paramsOf(node, 'bias');
        const [runningMean] = paramsOf(node, 'running_mean');
        return [batchNormKernel(node, shapeOf(node), { weight, runningVar, ...(bias ? { bias } : {}), ...(runningMean ? { runningMean } : {}) })];
      }
      case 'dropout':
        return [dropoutKernel(node, shapeOf(node))];
      case 'norm_activation':
        return [normActivationKernel(node, shapeOf(node))];
      case 'sphere_activation': {
        const s = shapeOf(node);
        const m = sphereActMatrices(node.attrs);
        const names = sphereTableNames(node.attrs);
        table(names.toGrid, m.toGrid);
        table(names.fromGrid, m.fromGrid);
        const gridValue = `${node.id}.grid`;
        values.set(gridValue, { id: gridValue, domain: s.domain, width: m.G * node.attrs.mulOut, ...(s.graph ? { graph: s.graph } : {}) });
        const shape = { ...s, G: m.G, ...names, gridValue };
        return [sphereGridKernel(node, shape), sphereBackKernel(node, shape)];
      }
      case 'scale':
        return [scaleKernel(node, shapeOf(node))];
      case 'add':
        return [addKernel(node, shapeOf(node))];
      case 'scalar_mul':
        return [scalarMulKernel(node, shapeOf(node))];
      case 'select':
        return [selectKernel(node, shapeOf(node))];
      case 'concat': {
        const s = shapeOf(node);
        let offset = 0;
        return node.inputs.flatMap((id, part) => {
          const w = value(node, id).width;
          // An empty part contributes no columns.
          const k = w > 0 ? [concatPartKernel(node, part, offset, w, s)] : [];
          offset += w;
          return k;
        });
      }
      case 'gather':
        return [gatherKernel(node, node.inputs[1]!, value(node, node.inputs[0]!).width)];
      case 'scatter':
        return [scatterKernel(node, node.inputs[1]!, value(node, node.inputs[0]!).width)];
      case 'attention':
        return [attentionKernel(node, node.inputs[2]!, value(node, node.inputs[1]!).width)];
      case 'pool': {
        const t = types.get(node.inputs[0]!);
        if (t?.kind === 'field' && t.domain === 'pair') return [poolPairsKernel(node, value(node, node.inputs[0]!).width)];
        return [poolKernel(node, value(node, node.inputs[0]!).width)];
      }
      case 'perm_linear': {
        const [weightName] = paramsOf(node, 'weight');
        if (!weightName) throw new WgslPlanError(node, 'perm_linear has no weight parameter');
        const stats = setStatistics(node.attrs.from);
        if (!node.attrs.basis.some((m) => stats.includes(m.stat))) return [permLinearKernel(node, weightName, paramsOf(node, 'bias')[0])];
        // The input's means over each set, per node row, computed once (see permStatsKernel).
        const statsId = `${node.id}.stats`;
        values.set(statsId, { id: statsId, domain: 'node', width: stats.length * node.attrs.channelsIn });
        return [permStatsKernel(node, statsId), permLinearKernel(node, weightName, paramsOf(node, 'bias')[0], statsId)];
      }
      case 'flow_rnn':
        return [flowRnnKernel(node, WORKGROUP_SIZE, flowParams(node))];
      case 'conv2d':
        return [flowConv2dKernel(node, flowParams(node))];
      case 'pool_space':
        return [poolSpaceKernel(node, value(node, node.inputs[0]!).width)];
      case 'pool_velocity': {
        const t = types.get(node.inputs[0]!);
        if (!t || t.kind !== 'field' || node.type.kind !== 'field') throw new WgslPlanError(node, 'pool_velocity reduces a field');
        const domain = t.domain === 'grid2d' || t.domain === 'seq' ? t.domain : 'graph';
        return [poolVelocityKernel(node, domain, node.type.rep.dim)];
      }
      case 'pool_time':
        return [poolTimeKernel(node, value(node, node.inputs[0]!).width)];
      case 'grad':
      case 'stress':
        throw new WgslPlanError(node, `WGSL has no automatic differentiation: a module with \`${node.op}\` runs on --target ref or tfjs`);
      default: {
        const never: never = node;
        throw new WgslPlanError(undefined, `no WGSL kernel for op ${(never as IRNode).op}`);
      }
    }
  }

  function linearKernel(node: Extract<IRNode, { op: 'linear' }>): KernelDraft {
    const s = shapeOf(node);
    const inT = types.get(node.inputs[0]!);
    if (!inT || inT.kind !== 'field' || node.type.kind !== 'field') throw new WgslPlanError(node, 'linear maps fields');
    const inL = blockLayout(inT.rep);
    const outL = blockLayout(node.type.rep);
    const groups: DenseGroup[] = outL.map((bo, iOut) => {
      const bias = node.attrs.bias?.blocks.find((b) => b.iOut === iOut);
      return {
        outOffset: bo.offset,
        mulOut: bo.mul,
        dim: bo.dim,
        paths: node.attrs.paths
          .filter((p) => p.iOut === iOut && inL[p.iIn]!.mul > 0)
          .map((p) => ({ xOffset: inL[p.iIn]!.offset, mulIn: inL[p.iIn]!.mul, wOffset: p.weightOffset, factor: p.factor, dimIn: inL[p.iIn]!.dim, ...(p.basis ? { basis: p.basis } : {}) })),
        ...(bias ? { biasOffset: bias.offset } : {}),
      };
    });
    const spec: DenseSpec = { dimIn: s.dimIn, dimOut: s.dimOut, groups: groups.filter((g) => g.mulOut > 0 && g.dim > 0), hasBias: node.attrs.bias !== null, style: style.linear };
    const code = denseCode(spec);
    const [weightName] = paramsOf(node, 'weight');
    const [biasName] = paramsOf(node, 'bias');
    const bindings = denseBindings(
      bind('x', valueRef(node.inputs[0]!), 'read', 'rows', s.dimIn),
      node.attrs.weightNumel > 0 && weightName ? bind('w', paramRef(weightName), 'read', 'whole', 1) : undefined,
      node.attrs.bias && biasName ? bind('bias', paramRef(biasName), 'read', 'whole', 1) : undefined,
      bind('y', valueRef(node.id), 'read_write', 'rows', s.dimOut),
    );
    return {
      op: 'linear',
      nodes: [node],
      bindings,
      body: code.body,
      domain: s.domain,
      ...(s.graph ? { graph: s.graph } : {}),
      threadsPerGroup: code.threadsPerGroup,
      rowsPerGroup: code.rowsPerGroup,
      summary: `linear ${inT.rep.text} -> ${node.type.rep.text} (${style.linear === 'blocked' ? 'register-blocked 4 rows x 4 copies' : 'naive'})`,
    };
  }

  /**
   * Frame averaging: the host's frames (coords, rotations), the MLP's input in every frame, its
   * layers over all frames of a row at once (dense layers whose frames are blocks of one shared
   * weight), and the average.
   */
  function frameAverageKernels(node: Extract<IRNode, { op: 'frame_average' }>): KernelDraft[] {
    const pos = module.inputs.find((i) => i.value === node.inputs[0]);
    if (!pos) throw new WgslPlanError(node, 'frame_average needs positions that are a model input (the host computes the PCA frames from them)');
    const F = node.attrs.frames;
    const k = value(node, node.inputs[1]!).width;
    const fv = { coords: `${node.id}.frameCoords`, rotations: `${node.id}.frames`, input: `${node.id}.in`, output: `${node.id}.out` };
    const nodeValue = (id: string, width: number) => values.set(id, { id, domain: 'node', width });
    nodeValue(fv.coords, 3 * F);
    nodeValue(fv.rotations, 9 * F);
    frameSteps.push({ node: node.id, source: `${node.source.file}:${node.source.line}`, posInput: pos.name, frames: F, tolerance: node.attrs.tolerance, coords: fv.coords, rotations: fv.rotations });
    const sizes = node.attrs.sizes;
    nodeValue(fv.input, F * sizes[0]!);
    const out: KernelDraft[] = [frameInKernel(node, fv, k)];
    let input = fv.input;
    for (let l = 0; l + 1 < sizes.length; l++) {
      const K = sizes[l]!;
      const N = sizes[l + 1]!;
      const last = l + 2 === sizes.length;
      const target = last ? fv.output : `${node.id}.h${l + 1}`;
      nodeValue(target, F * N);
      const spec: DenseSpec = {
        dimIn: F * K,
        dimOut: F * N,
        groups: Array.from({ length: F }, (_, f) => ({ outOffset: f * N, mulOut: N, dim: 1, paths: [{ xOffset: f * K, mulIn: K, wOffset: 0, factor: 1 / Math.sqrt(K) }] })),
        ...(last ? {} : { act: node.attrs.act }),
        hasBias: false,
        style: style.linear,
      };
      const code = denseCode(spec);
      out.push({
        op: `frame_mlp${l}`,
        nodes: [node],
        bindings: denseBindings(bind('x', valueRef(input), 'read', 'rows', F * K), bind('w', paramRef(node.params[l]!), 'read', 'whole', 1), undefined, bind('y', valueRef(target), 'read_write', 'rows', F * N)),
        body: code.body,
        domain: 'node',
        threadsPerGroup: code.threadsPerGroup,
        rowsPerGroup: code.rowsPerGroup,
        summary: `frame averaging's MLP layer ${l} of ${sizes.length - 1}: ${K} -> ${N}${last ? '' : `, ${node.attrs.act.act}`}, in each of ${F} frames`,
      });
      input = target;
    }
    out.push(frameOutKernel(node, fv));
    return out;
  }

  function mlpKernels(node: Extract<IRNode, { op: 'mlp' }>): KernelDraft[] {
    const s = shapeOf(node);
    const sizes = node.attrs.sizes;
    const out: KernelDraft[] = [];
    let input = node.inputs[0]!;
    for (let l = 0; l + 1 < sizes.length; l++) {
      const K = sizes[l]!;
      const N = sizes[l + 1]!;
      const last = l + 2 === sizes.length;
      const target = last ? node.id : `${node.id}.h${l + 1}`;
      if (!last) values.set(target, { id: target, domain: s.domain, width: N, ...(s.graph ? { graph: s.graph } : {}) });
      // e3nn FullyConnectedNet: x @ (W / sqrt(h_in)), then the normalized activation except after the last layer.
      const spec: DenseSpec = {
        dimIn: K,
        dimOut: N,
        groups: [{ outOffset: 0, mulOut: N, dim: 1, paths: [{ xOffset: 0, mulIn: K, wOffset: 0, factor: 1 / Math.sqrt(K) }] }],
        ...(last ? {} : { act: node.attrs.act }),
        hasBias: false,
        style: style.linear,
      };
      const code = denseCode(spec);
      out.push({
        op: `mlp${l}`,
        nodes: [node],
        bindings: denseBindings(bind('x', valueRef(input), 'read', 'rows', K), bind('w', paramRef(node.params[l]!), 'read', 'whole', 1), undefined, bind('y', valueRef(target), 'read_write', 'rows', N)),
        body: code.body,
        domain: s.domain,
        ...(s.graph ? { graph: s.graph } : {}),
        threadsPerGroup: code.threadsPerGroup,
        rowsPerGroup: code.rowsPerGroup,
        summary: `MLP layer ${l} of ${sizes.length - 1}: ${K} -> ${N}${last ? '' : `, ${node.attrs.act.act}`} (${style.linear === 'blocked' ? 'register-blocked 4x4' : 'naive'})`,
      });
      input = target;
    }
    return out;
  }

  const width = String(drafts.length - 1).length;
  const kernels: PlanKernel[] = drafts.map((d, i) => {
    const name = `k${String(i).padStart(Math.max(2, width), '0')}_${d.op}`;
    const last = d.nodes[d.nodes.length - 1]!;
    const code = kernelSource(header(name, d.nodes, d.summary), d.bindings, WORKGROUP_SIZE, d.body, d.extra);
    return {
      name,
      nodes: d.nodes.map((n) => n.id),
      source: `${last.source.file}:${last.source.line}`,
      code,
      bindings: d.bindings,
      domain: d.domain,
      ...(d.graph ? { graph: d.graph } : {}),
      ...(d.segmentPtr ? { segmentPtr: d.segmentPtr } : {}),
      threadsPerGroup: d.threadsPerGroup,
      rowsPerGroup: d.rowsPerGroup,
      workgroupSize: WORKGROUP_SIZE,
      summary: d.summary,
    };
  });

  const gatedWeights = new Map<string, NonNullable<PlanParam['gated']>>();
  for (const n of module.nodes) {
    if (n.op !== 'tensor_product' || !n.attrs.gated) continue;
    const [weight, gate, mask] = n.params;
    if (weight && gate && mask) gatedWeights.set(weight, { gate, mask, paths: n.attrs.paths.map((p) => ({ weightOffset: p.weightOffset, weightShape: p.weightShape })) });
  }
  const params: PlanParam[] = module.params.map((p) => ({ name: p.name, numel: p.shape.reduce((a, b) => a * b, 1), ...(gatedWeights.has(p.name) ? { gated: gatedWeights.get(p.name)! } : {}) }));
  const usedValues = new Set<string>();
  for (const k of kernels) for (const b of k.bindings) if (b.buffer.kind === 'value') usedValues.add(b.buffer.id);
  for (const o of module.outputs) usedValues.add(o.value);
  for (const i of inputs) usedValues.add(i.value);
  for (const o of module.outputs) {
    if (!values.has(o.value)) throw new WgslPlanError(undefined, `output ${o.name} is not a feature value`);
  }
  return {
    format: 'eqv-wgsl-plan',
    version: 1,
    model: module.model,
    source: module.source,
    inputs,
    io: { inputs: module.inputs, group: module.group },
    outputs: module.outputs.map((o) => ({ name: o.name, value: o.value })),
    values: [...values.values()].filter((v) => usedValues.has(v.id)),
    params,
    graphs,
    ...(tables.size > 0 ? { tables: [...tables.values()] } : {}),
    ...(frameSteps.length > 0 ? { frames: frameSteps } : {}),
    kernels,
    maxStorageBuffers: Math.max(0, ...kernels.map((k) => k.bindings.length)),
    maxWorkgroupSize: WORKGROUP_SIZE,
  };
}
