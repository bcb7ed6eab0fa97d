// Normalizations computed from the training set, so that nobody types them (MACE computes the
// same before training): parameters whose IR entry has a `statistic` (docs/formats.md, "Statistics of the data").
//   avg_neighbors   1/sqrt(mean number of incoming edges per node) of the conv's graph, over
//                   every node of the training set (`conv(..., avg_neighbors = data)`);
//   species_shift   per-species energies E0: least squares of the graph energies on the
//                   species counts, E_g ≈ Σ_s n_gs E0_s (MACE's E0s "average");
//   species_scale   per species, the RMS of the force components on atoms of that species
//                   (MACE's scale: RMS forces); without forces, the RMS of the residual energy
//                   per atom, (E_g - Σ_s n_gs E0_s) / n_g, weighted by n_gs.
// The trainers set them before the first step, keep them fixed, and save them in the weights
// file with every other parameter.

import type { IRModule, IRNode, ValueId } from '../../ir/types.js';
import { evaluateAll } from '../ref/evaluate.js';
import { initialParams } from './params.js';
import type { RuntimeBatch } from './inputs.js';
import { concatEdges, type GraphEdges } from './edges.js';
import type { NeighbourGraph } from './neighbours.js';

/** One training graph as the trainers hold it (targets/tfjs/train.ts's `Example`): inputs by name, flat and row-major (species one-hot). */
export interface StatisticsExample {
  readonly nodes: number;
  readonly inputs: Readonly<Record<string, Float64Array>>;
  /** Regression targets (flat rows), or a class index per graph for cross-entropy. */
  readonly targets: Readonly<Record<string, Float64Array>>;
  /** Optional per-node forces (nodes x 3) for force matching. */
  readonly forces?: Float64Array;
  /** Graph inputs (`in bonds: graph`) by name: the given edges, node indices local to the graph (targets/io/edges.ts). */
  readonly graphs?: Readonly<Record<string, GraphEdges>>;
}

export interface DataStatistics {
  /** Parameter values by name. */
  readonly values: Map<string, Float64Array>;
  /** One line per parameter set, for the training log. */
  readonly report: string[];
}

/** The batch of all examples (statistics read the graphs, so all at once). */
function batchOf(module: IRModule, examples: readonly StatisticsExample[]): RuntimeBatch {
  const graphPtr = new Int32Array(examples.length + 1);
  examples.forEach((e, g) => (graphPtr[g + 1] = graphPtr[g]! + e.nodes));
  const numNodes = graphPtr[examples.length]!;
  const nodeGraph = new Int32Array(numNodes);
  for (let g = 0; g < examples.length; g++) nodeGraph.fill(g, graphPtr[g]!, graphPtr[g + 1]!);
  const values = new Map<string, Float64Array>();
  const edges = new Map<string, NeighbourGraph>();
  for (const input of module.inputs) {
    if (input.type.kind === 'graph') {
      // Given edges (bonds): avg_neighbors counts them as it counts a radius graph's.
      edges.set(input.name, concatEdges(examples.map((e) => e.graphs?.[input.name] ?? { src: [], dst: [] }), graphPtr));
      continue;
    }
    const parts = examples.map((e) => e.inputs[input.name] ?? new Float64Array(0));
    const data = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
    let o = 0;
    for (const p of parts) {
      data.set(p, o);
      o += p.length;
    }
    values.set(input.name, data);
  }
  return { numGraphs: examples.length, numNodes, graphPtr, nodeGraph, values, wrapped: true, ...(edges.size > 0 ? { edges } : {}) };
}

/** Solve A x = b (n x n, row-major) by Gaussian elimination with partial pivoting. */
function solve(A: Float64Array, b: Float64Array, n: number): Float64Array {
  const M = Float64Array.from(A);
  const x = Float64Array.from(b);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r * n + c]!) > Math.abs(M[p * n + c]!)) p = r;
    if (p !== c) {
      for (let k = 0; k < n; k++) [M[c * n + k], M[p * n + k]] = [M[p * n + k]!, M[c * n + k]!];
      [x[c], x[p]] = [x[p]!, x[c]!];
    }
    const d = M[c * n + c]!;
    for (let r = c + 1; r < n; r++) {
      const f = M[r * n + c]! / d;
      if (f === 0) continue;
      for (let k = c; k < n; k++) M[r * n + k]! -= f * M[c * n + k]!;
      x[r]! -= f * x[c]!;
    }
  }
  for (let c = n - 1; c >= 0; c--) {
    let s = x[c]!;
    for (let k = c + 1; k < n; k++) s -= M[c * n + k]! * x[k]!;
    x[c] = s / M[c * n + c]!;
  }
  return x;
}

/** The species input a per-species parameter's node reads (its linear's input). */
function speciesInputOf(module: IRModule, node: IRNode): { name: string; species: number } | undefined {
  const id = node.inputs[0];
  const input = module.inputs.find((i) => i.value === id && i.species !== undefined);
  return input && { name: input.name, species: input.species! };
}

/** The energy: the graph output of one number that the examples give targets for. */
function energyOutput(module: IRModule, examples: readonly StatisticsExample[]): string | undefined {
  return module.outputs.find((o) => o.type.kind === 'field' && o.type.domain === 'graph' && o.type.rep.dim === 1 && examples.every((e) => e.targets[o.name]))?.name;
}

