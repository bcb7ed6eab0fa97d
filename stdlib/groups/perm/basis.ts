// The permutation-equivariant linear maps between orders 0 (graph), 1 (node) and 2 (pair), as
// in Maron et al. 2019, "Invariant and equivariant graph networks": the space of maps from
// order k to order l has dimension bell(k + l) (node -> node 2, node -> pair 5, pair -> node 5,
// pair -> pair 15, graph -> node 1, node -> graph 1, graph -> pair 2, pair -> graph 2).
//
// Each map is a statistic of the input (itself, its transpose, its diagonal, row or column
// means, the trace or overall mean) placed on the output domain (on its own rows, broadcast,
// on the diagonal, along rows or columns). Aggregations are means, not sums, so a layer's
// output stays O(1) whatever the set size. `applyBasisMap` is the float64 definition the
// reference evaluator runs and the tests check (equivariance, independence) exactly.

import type { PermBasisMap, PermPlacement, PermStatistic } from '../../../ir/types.js';

export type Order = 'graph' | 'node' | 'pair';

const STATS: Record<Order, readonly PermStatistic[]> = {
  graph: ['x'],
  node: ['x', 'mean'],
  pair: ['x', 'transpose', 'diagonal', 'row_mean', 'col_mean', 'trace_mean', 'mean'],
};

/** The domain a statistic of an input of order `from` lives on. */
export function statDomain(stat: PermStatistic, from: Order): Order {
  if (stat === 'x') return from;
  if (stat === 'transpose') return 'pair';
  if (stat === 'mean' || stat === 'trace_mean') return 'graph';
  return 'node';
}

/** How a statistic on `at` can be placed on `to` equivariantly. */
function placements(at: Order, to: Order): readonly PermPlacement[] {
  if (at === to) return ['same'];
  if (at === 'graph' && to === 'node') return ['broadcast'];
  if (at === 'graph' && to === 'pair') return ['broadcast', 'diagonal'];
  if (at === 'node' && to === 'pair') return ['diagonal', 'row', 'col'];
  // Lower orders are reached only through the statistics (means), not by placement.
  return [];
}

/** Every basis map from order `from` to order `to`, in a fixed order. */
export function permBasis(from: Order, to: Order): PermBasisMap[] {
  const out: PermBasisMap[] = [];
  for (const stat of STATS[from]) for (const place of placements(statDomain(stat, from), to)) out.push({ stat, place });
  return out;
}

/** The invariant biases of an output order: constants on every row, and on pairs also on the diagonal. */
export function permBiases(to: Order): ('broadcast' | 'diagonal')[] {
  return to === 'pair' ? ['broadcast', 'diagonal'] : ['broadcast'];
}

/** Rows of one graph of n nodes on a domain. */
export function rowsPerGraph(order: Order, n: number): number {
  return order === 'graph' ? 1 : order === 'node' ? n : n * n;
}

/**
 * One basis map on one graph of n nodes, for `c` channels: x is (rowsPerGraph(from, n), c)
 * row-major, the result (rowsPerGraph(to, n), c). Pair rows are i * n + j.
 */
export function applyBasisMap(map: PermBasisMap, from: Order, to: Order, n: number, c: number, x: Float64Array): Float64Array {
  const at = statDomain(map.stat, from);
  const s = statistic(map.stat, from, n, c, x);
  const y = new Float64Array(rowsPerGraph(to, n) * c);
  const put = (row: number, srcRow: number) => {
    for (let u = 0; u < c; u++) y[row * c + u] = s[srcRow * c + u]!;
  };
  switch (map.place) {
    case 'same':
      y.set(s);
      break;
    case 'broadcast':
      for (let r = 0; r < rowsPerGraph(to, n); r++) put(r, 0);
      break;
    case 'diagonal':
      for (let i = 0; i < n; i++) put(i * n + i, at === 'graph' ? 0 : i);
      break;
    case 'row':
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) put(i * n + j, i);
      break;
    case 'col':
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) put(i * n + j, j);
      break;
  }
  return y;
}

/** A statistic of x (see PermStatistic), on the domain statDomain(stat, from). */
export function statistic(stat: PermStatistic, from: Order, n: number, c: number, x: Float64Array): Float64Array {
  const at = (i: number, j: number, u: number) => x[(i * n + j) * c + u]!;
  switch (stat) {
    case 'x':
      return Float64Array.from(x);
    case 'transpose': {
      const y = new Float64Array(n * n * c);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let u = 0; u < c; u++) y[(i * n + j) * c + u] = at(j, i, u);
      return y;
    }
    case 'diagonal': {
      const y = new Float64Array(n * c);
      for (let i = 0; i < n; i++) for (let u = 0; u < c; u++) y[i * c + u] = at(i, i, u);
      return y;
    }
    case 'row_mean':
    case 'col_mean': {
      const y = new Float64Array(n * c);
      for (let i = 0; i < n; i++) {
        for (let u = 0; u < c; u++) {
          let acc = 0;
          for (let j = 0; j < n; j++) acc += stat === 'row_mean' ? at(i, j, u) : at(j, i, u);
          y[i * c + u] = acc / n;
        }
      }
      return y;
    }
    case 'trace_mean': {
      const y = new Float64Array(c);
      for (let u = 0; u < c; u++) {
        let acc = 0;
        for (let i = 0; i < n; i++) acc += at(i, i, u);
        y[u] = acc / n;
      }
      return y;
    }
    case 'mean': {
      const rows = rowsPerGraph(from, n);
      const y = new Float64Array(c);
      for (let r = 0; r < rows; r++) for (let u = 0; u < c; u++) y[u] += x[r * c + u]!;
      for (let u = 0; u < c; u++) y[u] /= rows;
      return y;
    }
  }
}

/** A short description for docs and explain: `mean_j x_ij on (i, j)`. */
export function describeBasisMap(map: PermBasisMap, from: Order): string {
  const s: Record<PermStatistic, string> = {
    x: from === 'pair' ? 'x_ij' : from === 'node' ? 'x_i' : 'x',
    transpose: 'x_ji',
    diagonal: 'x_ii',
    row_mean: 'mean_j x_ij',
    col_mean: 'mean_j x_ji',
    trace_mean: 'mean_i x_ii',
    mean: from === 'pair' ? 'mean_ij x_ij' : 'mean_i x_i',
  };
  const p: Record<PermPlacement, string> = { same: '', broadcast: ' everywhere', diagonal: ' on the diagonal', row: ' along row i', col: ' along column j' };
  return `${s[map.stat]}${p[map.place]}`;
}
