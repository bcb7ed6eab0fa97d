// Readable basis maps: the equivariant maps between tensor representations of equal det power
// are spanned by index contractions (the first fundamental theorem of invariant theory for
// GL(n)): W ∈ T(r,s) ⊗ T(p,q)* pairs each of its r + q upper-type slots (output upper, input
// lower) with one of its s + p lower-type slots (input upper, output lower) by a Kronecker δ.
// equivariantMaps.ts returns an independent subset of these pairings (the identity, trace·I,
// the swap, ...) directly, without solving the Lie-algebra constraints.

import type { TensorAtom } from './tensorRep.js';

function permutations(m: number): number[][] {
  if (m === 0) return [[]];
  const out: number[][] = [];
  for (const rest of permutations(m - 1)) {
    for (let pos = rest.length; pos >= 0; pos--) out.push([...rest.slice(0, pos), m - 1, ...rest.slice(pos)]);
  }
  // Lexicographic order puts the identity pairing (the identity map when from = to) first.
  return out.sort((a, b) => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
    return 0;
  });
}

/** Every δ-pairing map from `from` to `to` (same det power), as (to.dim x from.dim) row-major. */
export function contractionMaps(from: TensorAtom, to: TensorAtom): Float64Array[] {
  const n = from.n;
  const m = to.p + from.q;
  if (m !== to.q + from.p || from.k !== to.k) return [];
  // Slot positions: upper-type = output upper slots then input lower slots; lower-type = input
  // upper slots then output lower slots. A slot is [side, index within that side's multi-index].
  const upper: [0 | 1, number][] = [...Array.from({ length: to.p }, (_, i) => [0, i] as [0, number]), ...Array.from({ length: from.q }, (_, j) => [1, from.p + j] as [1, number])];
  const lower: [0 | 1, number][] = [...Array.from({ length: from.p }, (_, i) => [1, i] as [1, number]), ...Array.from({ length: to.q }, (_, j) => [0, to.p + j] as [0, number])];
  const maps: Float64Array[] = [];
  for (const sigma of permutations(m)) {
    const data = new Float64Array(to.dim * from.dim);
    const outIdx = new Array<number>(to.rank).fill(0);
    const inIdx = new Array<number>(from.rank).fill(0);
    for (let assign = 0; assign < n ** m; assign++) {
      let a = assign;
      for (let u = m - 1; u >= 0; u--) {
        const v = a % n;
        a = Math.floor(a / n);
        const [us, ui] = upper[u]!;
        const [ls, li] = lower[sigma[u]!]!;
        (us === 0 ? outIdx : inIdx)[ui] = v;
        (ls === 0 ? outIdx : inIdx)[li] = v;
      }
      let r = 0;
      for (const i of outIdx) r = r * n + i;
      let c = 0;
      for (const i of inIdx) c = c * n + i;
      data[r * from.dim + c] = 1;
    }
    maps.push(data);
  }
  return maps;
}
