// Radial bases on edge lengths: e3nn's soft_one_hot_linspace and soft_unit_step
// (e3nn/math/_soft_one_hot_linspace.py and _soft_unit_step.py, 0.5.6), in float64, with the
// same operation order as e3nn so that values agree to rounding.

import type { CutoffEnvelopeAttrs, RadialBasisAttrs } from '../../ir/types.js';

export type RadialBasisName = RadialBasisAttrs['basis'];

export const RADIAL_BASES: readonly RadialBasisName[] = ['gaussian', 'cosine', 'smooth_finite', 'fourier', 'bessel'];

/** theta(x) e^{-1/x}: 0 for x <= 0. */
export function softUnitStep(x: number): number {
  return x > 0 ? Math.exp(-1 / x) : 0;
}

/** torch.linspace: start + step*i on the first half, end - step*(steps-1-i) on the second. */
export function linspace(start: number, end: number, steps: number): Float64Array {
  const out = new Float64Array(steps);
  if (steps === 1) {
    out[0] = start;
    return out;
  }
  const step = (end - start) / (steps - 1);
  const halfway = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) out[i] = i < halfway ? start + step * i : end - step * (steps - i - 1);
  return out;
}

/**
 * e3nn computes `1.14136 * torch.exp(torch.tensor(2.0))` in float32 (torch.tensor(2.0) is a
 * float32 tensor, and a Python scalar times it stays float32), so the smooth_finite scale is
 * float32(float32(1.14136) * float32(e^2)) = 8.433573722839355 (torch's scalar exp is correctly
 * rounded here), not 1.14136 e^2 = 8.4335730690... in float64: they differ by 8e-8.
 */
const SMOOTH_FINITE_SCALE = Math.fround(Math.fround(1.14136) * Math.fround(Math.exp(2)));

/** Why a radial basis cannot be built, or undefined. */
export function checkRadialBasis(attrs: RadialBasisAttrs): string | undefined {
  if (!Number.isInteger(attrs.number) || attrs.number < 1) return `the number of basis functions must be a positive integer, got ${attrs.number}`;
  if (!attrs.cutoff && attrs.number < 2 && attrs.basis !== 'fourier' && attrs.basis !== 'bessel') {
    return 'without a cutoff the basis needs at least 2 functions (e3nn spaces them by values[1] - values[0])';
  }
  if (!(attrs.end > attrs.start)) return `the basis needs end > start, got start ${attrs.start} and end ${attrs.end}`;
  return undefined;
}

/**
 * soft_one_hot_linspace(x, start, end, number, basis, cutoff) for each x: output row-major
 * (x.length, number). With cutoff the centers are linspace(start, end, number + 2)[1:-1].
 */
export function softOneHotLinspace(x: Float64Array, attrs: RadialBasisAttrs): Float64Array {
  const problem = checkRadialBasis(attrs);
  if (problem) throw new RangeError(problem);
  const { start, end, number: n, basis, cutoff } = attrs;
  const out = new Float64Array(x.length * n);

  // Centers and their spacing (e3nn: step = values[1] - values[0]).
  let values: Float64Array;
  let step = 0;
  if (basis !== 'fourier' && basis !== 'bessel') {
    const all = linspace(start, end, cutoff ? n + 2 : n);
    step = all[1]! - all[0]!;
    values = cutoff ? all.subarray(1, n + 1) : all;
  } else {
    values = new Float64Array(0);
  }

  for (let e = 0; e < x.length; e++) {
    const xe = x[e]!;
    const row = e * n;
    for (let i = 0; i < n; i++) {
      let v: number;
      switch (basis) {
        case 'gaussian': {
          const diff = (xe - values[i]!) / step;
          v = Math.exp(-(diff * diff)) / 1.12;
          break;
        }
        case 'cosine': {
          const diff = (xe - values[i]!) / step;
          v = diff < 1 && -1 < diff ? Math.cos((Math.PI / 2) * diff) : 0;
          break;
        }
        case 'smooth_finite': {
          const diff = (xe - values[i]!) / step;
          v = SMOOTH_FINITE_SCALE * softUnitStep(diff + 1) * softUnitStep(1 - diff);
          break;
        }
        case 'fourier': {
          const t = (xe - start) / (end - start);
          if (!cutoff) v = Math.cos(Math.PI * i * t) / Math.sqrt(0.25 + n / 2);
          else v = 0 < t && t < 1 ? Math.sin(Math.PI * (i + 1) * t) / Math.sqrt(0.25 + n / 2) : 0;
          break;
        }
        case 'bessel': {
          // sqrt(2/c) sin(k pi t / c) / t with t = x - start. At t = 0 e3nn computes 0/0 = NaN
          // (NaN even after its cutoff mask); here it is the limit sqrt(2/c) k pi / c, and 0 with
          // the cutoff, so that two coincident points do not poison a whole model.
          const t = xe - start;
          const c = end - start;
          const root = (i + 1) * Math.PI;
          v = t === 0 ? (Math.sqrt(2 / c) * root) / c : (Math.sqrt(2 / c) * Math.sin((root * t) / c)) / t;
          if (cutoff && !(t / c < 1 && 0 < t)) v = 0;
          break;
        }
      }
      out[row + i] = v;
    }
  }
  return out;
}

