// The coupling of two input copies through a path's sparse Clebsch-Gordan table, unrolled:
// t_k = sum over the non-zeros (i, j, k) of (factor * C[i, j, k]) x_i y_j, with the path factor
// folded into the constants. Only the non-zeros of IRModule.tables appear; components no
// non-zero reaches are never formed.

import type { IRCouplingTable } from '../../../ir/types.js';
import { term } from '../emit.js';

export interface CouplingEntry {
  readonly i: number;
  readonly j: number;
  readonly k: number;
  readonly value: number;
}

export function couplingEntries(table: IRCouplingTable): CouplingEntry[] {
  const e = table.entries;
  const out: CouplingEntry[] = [];
  for (let q = 0; q + 3 < e.length; q += 4) out.push({ i: e[q]!, j: e[q + 1]!, k: e[q + 2]!, value: e[q + 3]! });
  return out;
}

/** The x and y components the entries read, and the output components they reach. */
export function couplingUse(entries: readonly CouplingEntry[], ks?: readonly number[]): { xs: number[]; ys: number[]; ks: number[] } {
  const sel = ks ? entries.filter((e) => ks.includes(e.k)) : entries;
  const uniq = (a: number[]) => [...new Set(a)].sort((p, q) => p - q);
  return { xs: uniq(sel.map((e) => e.i)), ys: uniq(sel.map((e) => e.j)), ks: uniq(sel.map((e) => e.k)) };
}

/**
 * `let <prefix><k> = ...;` for every reached k (restricted to `ks` when given), reading x
 * components as `<xName><i>` and y components as `<yName><j>`.
 */
export function couplingLets(entries: readonly CouplingEntry[], factor: number, prefix: string, xName: string, yName: string, ks?: readonly number[]): string[] {
  const byK = new Map<number, CouplingEntry[]>();
  for (const e of entries) {
    if (ks && !ks.includes(e.k)) continue;
    const list = byK.get(e.k) ?? [];
    list.push(e);
    byK.set(e.k, list);
  }
  return [...byK.keys()]
    .sort((a, b) => a - b)
    .map((k) => {
      const terms = byK.get(k)!.map((e, q) => term(factor * e.value, `${xName}${e.i} * ${yName}${e.j}`, q === 0));
      return `let ${prefix}${k} = ${terms.join('')};`;
    });
}
