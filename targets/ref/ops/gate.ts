// e3nn nn.Gate after its sort-and-cut: act(scalars), then each gated copy times its activated gate.

import type { GateAttrs } from '../../../ir/types.js';
import { applyScaled, applyScaledDerivative } from '../../../stdlib/nn/activations.js';

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

/**
 * Reverse mode: scalars g · act'(x); each gated component g · gate; each gate's input
 * act'(x_gate) · Σ over its copy's components of g · x.
 */
export function gateBackward(attrs: GateAttrs, dimIn: number, dimOut: number, x: Float64Array, gradOut: Float64Array, n: number): Float64Array {
  const gx = new Float64Array(n * dimIn);
  const numGates = attrs.gates.reduce((s, g) => s + g.size, 0);
  const gate = new Float64Array(numGates);
  const gateGrad = new Float64Array(numGates);
  const scalarD = attrs.scalars.map((s) => applyScaledDerivative(s.act));
  const gateActs = attrs.gates.map((g) => applyScaled(g.act));
  const gateD = attrs.gates.map((g) => applyScaledDerivative(g.act));
  for (let z = 0; z < n; z++) {
    const xi = z * dimIn;
    const xo = z * dimOut;
    attrs.scalars.forEach((s, i) => {
      for (let c = 0; c < s.size; c++) gx[xi + s.inOffset + c] = gradOut[xo + s.outOffset + c]! * scalarD[i]!(x[xi + s.inOffset + c]!);
    });
    let q = 0;
    attrs.gates.forEach((s, i) => {
      for (let c = 0; c < s.size; c++) gate[q++] = gateActs[i]!(x[xi + s.inOffset + c]!);
    });
    gateGrad.fill(0);
    for (const b of attrs.gated) {
      for (let u = 0; u < b.mul; u++) {
        const gv = gate[b.gateStart + u]!;
        let dot = 0;
        for (let k = 0; k < b.dim; k++) {
          const go = gradOut[xo + b.outOffset + u * b.dim + k]!;
          gx[xi + b.inOffset + u * b.dim + k] += go * gv;
          dot += go * x[xi + b.inOffset + u * b.dim + k]!;
        }
        gateGrad[b.gateStart + u]! += dot;
      }
    }
    q = 0;
    attrs.gates.forEach((s, i) => {
      for (let c = 0; c < s.size; c++) gx[xi + s.inOffset + c]! += gateGrad[q++]! * gateD[i]!(x[xi + s.inOffset + c]!);
    });
  }
  return gx;
}
