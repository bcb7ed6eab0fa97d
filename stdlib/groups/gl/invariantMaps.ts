// Equivariant maps built from the invariant theory instead of solved for. A map W: T(p,q)det^k
// -> T(r,s)det^l is an invariant tensor with U = r + q upper-type slots (output upper, input
// lower) and L = s + p lower-type ones. By the first fundamental theorem for SL(n), such
// invariants are spanned by products of Kronecker δ's (each pairing an upper-type slot with a
// lower-type one) and Levi-Civita ε's (each taking n slots of one type); a product holding an
// upper and a lower ε is a sum of δ-products (det of a δ matrix), so every ε sits on the
// larger side, (U - L)/n of them. GL+(n) = SL(n)·R₊, and scalars act on W by c^(degree
// difference), so for equal degrees the same tensors span the GL+(n) maps (the det powers
// only decide how many ε's there are). Which of the candidates are independent is decided
// exactly, on their integer Gram matrix (see exactIndependent), never by a float threshold:
// the float64 null-space solver loses solutions of rank-4 systems, this never does.

import type { TensorAtom } from './tensorRep.js';

type Slot = readonly [side: 0 | 1, pos: number];

/** The ways to cut `items` into groups of `size` (each group increasing, groups ordered by their first item) plus the rest. */
function groupings(items: readonly number[], groups: number, size: number): { groups: number[][]; rest: number[] }[] {
  if (groups === 0) return [{ groups: [], rest: [...items] }];
  const out: { groups: number[][]; rest: number[] }[] = [];
  // The first group takes the smallest item not left over, so groups come out in one order only.
  for (let lead = 0; lead < items.length; lead++) {
    const skipped = items.slice(0, lead);
    const after = items.slice(lead + 1);
    for (const others of combinations(after, size - 1)) {
      const group = [items[lead]!, ...others];
      const remaining = after.filter((x) => !others.includes(x));
      for (const sub of groupings(remaining, groups - 1, size)) out.push({ groups: [group, ...sub.groups], rest: [...skipped, ...sub.rest].sort((a, b) => a - b) });
    }
  }
  return out;
}

function combinations(items: readonly number[], k: number): number[][] {
  if (k === 0) return [[]];
  const out: number[][] = [];
  for (let i = 0; i + k <= items.length; i++) for (const c of combinations(items.slice(i + 1), k - 1)) out.push([items[i]!, ...c]);
  return out;
}

function permutations(m: number): number[][] {
  if (m === 0) return [[]];
  const out: number[][] = [];
  for (const rest of permutations(m - 1)) for (let pos = 0; pos <= rest.length; pos++) out.push([...rest.slice(0, pos), m - 1, ...rest.slice(pos)]);
  return out;
}

function sign(perm: readonly number[]): number {
  let s = 1;
  for (let i = 0; i < perm.length; i++) for (let j = i + 1; j < perm.length; j++) if (perm[i]! > perm[j]!) s = -s;
  return s;
}

/**
 * Every δ/ε candidate map from `from` to `to`, (to.dim x from.dim) row-major with entries
 * 0, ±1; empty when the degrees forbid a map (GL+: p - q + n k differ; SL: p - q differ by a
 * non-multiple of n, which `sl` says to ignore k).
 */
export function leviCivitaCandidates(from: TensorAtom, to: TensorAtom, sl: boolean): Float64Array[] {
  const n = from.n;
  const upper: Slot[] = [...Array.from({ length: to.p }, (_, i) => [0, i] as const), ...Array.from({ length: from.q }, (_, j) => [1, from.p + j] as const)];
  const lower: Slot[] = [...Array.from({ length: from.p }, (_, i) => [1, i] as const), ...Array.from({ length: to.q }, (_, j) => [0, to.p + j] as const)];
  const gap = upper.length - lower.length;
  if (gap % n !== 0) return [];
  if (!sl && gap !== n * (from.k - to.k)) return [];
  const [big, small] = gap >= 0 ? [upper, lower] : [lower, upper];
  const epsilons = Math.abs(gap) / n;
  const epsPerms = permutations(n).map((perm) => ({ perm, sign: sign(perm) }));
  const pairPerms = permutations(small.length);
  const maps: Float64Array[] = [];
  const outIdx = new Array<number>(to.rank).fill(0);
  const inIdx = new Array<number>(from.rank).fill(0);
  const put = ([side, pos]: Slot, v: number) => ((side === 0 ? outIdx : inIdx)[pos] = v);
  for (const { groups, rest } of groupings(big.map((_, i) => i), epsilons, n)) {
    for (const sigma of pairPerms) {
      const data = new Float64Array(to.dim * from.dim);
      // Odometer over one permutation per ε and one value per δ.
      const epsChoice = new Array<number>(epsilons).fill(0);
      for (;;) {
        let s = 1;
        groups.forEach((g, e) => {
          const { perm, sign: sg } = epsPerms[epsChoice[e]!]!;
          s *= sg;
          g.forEach((slot, t) => put(big[slot]!, perm[t]!));
        });
        for (let assign = 0; assign < n ** rest.length; assign++) {
          let a = assign;
          for (let u = rest.length - 1; u >= 0; u--) {
            const v = a % n;
            a = Math.floor(a / n);
            put(big[rest[u]!]!, v);
            put(small[sigma[u]!]!, v);
          }
          let r = 0;
          for (const i of outIdx) r = r * n + i;
          let c = 0;
          for (const i of inIdx) c = c * n + i;
          data[r * from.dim + c] = s;
        }
        let e = 0;
        while (e < epsilons && ++epsChoice[e]! === epsPerms.length) epsChoice[e++] = 0;
        if (e === epsilons) break;
      }
      maps.push(data);
    }
  }
  return maps;
}

/**
 * The first maximal independent subset of integer vectors, in order, decided exactly: the Gram
 * matrix G = VVᵀ is integer and positive semidefinite, so vector i depends on the kept ones
 * exactly when its diagonal entry of the Schur complement vanishes. Fraction-free (Bareiss)
 * elimination in BigInt keeps every entry a minor of G, so nothing is rounded.
 */
export function exactIndependent(vectors: readonly Float64Array[]): Float64Array[] {
  const m = vectors.length;
  const nz = vectors.map((v) => {
    const idx: number[] = [];
    v.forEach((x, i) => x !== 0 && idx.push(i));
    return idx;
  });
  const a: bigint[][] = Array.from({ length: m }, () => new Array<bigint>(m).fill(0n));
  for (let i = 0; i < m; i++) {
    for (let j = i; j < m; j++) {
      const vj = vectors[j]!;
      let d = 0;
      for (const t of nz[i]!) d += vectors[i]![t]! * vj[t]!;
      a[i]![j] = a[j]![i] = BigInt(d);
    }
  }
  const kept: Float64Array[] = [];
  let prev = 1n;
  for (let k = 0; k < m; k++) {
    const pivot = a[k]![k]!;
    if (pivot === 0n) continue; // PSD: the whole Schur row is zero, the vector depends on the kept ones
    kept.push(vectors[k]!);
    for (let j = k + 1; j < m; j++) {
      for (let l = k + 1; l < m; l++) a[j]![l] = (pivot * a[j]![l]! - a[j]![k]! * a[k]![l]!) / prev;
    }
    prev = pivot;
  }
  return kept;
}