/**
 * d/dx of softOneHotLinspace, row-major (x.length, number), for reverse mode: the same centres
 * and masks, each basis function differentiated in closed form (0 outside a cutoff's support).
 */
export function softOneHotLinspaceDerivative(x: Float64Array, attrs: RadialBasisAttrs): Float64Array {
  const problem = checkRadialBasis(attrs);
  if (problem) throw new RangeError(problem);
  const { start, end, number: n, basis, cutoff } = attrs;
  const out = new Float64Array(x.length * n);
  let values: Float64Array = new Float64Array(0);
  let step = 0;
  if (basis !== 'fourier' && basis !== 'bessel') {
    const all = linspace(start, end, cutoff ? n + 2 : n);
    step = all[1]! - all[0]!;
    values = cutoff ? all.subarray(1, n + 1) : all;
  }
  // d/dy of softUnitStep(y) = e^{-1/y} / y^2 for y > 0.
  const du = (y: number) => (y > 0 ? Math.exp(-1 / y) / (y * y) : 0);
  for (let e = 0; e < x.length; e++) {
    const xe = x[e]!;
    for (let i = 0; i < n; i++) {
      let dv = 0;
      switch (basis) {
        case 'gaussian': {
          const diff = (xe - values[i]!) / step;
          dv = ((Math.exp(-(diff * diff)) / 1.12) * -2 * diff) / step;
          break;
        }
        case 'cosine': {
          const diff = (xe - values[i]!) / step;
          dv = diff < 1 && -1 < diff ? (-Math.sin((Math.PI / 2) * diff) * (Math.PI / 2)) / step : 0;
          break;
        }
        case 'smooth_finite': {
          const diff = (xe - values[i]!) / step;
          dv = (SMOOTH_FINITE_SCALE * (du(diff + 1) * softUnitStep(1 - diff) - softUnitStep(diff + 1) * du(1 - diff))) / step;
          break;
        }
        case 'fourier': {
          const c = end - start;
          const t = (xe - start) / c;
          const norm = Math.sqrt(0.25 + n / 2);
          if (!cutoff) dv = (-Math.PI * i * Math.sin(Math.PI * i * t)) / c / norm;
          else dv = 0 < t && t < 1 ? (Math.PI * (i + 1) * Math.cos(Math.PI * (i + 1) * t)) / c / norm : 0;
          break;
        }
        case 'bessel': {
          const t = xe - start;
          const c = end - start;
          const k = ((i + 1) * Math.PI) / c;
          const a = Math.sqrt(2 / c);
          // d/dt a sin(k t) / t = a (k t cos(k t) - sin(k t)) / t^2, whose limit at t = 0 is 0.
          dv = t === 0 ? 0 : (a * (k * t * Math.cos(k * t) - Math.sin(k * t))) / (t * t);
          if (cutoff && !(t / c < 1 && 0 < t)) dv = 0;
          break;
        }
      }
      out[e * n + i] = dv;
    }
  }
  return out;
}

/** eqv's `bessel(len, n, cutoff = c)` and `gaussian(len, n, cutoff = c)`: start 0, end c, e3nn cutoff=True. */
export function radialBasisAttrs(basis: RadialBasisName, number: number, cutoff: number): RadialBasisAttrs {
  return { basis, number, start: 0, end: cutoff, cutoff: true };
}

/**
 * The coefficients (a, b, c) of NequIP's polynomial envelope 1 + x^p (a + b x + c x^2):
 * a = -(p+1)(p+2)/2, b = p(p+2), c = -p(p+1)/2, so that it and its first two derivatives
 * vanish at x = 1.
 */
export function polynomialEnvelopeCoefficients(p: number): readonly [number, number, number] {
  return [-((p + 1) * (p + 2)) / 2, p * (p + 2), -(p * (p + 1)) / 2];
}

/** A cutoff envelope of one length, in float64 (docs/ir.md `cutoff_envelope`). */
export function cutoffEnvelope(length: number, attrs: CutoffEnvelopeAttrs): number {
  const x = length / attrs.cutoff;
  if (!(x < 1)) return 0;
  if (attrs.envelope === 'cosine') return 0.5 * (Math.cos(Math.PI * x) + 1);
  const [a, b, c] = polynomialEnvelopeCoefficients(attrs.p);
  return 1 + x ** attrs.p * (a + x * (b + c * x));
}
