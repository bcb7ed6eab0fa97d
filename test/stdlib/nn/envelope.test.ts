// Cutoff envelopes (stdlib/nn/radial.ts): NequIP's polynomial envelope is 1 at 0 and vanishes
// at the cutoff with its first two derivatives (finite differences), for several orders p; the
// cosine envelope is (cos(pi x) + 1) / 2; both are 0 beyond the cutoff.
import { describe, expect, it } from 'vitest';
import { cutoffEnvelope, polynomialEnvelopeCoefficients } from '../../../stdlib/nn/radial.js';

describe('cutoff envelopes', () => {
  for (const p of [2, 5, 6, 9]) {
    it(`polynomial, p = ${p}: 1 at 0, smooth zero at the cutoff`, () => {
      const attrs = { envelope: 'polynomial' as const, cutoff: 2.5, p };
      const f = (r: number) => cutoffEnvelope(r, attrs);
      expect(f(0)).toBe(1);
      expect(f(2.5)).toBe(0);
      expect(f(3)).toBe(0);
      const h = 1e-4;
      const r = 2.5 - 2 * h;
      // Just inside the cutoff: value, slope and curvature all vanish to the order of h.
      expect(Math.abs(f(2.5 - h))).toBeLessThan(1e-9);
      expect(Math.abs((f(r + h) - f(r - h)) / (2 * h))).toBeLessThan(1e-5);
      expect(Math.abs((f(r + h) - 2 * f(r) + f(r - h)) / (h * h))).toBeLessThan(0.05);
      // It decreases monotonically in between.
      const samples = Array.from({ length: 50 }, (_, i) => f((2.5 * i) / 50));
      for (let i = 1; i < samples.length; i++) expect(samples[i]!).toBeLessThan(samples[i - 1]!);
    });
  }

  it('polynomial coefficients for p = 6 are NequIP\'s (-28, 48, -21)', () => {
    expect(polynomialEnvelopeCoefficients(6)).toEqual([-28, 48, -21]);
  });

  it('cosine: (cos(pi r / c) + 1) / 2 inside, 0 outside', () => {
    const attrs = { envelope: 'cosine' as const, cutoff: 4 };
    expect(cutoffEnvelope(0, attrs)).toBe(1);
    expect(cutoffEnvelope(2, attrs)).toBeCloseTo(0.5, 15);
    expect(cutoffEnvelope(1, attrs)).toBeCloseTo((Math.cos(Math.PI / 4) + 1) / 2, 15);
    expect(cutoffEnvelope(4, attrs)).toBe(0);
    expect(cutoffEnvelope(7, attrs)).toBe(0);
  });
});
