import { describe, expect, it } from 'vitest';
import { Irrep, Irreps, irrepsD, randomRotation } from '../../../stdlib/groups/o3/index.js';
import { O3 } from '../../../stdlib/groups/o3/plugins.js';
import { createRng } from '../../../stdlib/math/random.js';
import { applyScaled, normalize2mom, scaledActivation } from '../../../stdlib/nn/activations.js';
import { buildGate, describeGateError, type GateSpec } from '../../../stdlib/nn/gate.js';
import { gateKernel } from '../../../targets/ref/ops/gate.js';
import { applyToRows, maxAbs, maxAbsDiff, negate, randomRows } from './helpers.js';

const I = (s: string) => Irreps.parse(s);
const gate = (spec: GateSpec<Irrep>) => buildGate(spec, O3, Irrep.compare);

describe('buildGate (e3nn nn.Gate with its _Sortcut)', () => {
  it('lays out a mixed case: scalars 16x0e+4x0o, gates 8x0e, gated 4x1o+4x1e', () => {
    const g = gate({ scalars: I('16x0e+4x0o'), gates: I('8x0e'), gated: I('4x1o+4x1e'), act: 'tanh', actGates: 'sigmoid' });
    if (!g.ok) throw new Error(g.errors.map(describeGateError).join('; '));
    // Sorted: 4x0o (scalars), 16x0e (scalars), 8x0e (gates), 4x1o, 4x1e; then simplified.
    expect(g.input.toString()).toBe('4x0o+24x0e+4x1o+4x1e');
    expect(g.output.toString()).toBe('16x0e+4x0o+4x1o+4x1e');
    const tanh = scaledActivation('tanh');
    expect(g.attrs.scalars).toEqual([
      { inOffset: 4, outOffset: 0, size: 16, act: tanh },
      { inOffset: 0, outOffset: 16, size: 4, act: tanh },
    ]);
    expect(g.attrs.gates).toEqual([{ inOffset: 20, size: 8, act: scaledActivation('sigmoid') }]);
    expect(g.attrs.gated).toEqual([
      { inOffset: 28, outOffset: 20, mul: 4, dim: 3, gateStart: 0 },
      { inOffset: 40, outOffset: 32, mul: 4, dim: 3, gateStart: 4 },
    ]);
  });

  it('flips odd scalars per e3nn’s parity rule, and rejects acts that are neither', () => {
    const ok = gate({ scalars: I('16x0e+4x0o'), gates: I('8x0e'), gated: I('4x1o+4x1e'), act: ['silu', 'abs'], actGates: 'sigmoid' });
    expect(ok.ok && ok.output.toString()).toBe('16x0e+4x0e+4x1o+4x1e');
    const bad = gate({ scalars: I('16x0e+4x0o'), gates: I('8x0e'), gated: I('4x1o+4x1e'), act: 'silu', actGates: 'sigmoid' });
    expect(bad).toEqual({ ok: false, errors: [{ kind: 'parity', part: 'scalars', block: 1, act: 'silu' }] });
  });

  it('multiplies the gated parity by odd gates (e3nn docstring: Gate("16x0o", [tanh], "32x0o", [tanh], "16x1e+16x1o"))', () => {
    const g = gate({ scalars: I('16x0o'), gates: I('32x0o'), gated: I('16x1e+16x1o'), act: 'tanh', actGates: 'tanh' });
    if (!g.ok) throw new Error('expected a gate');
    expect(g.input.toString()).toBe('48x0o+16x1o+16x1e');
    expect(g.output.toString()).toBe('16x0o+16x1o+16x1e');
    // Gated blocks are taken in the order written (1e first), whatever the sort did.
    expect(g.attrs.gated.map((b) => [b.inOffset, b.outOffset, b.gateStart])).toEqual([
      [96, 16, 0],
      [48, 64, 16],
    ]);
  });

  it('splits gated blocks where the gates change parity (ElementwiseTensorProduct)', () => {
    const g = gate({ scalars: I(''), gates: I('2x0e+2x0o'), gated: I('4x1o'), act: 'silu', actGates: ['sigmoid', 'tanh'] });
    expect(g.ok && g.output.toString()).toBe('2x1o+2x1e');
    expect(g.ok && g.attrs.gated.map((b) => [b.mul, b.gateStart])).toEqual([
      [2, 0],
      [2, 2],
    ]);
  });

  it('reports gates that are not scalars and counts that do not match', () => {
    const g = gate({ scalars: I('2x0e'), gates: I('2x1o'), gated: I('3x1o'), act: 'silu', actGates: 'sigmoid' });
    expect(g).toEqual({
      ok: false,
      errors: [
        { kind: 'notScalar', part: 'gates', block: 0 },
        { kind: 'countMismatch', gates: 2, gated: 3 },
      ],
    });
    const gate2 = gate({ scalars: I('2x0e'), gates: I('1x0o'), gated: I('1x1o'), act: 'silu', actGates: 'sigmoid' });
    expect(gate2.ok).toBe(false);
    expect(!gate2.ok && describeGateError(gate2.errors[0]!)).toMatch(/sigmoid is neither even nor odd/);
  });
});

describe('gate kernel', () => {
  const spec = { scalars: I('16x0e+4x0o'), gates: I('8x0e'), gated: I('4x1o+4x1e'), act: ['silu', 'tanh'], actGates: 'sigmoid' } as const;

  it('computes act(scalars) then gated * act_gates(gate)', () => {
    const g = gate(spec);
    if (!g.ok) throw new Error('expected a gate');
    const rng = createRng(1);
    const x = randomRows(rng, 1, g.input.dim);
    const y = gateKernel(g.attrs, g.input.dim, g.output.dim, x, 1);
    const silu = applyScaled(scaledActivation('silu'));
    const sig = (v: number) => normalize2mom('sigmoid') / (1 + Math.exp(-v));
    expect(y[0]).toBe(silu(x[4]!));
    expect(y[16]).toBe(normalize2mom('tanh') * Math.tanh(x[0]!));
    // Copy 5 of the gated irreps is copy 1 of 4x1e (input 40 + 3), gated by gate 5 (input 25).
    expect(y[20 + 5 * 3 + 2]).toBeCloseTo(x[43 + 2]! * sig(x[25]!), 15);
  });

  it('is equivariant under rotations and reflections', () => {
    const g = gate(spec);
    if (!g.ok) throw new Error('expected a gate');
    const rng = createRng(2);
    const x = randomRows(rng, 3, g.input.dim);
    const y = gateKernel(g.attrs, g.input.dim, g.output.dim, x, 3);
    for (const R of [randomRotation(rng), negate(randomRotation(rng))]) {
      const y1 = gateKernel(g.attrs, g.input.dim, g.output.dim, applyToRows(irrepsD(g.input as Irreps, R), x, g.input.dim), 3);
      expect(maxAbsDiff(y1, applyToRows(irrepsD(g.output as Irreps, R), y, g.output.dim)) / maxAbs(y)).toBeLessThan(1e-13);
    }
  });
});
