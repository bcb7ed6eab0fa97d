// The three ways to multiply two harmonic signals (`tp(..., kind = cg | gaunt | grid)`):
//   cg     Clebsch-Gordan tables: every path the selection rules allow (e3nn's product);
//   gaunt  Gaunt tables, the mean over the sphere of Y_l1 Y_l2 Y_l3 (Luo et al. 2024): only
//          paths with l1 + l2 + l3 even; on those G = c(l1, l2, l3) CG, c > 0
//          (stdlib/groups/o3/gaunt.ts), the e3nn path normalization unchanged on top;
//   grid   the Gaunt product computed on a sphere grid ("The Price of Freedom"): blocks to the
//          grid, pointwise product, back by exact quadrature. Same function as gaunt.
// Here: which paths survive, the tables to lower, and the grid plan (which products are fused).

import type { TPGrid, TPGridGroup, TPPath } from '../../ir/types.js';
import type { ProductRule } from '../groups/group.js';
import type { Atom, Rep } from '../groups/rep.js';
import { gauntAllowed, gauntCoupling } from '../groups/o3/gaunt.js';
import { exactResolution } from '../groups/o3/sphereGrid.js';
import type { TPInstruction } from './tensorProduct.js';

export const PRODUCT_KINDS = ['cg', 'gaunt', 'grid'] as const;
export type ProductKind = (typeof PRODUCT_KINDS)[number];

/** The harmonic degree of an atom, for groups whose atoms are real spherical harmonics. */
export type DegreeOf<A extends Atom> = (a: A) => number | undefined;

/** Whether a CG path is also a Gaunt path (l1 + l2 + l3 even). */
export function isGauntPath<A extends Atom>(degree: DegreeOf<A>, a: A, b: A, c: A): boolean {
  const l1 = degree(a);
  const l2 = degree(b);
  const l3 = degree(c);
  return l1 !== undefined && l2 !== undefined && l3 !== undefined && gauntAllowed(l1, l2, l3);
}

/** The product rule whose coupling is the Gaunt table (the CG rule's selection, odd paths kept out by the caller). */
export function gauntRule<A extends Atom>(rule: ProductRule<A>, degree: DegreeOf<A>): ProductRule<A> {
  return {
    products: (a, b) => rule.products(a, b),
    coupling: (a, b, c) => gauntCoupling(degree(a)!, degree(b)!, degree(c)!),
  };
}

/** The instructions a Gaunt (or grid) product keeps: the even paths. */
export function gauntInstructions<A extends Atom>(instructions: readonly TPInstruction[], in1: Rep<A>, in2: Rep<A>, out: Rep<A>, degree: DegreeOf<A>): TPInstruction[] {
  return instructions.filter((ins) => isGauntPath(degree, in1.blocks[ins.i1]!.ir, in2.blocks[ins.i2]!.ir, out.blocks[ins.iOut]!.ir));
}

const sameFactor = (x: number, y: number) => Math.abs(x - y) <= 1e-12 * Math.max(Math.abs(x), Math.abs(y));

/**
 * The grid plan. An output block is fused (one pointwise product of summed blocks serves all its
 * paths) when its paths have no weights, one mode and one factor, all the in1 blocks they read
 * share a multiplicity (and so do the in2 blocks), and every pair of those blocks whose product
 * reaches its degree on the sphere (l1 + l2 + l3 even, a triangle) is one of its paths: then the
 * projection of (sum a)(sum b) is exactly the sum of its paths. Output blocks with the same
 * blocks and mode share one group. Other paths are grouped by their input pair.
 */
export function gridPlan(paths: readonly TPPath[], muls1: readonly number[], muls2: readonly number[], degrees1: readonly number[], degrees2: readonly number[], degreesOut: readonly number[]): TPGrid {
  const byOut = new Map<number, number[]>();
  paths.forEach((p, n) => byOut.set(p.iOut, [...(byOut.get(p.iOut) ?? []), n]));
  const fused = new Map<string, { in1: number[]; in2: number[]; paths: number[] }>();
  const pairs = new Map<string, { in1: number[]; in2: number[]; paths: number[] }>();
  for (const [iOut, ns] of [...byOut.entries()].sort((x, y) => x[0] - y[0])) {
    const ps = ns.map((n) => paths[n]!);
    const first = ps[0]!;
    const have = new Set(ps.map((p) => `${p.i1},${p.i2}`));
    const l3 = degreesOut[iOut]!;
    const complete = (i1s: readonly number[], i2s: readonly number[]) => i1s.every((i) => i2s.every((j) => have.has(`${i},${j}`) || !gauntAllowed(degrees1[i]!, degrees2[j]!, l3)));
    // Prefer every block of the paths' multiplicity (pairs that cannot reach l3 add exactly 0),
    // so that output blocks of different degrees share one product; else the blocks read.
    const all1 = muls1.flatMap((m, i) => (m === muls1[first.i1] ? [i] : []));
    const all2 = muls2.flatMap((m, j) => (m === muls2[first.i2] ? [j] : []));
    const read1 = [...new Set(ps.map((p) => p.i1))].sort((x, y) => x - y);
    const read2 = [...new Set(ps.map((p) => p.i2))].sort((x, y) => x - y);
    const [in1, in2] = complete(all1, all2) ? [all1, all2] : [read1, read2];
    const uniform =
      ps.every((p) => !p.hasWeight && p.mode === first.mode && sameFactor(p.factor, first.factor)) &&
      in1.every((i) => muls1[i] === muls1[in1[0]!]) &&
      in2.every((j) => muls2[j] === muls2[in2[0]!]) &&
      have.size === ps.length;
    if (complete(in1, in2) && uniform) {
      const key = `${in1.join(',')}|${in2.join(',')}|${first.mode}`;
      const g = fused.get(key) ?? { in1, in2, paths: [] };
      g.paths.push(ns[0]!);
      fused.set(key, g);
      continue;
    }
    for (const n of ns) {
      const p = paths[n]!;
      const key = `${p.i1},${p.i2}`;
      const g = pairs.get(key) ?? { in1: [p.i1], in2: [p.i2], paths: [] };
      g.paths.push(n);
      pairs.set(key, g);
    }
  }
  const groups: TPGridGroup[] = [...fused.values(), ...pairs.values()];
  const used = (ds: readonly number[], blocks: Set<number>) => Math.max(0, ...[...blocks].map((i) => ds[i]!));
  const degree = used(degrees1, new Set(paths.map((p) => p.i1))) + used(degrees2, new Set(paths.map((p) => p.i2))) + used(degreesOut, new Set(paths.map((p) => p.iOut)));
  const { nTheta, nPhi } = exactResolution(degree);
  return { nTheta, nPhi, degrees1: [...degrees1], degrees2: [...degrees2], degreesOut: [...degreesOut], groups };
}