/** Every statistic parameter of the module from the examples; parameters it cannot compute keep their initial values and say why. */
export function computeStatistics(module: IRModule, examples: readonly StatisticsExample[]): DataStatistics {
  const values = new Map<string, Float64Array>();
  const report: string[] = [];
  const wanted = module.params.filter((p) => p.statistic);
  if (wanted.length === 0 || examples.length === 0) return { values, report };
  const nodeOf = new Map<ValueId, IRNode>(module.nodes.map((n) => [n.id, n]));

  // avg_neighbors: evaluate only what the graphs need (a module without outputs, the graph nodes and their ancestors).
  const neighbour = wanted.filter((p) => p.statistic === 'avg_neighbors');
  if (neighbour.length > 0) {
    const graphs = new Map<string, ValueId>();
    for (const p of neighbour) {
      const scatter = nodeOf.get(nodeOf.get(p.node)!.inputs[0]!);
      if (scatter?.op === 'scatter') graphs.set(p.name, scatter.inputs[1]!);
    }
    const keep = new Set<ValueId>();
    const stack = [...graphs.values(), ...module.inputs.map((i) => i.value)];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (keep.has(id)) continue;
      keep.add(id);
      for (const i of nodeOf.get(id)?.inputs ?? []) stack.push(i);
    }
    const sub: IRModule = { ...module, outputs: [], nodes: module.nodes.filter((n) => keep.has(n.id)), params: [] };
    const batch = batchOf(module, examples);
    const all = evaluateAll(sub, batch, initialParams(sub, 0));
    for (const p of neighbour) {
      const g = all.get(graphs.get(p.name)!);
      if (!g || g.kind !== 'graph' || batch.numNodes === 0) {
        report.push(`${p.name}: no graph found; left at 1`);
        continue;
      }
      const avg = g.graph.src.length / batch.numNodes;
      values.set(p.name, Float64Array.of(avg > 0 ? 1 / Math.sqrt(avg) : 1));
      report.push(`${p.name}: ${avg.toPrecision(6)} neighbours per node on average (messages divided by ${Math.sqrt(avg).toPrecision(6)})`);
    }
  }

  const shifts = wanted.filter((p) => p.statistic === 'species_shift');
  const scales = wanted.filter((p) => p.statistic === 'species_scale');
  if (shifts.length + scales.length === 0) return { values, report };
  const energy = energyOutput(module, examples);
  for (const p of [...shifts, ...scales]) {
    const z = speciesInputOf(module, nodeOf.get(p.node)!);
    if (!z) {
      report.push(`${p.name}: its node reads no species input; left at its initial value`);
      continue;
    }
    const K = z.species;
    const counts = examples.map((e) => {
      const c = new Float64Array(K);
      const v = e.inputs[z.name]!;
      for (let i = 0; i < v.length; i++) c[i % K]! += v[i]!;
      return c;
    });
    // Least squares of the energies on the counts; a small ridge keeps absent species at 0.
    let E0: Float64Array = new Float64Array(K);
    if (energy) {
      const A = new Float64Array(K * K);
      const b = new Float64Array(K);
      examples.forEach((e, g) => {
        const c = counts[g]!;
        for (let s = 0; s < K; s++) {
          b[s]! += c[s]! * e.targets[energy]![0]!;
          for (let t = 0; t < K; t++) A[s * K + t]! += c[s]! * c[t]!;
        }
      });
      let trace = 0;
      for (let s = 0; s < K; s++) trace += A[s * K + s]!;
      for (let s = 0; s < K; s++) A[s * K + s]! += 1e-10 * Math.max(trace, 1);
      E0 = solve(A, b, K);
    }
    if (p.statistic === 'species_shift') {
      if (!energy) {
        report.push(`${p.name}: the examples have no energy target (a graph output of one number); left at 0`);
        continue;
      }
      values.set(p.name, E0);
      report.push(`${p.name}: E0 per species [${[...E0].map((v) => v.toPrecision(6)).join(', ')}] (least squares of ${energy} on the species counts)`);
      continue;
    }
    const sum = new Float64Array(K);
    const weight = new Float64Array(K);
    const withForces = examples.every((e) => e.forces);
    examples.forEach((e, g) => {
      const v = e.inputs[z.name]!;
      if (withForces) {
        const d = e.forces!.length / e.nodes;
        for (let i = 0; i < e.nodes; i++) {
          const s = v.subarray(i * K, i * K + K).indexOf(1);
          for (let k = 0; k < d; k++) sum[s]! += e.forces![i * d + k]! ** 2;
          weight[s]! += d;
        }
      } else if (energy) {
        const c = counts[g]!;
        let fit = 0;
        for (let s = 0; s < K; s++) fit += c[s]! * E0[s]!;
        const perAtom = (e.targets[energy]![0]! - fit) / Math.max(1, e.nodes);
        for (let s = 0; s < K; s++) {
          sum[s]! += c[s]! * perAtom * perAtom;
          weight[s]! += c[s]!;
        }
      }
    });
    const total = Math.sqrt(sum.reduce((a, b) => a + b, 0) / Math.max(1e-300, weight.reduce((a, b) => a + b, 0)));
    const scale = Float64Array.from(sum, (s, k) => (weight[k]! > 0 && s > 0 ? Math.sqrt(s / weight[k]!) : total > 0 ? total : 1));
    values.set(p.name, scale);
    report.push(`${p.name}: scale per species [${[...scale].map((v) => v.toPrecision(6)).join(', ')}] (RMS of the ${withForces ? 'force components' : 'residual energy per atom'})`);
  }
  return { values, report };
}
