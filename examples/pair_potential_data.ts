// A synthetic E(3) regression task: random clouds of 4 to 8 atoms in a 3-unit box, their
// energy under a known smooth pair potential (a Morse well cut off smoothly at r_c = 2.5),
// E = sum_{i<j} phi(r_ij), and the forces F_i = -dE/dpos_i, computed exactly. Run it to write
// the data set shipped with the examples (binary form, docs/formats.md):
//
//   npx tsx examples/pair_potential_data.ts examples/pair_potential.data.safetensors
//
// and train examples/pair_potential.eqv on it with examples/train_pair_potential.ts or
//   eqvc train examples/pair_potential.eqv --data examples/pair_potential.data.safetensors --loss mse --epochs 30 --lr 0.005 --force-weight 0.1 --out w.safetensors

import * as fs from 'node:fs';
import { createRng } from '../stdlib/math/random.js';
import type { Example } from '../targets/tfjs/train.js';
import { writeDatasetBinary } from '../targets/tfjs/train.js';

const RC = 2.5;
const D = 1;
const A = 1.5;
const R0 = 1.2;

/** phi(r) = D((1 - e^{-A(r - r0)})^2 - 1) * s(r), s(r) = (1 - (r/rc)^2)^2 below rc; and phi'(r). */
export function pairPotential(r: number): { phi: number; dphi: number } {
  if (r >= RC) return { phi: 0, dphi: 0 };
  const e = Math.exp(-A * (r - R0));
  const morse = D * ((1 - e) ** 2 - 1);
  const dmorse = 2 * D * (1 - e) * A * e;
  const q = 1 - (r / RC) ** 2;
  const s = q * q;
  const ds = 2 * q * (-2 * r / (RC * RC));
  return { phi: morse * s, dphi: dmorse * s + morse * ds };
}

/** `count` random clouds with their energies and forces. */
export function pairPotentialExamples(count: number, seed: number): Example[] {
  const rng = createRng(seed);
  const out: Example[] = [];
  for (let k = 0; k < count; k++) {
    const n = 4 + Math.floor(5 * rng.uniform());
    const pos = new Float64Array(3 * n);
    // Rejection keeps atoms at least 0.8 apart (no atoms on top of each other).
    for (let i = 0; i < n; i++) {
      for (let tries = 0; tries < 1000; tries++) {
        for (let c = 0; c < 3; c++) pos[3 * i + c] = 3 * rng.uniform();
        let ok = true;
        for (let j = 0; j < i && ok; j++) ok = Math.hypot(pos[3 * i]! - pos[3 * j]!, pos[3 * i + 1]! - pos[3 * j + 1]!, pos[3 * i + 2]! - pos[3 * j + 2]!) > 0.8;
        if (ok) break;
      }
    }
    let energy = 0;
    const forces = new Float64Array(3 * n);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const d = [0, 1, 2].map((c) => pos[3 * i + c]! - pos[3 * j + c]!);
        const r = Math.hypot(d[0]!, d[1]!, d[2]!);
        const { phi, dphi } = pairPotential(r);
        energy += phi;
        for (let c = 0; c < 3; c++) {
          forces[3 * i + c] -= (dphi * d[c]!) / r;
          forces[3 * j + c] += (dphi * d[c]!) / r;
        }
      }
    }
    out.push({ nodes: n, inputs: { pos, x: new Float64Array(n).fill(1) }, targets: { energy: Float64Array.of(energy) }, forces });
  }
  return out;
}

if (process.argv[1]?.endsWith('pair_potential_data.ts')) {
  const target = process.argv[2] ?? 'examples/pair_potential.data.safetensors';
  fs.writeFileSync(target, writeDatasetBinary(pairPotentialExamples(400, 2024), { task: 'morse pair potential, rc 2.5' }));
  process.stdout.write(`wrote ${target}\n`);
}
