// The MLP's hidden activation as a SIMD kernel (targets/wasm/kernels/activation.ts) against the
// float64 functions the reference applies, on float32 inputs from -100 to 100 (exp saturating
// at both ends) and near 0: within 1e-6 of max(1, |value|) (exp is a polynomial, ~2 ulp).

import { describe, expect, it } from 'vitest';
import type { ActivationName } from '../../../ir/types.js';
import { applyScaled, scaledActivation } from '../../../stdlib/nn/activations.js';
import { activationKernel, hasActivationKernel } from '../../../targets/wasm/kernels/activation.js';
import { WasmRuntime } from '../../../targets/wasm/runtime.js';

describe('wasm activation kernel', () => {
  const rt = new WasmRuntime(1);
  const xs = [-100, -88.5, -87, -30, -10, -3.25, -1, -0.5, -1e-3, -1e-7, 0, 1e-7, 1e-3, 0.5, 1, 2.75, 10, 30, 88.5, 100];
  for (let i = 0; i < 80; i++) xs.push(-12 + (24 * i) / 79);
  const rows = xs.length + 2; // not a multiple of 4 rows in use: the padded rows are computed too
  const stride = Math.ceil(rows / 4) * 4;

  it.each(['silu', 'sigmoid', 'tanh', 'relu', 'abs', 'identity'] as ActivationName[])('%s (normalize2mom-scaled) on two columns', (name) => {
    const act = scaledActivation(name);
    expect(hasActivationKernel(act)).toBe(true);
    rt.reset();
    const ptr = rt.alloc(4 * stride * 2);
    const f = rt.f32;
    for (let k = 0; k < 2; k++) xs.forEach((x, i) => (f[ptr / 4 + k * stride + i] = k === 0 ? x : -x / 2));
    const kernel = rt.kernel(`test-act:${name}:${ptr}:${stride}`, () => activationKernel(act, { ptr, colBytes: 4 * stride }, 2)!);
    rt.pool.run(kernel, stride);
    const want = applyScaled(act);
    const g = rt.f32;
    for (let k = 0; k < 2; k++) {
      xs.forEach((x, i) => {
        const w = want(Math.fround(k === 0 ? x : -x / 2));
        expect(Math.abs(g[ptr / 4 + k * stride + i]! - w)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(w)));
      });
    }
  });

  it('leaves gelu and ssp to JavaScript', () => {
    expect(hasActivationKernel(scaledActivation('gelu'))).toBe(false);
    expect(activationKernel(scaledActivation('ssp'), { ptr: 0, colBytes: 16 }, 1)).toBeUndefined();
  });
});
