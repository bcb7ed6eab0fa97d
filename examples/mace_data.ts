// A synthetic two-species material for examples/mace.eqv: small periodic cells of species A (0)
// and B (1), energies and forces from a known potential, computed exactly, written in eqv's
// dataset format. The potential, with r_c = 2.5 and s(r) = (1 - (r/r_c)^2)^2 below r_c:
//   E = Σ_i E0[z_i]                                           isolated-atom energies
//     + Σ_{i<j} D_ab ((1 - e^{-A(r - r0_ab)})^2 - 1) s(r)     a Morse pair, species-dependent
//     + λ Σ_i Σ_{j<k} s(r_ij) s(r_ik) (cos θ_jik + 1/3)^2     a three-body angular term
// summed over all periodic images (every lattice shift within reach, so it is exact for any
// cell; the cells are at least 2 r_c wide, so each pair meets at most one image in range).
// Forces are -dE/dpos by exact differentiation of the three terms.
//
//   npx tsx examples/mace_data.ts examples/mace.data.json            # periodic (cell per graph)
//   npx tsx examples/mace_data.ts examples/mace.data.json clusters   # the same atoms, no cell
//
// The clusters are the same cells' atoms taken as isolated molecules (no images): the
// non-periodic form of the same material.

import * as fs from 'node:fs';
import { createRng } from '../stdlib/math/random.js';

export const RC = 2.5;
const A = 1.6;
const D = [[1.0, 1.4], [1.4, 0.7]];
const R0 = [[1.9, 1.7], [1.7, 2.1]];
const E0 = [-3.0, -5.0];
const LAMBDA = 0.3;

export interface Structure {
  readonly pos: number[][];
  readonly species: number[];
  /** Rows are lattice vectors; absent for a cluster. */
  readonly cell?: number[][];
  readonly energy: number;
  readonly forces: number[][];
}

