// The S(n) basis maps (stdlib/groups/perm/basis.ts): the dimensions bell(k + l) of Maron et al.
// 2019, each map exactly equivariant under random permutations of the nodes (pairs permuted on
// both indices), and the maps of each order pair linearly independent (rank = count) for a set
// large enough (n = 5).
import { describe, expect, it } from 'vitest';
import { applyBasisMap, permBasis, permBiases, rowsPerGraph, type Order } from '../../../stdlib/groups/perm/basis.js';
import { createRng } from '../../../stdlib/math/random.js';

const ORDERS: Order[] = ['graph', 'node', 'pair'];
const BELL = [1, 1, 2, 5, 15];
const degree = (o: Order) => (o === 'graph' ? 0 : o === 'node' ? 1 : 2);

/** Values on a domain moved by a node permutation: row i -> perm[i], pair (i, j) -> (perm[i], perm[j]). */
function permute(order: Order, n: number, c: number, x: Float64Array, perm: number[]): Float64Array {
  const y = new Float64Array(x.length);
  for (let r = 0; r < rowsPerGraph(order, n); r++) {
    const to = order === 'graph' ? 0 : order === 'node' ? perm[r]! : perm[Math.floor(r / n)]! * n + perm[r % n]!;
    for (let u = 0; u < c; u++) y[to * c + u] = x[r * c + u]!;
  }
  return y;
}

function randomPermutation(n: number, rng: ReturnType<typeof createRng>): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let k = n - 1; k > 0; k--) {
    const j = rng.int(k + 1);
    [p[k], p[j]] = [p[j]!, p[k]!];
  }
  return p;
}

/** Rank of a row-major (rows x cols) matrix by Gaussian elimination with partial pivoting. */
function rank(m: number[][]): number {
  const a = m.map((r) => [...r]);
  let r = 0;
  for (let c = 0; c < (a[0]?.length ?? 0) && r < a.length; c++) {
    let p = r;
    for (let i = r + 1; i < a.length; i++) if (Math.abs(a[i]![c]!) > Math.abs(a[p]![c]!)) p = i;
    if (Math.abs(a[p]![c]!) < 1e-9) continue;
    [a[r], a[p]] = [a[p]!, a[r]!];
    for (let i = r + 1; i < a.length; i++) {
      const f = a[i]![c]! / a[r]![c]!;
      for (let k = c; k < a[i]!.length; k++) a[i]![k]! -= f * a[r]![k]!;
    }
    r++;
  }
  return r;
}

describe('S(n) equivariant linear maps', () => {
  it('has bell(k + l) basis maps between orders k and l', () => {
    const counts = Object.fromEntries(ORDERS.flatMap((f) => ORDERS.map((t) => [`${f}->${t}`, permBasis(f, t).length])));
    expect(counts).toEqual({
      'graph->graph': 1,
      'graph->node': 1,
      'graph->pair': 2,
      'node->graph': 1,
      'node->node': 2,
      'node->pair': 5,
      'pair->graph': 2,
      'pair->node': 5,
      'pair->pair': 15,
    });
    for (const f of ORDERS) for (const t of ORDERS) expect(permBasis(f, t).length).toBe(BELL[degree(f) + degree(t)]);
    expect(permBiases('pair')).toEqual(['broadcast', 'diagonal']);
    expect(permBiases('node')).toEqual(['broadcast']);
  });

  it('commutes with random permutations, exactly, for every basis map', () => {
    const rng = createRng(11);
    const c = 2;
    for (const n of [1, 2, 5, 7]) {
      for (const from of ORDERS) {
        for (const to of ORDERS) {
          for (const map of permBasis(from, to)) {
            for (let trial = 0; trial < 3; trial++) {
              const x = Float64Array.from({ length: rowsPerGraph(from, n) * c }, () => rng.normal());
              const perm = randomPermutation(n, rng);
              const a = applyBasisMap(map, from, to, n, c, permute(from, n, c, x, perm));
              const b = permute(to, n, c, applyBasisMap(map, from, to, n, c, x), perm);
              let err = 0;
              for (let i = 0; i < a.length; i++) err = Math.max(err, Math.abs(a[i]! - b[i]!));
              expect(err, `${from}->${to} ${map.stat}/${map.place}, n = ${n}`).toBeLessThan(1e-12);
            }
          }
        }
      }
    }
  });

  it('changes under a permutation when it should (the check can fail)', () => {
    // A non-equivariant "map": reading row 0 only. Permuting moves the result.
    const n = 4;
    const x = Float64Array.from({ length: n }, (_, i) => i + 1);
    const first = (v: Float64Array) => Float64Array.from(v, () => v[0]!);
    const perm = [1, 0, 2, 3];
    expect(first(permute('node', n, 1, x, perm))).not.toEqual(permute('node', n, 1, first(x), perm));
  });

  it('is linearly independent: the maps as matrices have full rank for n = 5', () => {
    const n = 5;
    for (const from of ORDERS) {
      for (const to of ORDERS) {
        const basis = permBasis(from, to);
        const rowsIn = rowsPerGraph(from, n);
        // Each map as its flattened (rowsOut x rowsIn) matrix, from its images of unit vectors.
        const flat = basis.map((map) => {
          const cols: number[] = [];
          for (let k = 0; k < rowsIn; k++) {
            const e = new Float64Array(rowsIn);
            e[k] = 1;
            cols.push(...applyBasisMap(map, from, to, n, 1, e));
          }
          return cols;
        });
        expect(rank(flat), `${from}->${to}`).toBe(basis.length);
      }
    }
  });

  it('keeps means of O(1) inputs O(1): the mean statistics of a constant set are the constant', () => {
    for (const n of [1, 3, 50]) {
      const x = new Float64Array(n * n).fill(2);
      for (const map of permBasis('pair', 'graph')) expect(applyBasisMap(map, 'pair', 'graph', n, 1, x)[0]).toBeCloseTo(2, 12);
    }
  });
});
