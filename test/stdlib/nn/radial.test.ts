import { describe, expect, it } from 'vitest';
import type { RadialBasisAttrs } from '../../../ir/types.js';
import { checkRadialBasis, linspace, radialBasisAttrs, softOneHotLinspace, softUnitStep } from '../../../stdlib/nn/radial.js';
import { maxAbsDiff } from './helpers.js';

// Expected values computed by hand from e3nn's formulas (Python's math module, exact centers).
const at = (attrs: RadialBasisAttrs, x: number) => Array.from(softOneHotLinspace(Float64Array.of(x), attrs));

describe('soft_one_hot_linspace', () => {
  it('gaussian: exp(-((x - c)/step)^2) / 1.12, centers inside (start, end) with cutoff', () => {
    expect(maxAbsDiff(at({ basis: 'gaussian', number: 3, start: 0, end: 1, cutoff: true }, 0.3), [0.8578477135288599, 0.4707968071812933, 0.03496776348123845])).toBeLessThan(1e-15);
    expect(maxAbsDiff(at({ basis: 'gaussian', number: 3, start: 0, end: 1, cutoff: false }, 0.3), [0.6229252911348491, 0.7608426687198315, 0.12576644725093306])).toBeLessThan(1e-15);
  });

  it('cosine: cos(pi/2 diff) inside |diff| < 1', () => {
    expect(maxAbsDiff(at({ basis: 'cosine', number: 3, start: 0, end: 1, cutoff: true }, 0.3), [0.9510565162951536, 0.30901699437494745, 0])).toBeLessThan(1e-15);
  });

  it('smooth_finite: e3nn’s float32 constant 1.14136 e^2 times two soft steps', () => {
    // float32(float32(1.14136) * float32(e^2)) = 8.433573722839355, not 1.14136 e^2 = 8.43357306907...
    expect(maxAbsDiff(at({ basis: 'smooth_finite', number: 3, start: 0, end: 1, cutoff: true }, 0.3), [1.0501019744843867, 0.03260352250285328, 0])).toBeLessThan(1e-15);
  });

  it('fourier: sines with cutoff, cosines without', () => {
    expect(maxAbsDiff(at({ basis: 'fourier', number: 3, start: 0, end: 2, cutoff: true }, 0.3), [0.34318455997050695, 0.6115593638688719, 0.7466222063007987])).toBeLessThan(1e-15);
    expect(maxAbsDiff(at({ basis: 'fourier', number: 3, start: 0, end: 2, cutoff: false }, 0.3), [0.7559289460184544, 0.6735376227252795, 0.4443238862506405])).toBeLessThan(1e-15);
    expect(at({ basis: 'fourier', number: 2, start: 0, end: 2, cutoff: true }, 2.5)).toEqual([0, 0]);
  });

  it('bessel: sqrt(2/c) sin(k pi x / c) / x, zero at and beyond the cutoff', () => {
    const attrs = radialBasisAttrs('bessel', 3, 1.1);
    expect(attrs).toEqual({ basis: 'bessel', number: 3, start: 0, end: 1.1, cutoff: true });
    expect(maxAbsDiff(at(attrs, 0.5), [2.669349919917171, 0.7597762042956386, -2.453095064640722])).toBeLessThan(1e-14);
    expect(at(attrs, 1.1)).toEqual([0, 0, 0]);
    expect(at(attrs, 1.5)).toEqual([0, 0, 0]);
    // e3nn gives NaN at x = 0 (0/0); eqv gives the cutoff's 0 there, or the limit without it.
    expect(at(attrs, 0)).toEqual([0, 0, 0]);
    const open = at({ ...attrs, cutoff: false }, 0);
    expect(maxAbsDiff(open, [1, 2, 3].map((k) => (Math.sqrt(2 / 1.1) * k * Math.PI) / 1.1))).toBeLessThan(1e-14);
  });

  it('gaussian with the cutoff flag is not zero outside: only the centers move (as in e3nn)', () => {
    expect(at(radialBasisAttrs('gaussian', 2, 1), 1.2)[1]).toBeGreaterThan(0);
  });

  it('lays out n rows of `number` values', () => {
    const y = softOneHotLinspace(Float64Array.of(0.1, 0.6), radialBasisAttrs('bessel', 4, 1));
    expect(y.length).toBe(8);
    expect(y[4]).toBeCloseTo((Math.sqrt(2) * Math.sin(Math.PI * 0.6)) / 0.6, 14);
  });

  it('rejects bases e3nn cannot build', () => {
    expect(checkRadialBasis({ basis: 'gaussian', number: 1, start: 0, end: 1, cutoff: false })).toMatch(/at least 2/);
    expect(checkRadialBasis({ basis: 'bessel', number: 0, start: 0, end: 1, cutoff: true })).toMatch(/positive integer/);
    expect(() => softOneHotLinspace(Float64Array.of(1), { basis: 'gaussian', number: 3, start: 1, end: 1, cutoff: true })).toThrow(/end > start/);
  });
});

describe('soft_unit_step and linspace', () => {
  it('soft_unit_step is exp(-1/x) for x > 0 and 0 otherwise', () => {
    expect(softUnitStep(1)).toBe(Math.exp(-1));
    expect(softUnitStep(0)).toBe(0);
    expect(softUnitStep(-2)).toBe(0);
  });

  it('linspace hits both ends exactly, like torch', () => {
    const v = linspace(0, 1.1, 10);
    expect(v[0]).toBe(0);
    expect(v[9]).toBe(1.1);
    expect(v[4]).toBeCloseTo(0.4888888888888889, 15);
  });
});