type V3 = [number, number, number];
const sub = (a: readonly number[], b: readonly number[]): V3 => [a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!];
const dot = (a: V3, b: V3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

/** s(r) and s'(r). */
function envelope(r: number): [number, number] {
  if (r >= RC) return [0, 0];
  const q = 1 - (r / RC) ** 2;
  return [q * q, (2 * q * (-2 * r)) / (RC * RC)];
}

/** Every neighbour of every atom within RC over the images: (i, j, d = pos_j + shift - pos_i). */
function neighbours(pos: readonly number[][], cell: readonly number[][] | undefined): { i: number; j: number; d: V3 }[][] {
  const shifts: V3[] = [];
  if (cell) {
    for (let a = -1; a <= 1; a++)
      for (let b = -1; b <= 1; b++)
        for (let c = -1; c <= 1; c++) shifts.push([0, 1, 2].map((k) => a * cell[0]![k]! + b * cell[1]![k]! + c * cell[2]![k]!) as V3);
  } else shifts.push([0, 0, 0]);
  return pos.map((pi, i) => {
    const out: { i: number; j: number; d: V3 }[] = [];
    pos.forEach((pj, j) => {
      for (const s of shifts) {
        if (i === j && s.every((v) => v === 0)) continue;
        const d = sub([pj[0]! + s[0], pj[1]! + s[1], pj[2]! + s[2]], pi);
        if (Math.sqrt(dot(d, d)) < RC) out.push({ i, j, d });
      }
    });
    return out;
  });
}

/** Positions wrapped into the cell (fractional coordinates in [0, 1)): a translation by lattice vectors, which changes nothing. */
function wrap(pos: readonly number[][], cell: readonly number[][]): number[][] {
  const [a, b, c] = cell as [number[], number[], number[]];
  // Rows are lattice vectors, pos = f · cell; f = pos · cell^-1 by Cramer's rule.
  const cross = (u: number[], v: number[]) => [u[1]! * v[2]! - u[2]! * v[1]!, u[2]! * v[0]! - u[0]! * v[2]!, u[0]! * v[1]! - u[1]! * v[0]!];
  const vol = dot(a as V3, cross(b, c) as V3);
  const duals = [cross(b, c), cross(c, a), cross(a, b)].map((d) => d.map((v) => v / vol));
  return pos.map((p) => {
    const f = duals.map((d) => {
      const x = dot(p as V3, d as V3);
      return x - Math.floor(x);
    });
    return [0, 1, 2].map((k) => f[0]! * a[k]! + f[1]! * b[k]! + f[2]! * c[k]!);
  });
}

/** Energy and exact forces of a structure. */
export function potential(rawPos: readonly number[][], species: readonly number[], cell?: readonly number[][]): { energy: number; forces: number[][] } {
  // Wrapped, every neighbour within r_c is among the images of the 27 nearest cells.
  const pos = cell ? wrap(rawPos, cell) : rawPos;
  const n = pos.length;
  const forces = pos.map(() => [0, 0, 0]);
  let energy = species.reduce((s, z) => s + E0[z]!, 0);
  const nb = neighbours(pos, cell);
  // Pairs: each ordered (i, j, image) once, halved.
  for (let i = 0; i < n; i++) {
    for (const { j, d } of nb[i]!) {
      const r = Math.sqrt(dot(d, d));
      const [zi, zj] = [species[i]!, species[j]!];
      const e = Math.exp(-A * (r - R0[zi]![zj]!));
      const morse = D[zi]![zj]! * ((1 - e) ** 2 - 1);
      const dmorse = 2 * D[zi]![zj]! * (1 - e) * A * e;
      const [s, ds] = envelope(r);
      energy += 0.5 * morse * s;
      // dE/dd (d = pos_j - pos_i): half of (phi' d/r); on j +, on i -.
      const g = (0.5 * (dmorse * s + morse * ds)) / r;
      for (let k = 0; k < 3; k++) {
        forces[j]![k]! -= g * d[k]!;
        forces[i]![k]! += g * d[k]!;
      }
    }
  }
  // Triplets: centre i, neighbours p < q (over images).
  for (let i = 0; i < n; i++) {
    const list = nb[i]!;
    for (let p = 0; p < list.length; p++) {
      for (let q = p + 1; q < list.length; q++) {
        const a = list[p]!;
        const b = list[q]!;
        const ra = Math.sqrt(dot(a.d, a.d));
        const rb = Math.sqrt(dot(b.d, b.d));
        const [sa, dsa] = envelope(ra);
        const [sb, dsb] = envelope(rb);
        const cos = dot(a.d, b.d) / (ra * rb);
        const t = cos + 1 / 3;
        energy += LAMBDA * sa * sb * t * t;
        // Gradients with respect to the two bond vectors a.d and b.d.
        const dcosA = [0, 1, 2].map((k) => b.d[k]! / (ra * rb) - (cos * a.d[k]!) / (ra * ra));
        const dcosB = [0, 1, 2].map((k) => a.d[k]! / (ra * rb) - (cos * b.d[k]!) / (rb * rb));
        for (let k = 0; k < 3; k++) {
          const gA = LAMBDA * (dsa * (a.d[k]! / ra) * sb * t * t + sa * sb * 2 * t * dcosA[k]!);
          const gB = LAMBDA * (sa * dsb * (b.d[k]! / rb) * t * t + sa * sb * 2 * t * dcosB[k]!);
          forces[a.j]![k]! -= gA;
          forces[b.j]![k]! -= gB;
          forces[i]![k]! += gA + gB;
        }
      }
    }
  }
  return { energy, forces };
}

/** `count` random cells of 8 to 12 atoms (slightly sheared, at least 2 r_c wide), atoms at least 1.5 apart. */
export function maceStructures(count: number, seed: number, periodic: boolean): Structure[] {
  const rng = createRng(seed);
  const out: Structure[] = [];
  while (out.length < count) {
    const n = 8 + Math.floor(5 * rng.uniform());
    const L = 2 * RC + 0.1 + 0.5 * rng.uniform();
    const shear = () => 0.3 * (rng.uniform() - 0.5);
    const cell = [[L, 0, 0], [shear(), L, 0], [shear(), shear(), L]];
    const pos: number[][] = [];
    const species: number[] = [];
    for (let tries = 0; pos.length < n && tries < 5000; tries++) {
      const f = [rng.uniform(), rng.uniform(), rng.uniform()];
      const p = [0, 1, 2].map((k) => f[0]! * cell[0]![k]! + f[1]! * cell[1]![k]! + f[2]! * cell[2]![k]!);
      // The minimum separation holds across images too.
      const ok = pos.every((q) => neighbours([p, q], cell)[0]!.every(({ d }) => Math.sqrt(dot(d, d)) >= 1.5) && Math.hypot(...sub(p, q)) >= 1.5);
      if (ok) {
        pos.push(p);
        species.push(rng.uniform() < 0.5 ? 0 : 1);
      }
    }
    if (pos.length < n) continue;
    const c = periodic ? cell : undefined;
    out.push({ pos, species, ...(c ? { cell: c } : {}), ...potential(pos, species, c) });
  }
  return out;
}

/** The dataset JSON (docs/formats.md): inputs pos, z (and cell), targets energy, forces. */
export function datasetJson(structures: readonly Structure[]): unknown {
  const r = (v: number) => Number(v.toPrecision(12));
  return {
    graphs: structures.map((s) => ({
      pos: s.pos.map((p) => p.map(r)),
      z: s.species,
      ...(s.cell ? { cell: s.cell.map((p) => p.map(r)) } : {}),
      targets: { energy: r(s.energy) },
      forces: s.forces.map((f) => f.map(r)),
    })),
  };
}

if (process.argv[1]?.endsWith('mace_data.ts')) {
  const target = process.argv[2] ?? 'examples/mace.data.json';
  const periodic = process.argv[3] !== 'clusters';
  fs.writeFileSync(target, JSON.stringify(datasetJson(maceStructures(160, 2026, periodic))) + '\n');
  process.stdout.write(`wrote ${target} (${periodic ? 'periodic cells' : 'clusters'})\n`);
}
