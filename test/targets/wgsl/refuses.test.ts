// The wgsl target has no autodiff: a module with `grad` is refused by the target contract
// (Target.refuses), by planning, and by render, each naming the op and the targets that can.
import { describe, expect, it } from 'vitest';
import { compile } from '../../../compiler/compile.js';
import { wgslTarget } from '../../../targets/wgsl/index.js';
import { planModule } from '../../../targets/wgsl/lower.js';

describe('wgsl and grad', () => {
  const forces = compile('examples/nequip_forces.eqv').ir[0]!;
  const plain = compile('examples/nequip.eqv').ir[0]!;

  it('refuses a module with grad and accepts one without', () => {
    expect(wgslTarget.refuses!(forces)).toMatch(/no automatic differentiation: NequIPForces uses `grad` \(op %\d+ at examples\/nequip_forces.eqv:35\); run it with --target ref \(float64\) or --target tfjs/);
    expect(wgslTarget.refuses!(plain)).toBeUndefined();
  });

  it('planning and rendering throw the same clear error', async () => {
    expect(() => planModule(forces)).toThrow(/WGSL has no automatic differentiation/);
    await expect(wgslTarget.render(forces, { seed: 0, tests: false })).rejects.toThrow(/--target ref \(float64\) or --target tfjs/);
  });
});

