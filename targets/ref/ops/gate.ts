// e3nn nn.Gate after its sort-and-cut: act(scalars), then each gated copy times its activated gate.

import type { GateAttrs } from '../../../ir/types.js';
import { applyScaled } from '../../../stdlib/nn/activations.js';

export function gateKernel(attrs: GateAttrs, dimIn: number, dimOut: number, x: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * dimOut);
  const numGates = attrs.gates.reduce((s, g) => s + g.size, 0);
  const gate = new Float64Array(numGates);
  const scalarActs = attrs.scalars.map((s) => applyScaled(s.act));
  const gateActs = attrs.gates.map((g) => applyScaled(g.act));
  for (let z = 0; z < n; z++) {
    const xi = z * dimIn;
    const xo = z * dimOut;
    attrs.scalars.forEach((s, i) => {
      const f = scalarActs[i]!;
      for (let c = 0; c < s.size; c++) out[xo + s.outOffset + c] = f(x[xi + s.inOffset + c]!);
    });
    let g = 0;
    attrs.gates.forEach((s, i) => {
      const f = gateActs[i]!;
      for (let c = 0; c < s.size; c++) gate[g++] = f(x[xi + s.inOffset + c]!);
    });
    for (const b of attrs.gated) {
      for (let u = 0; u < b.mul; u++) {
        const gv = gate[b.gateStart + u]!;
        for (let k = 0; k < b.dim; k++) out[xo + b.outOffset + u * b.dim + k] = x[xi + b.inOffset + u * b.dim + k]! * gv;
      }
    }
  }
  return out;
}
