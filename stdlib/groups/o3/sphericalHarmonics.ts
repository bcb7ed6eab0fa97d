// Spherical harmonics in e3nn's convention (e3nn's o3.spherical_harmonics): components of each
// degree l ordered m = -l..l, the y axis polar. They are the textbook real harmonics (no
// Condon-Shortley phase) evaluated at (X, Y, Z) = (z, x, y):
//   m > 0:  sqrt2 N_lm P_l^m(Z) Re (X + iY)^m,   m < 0:  sqrt2 N_l|m| P_l^|m|(Z) Im (X + iY)^|m|
// with Legendre's part built by the three-term recurrence in l for each m, written on solid
// harmonics so that normalize = false gives the homogeneous polynomial of degree l. The
// recurrence is stable for every l (no expanded polynomial, whose cancellations cost digits).
//
// Normalizations: `component` (sum_m Y^2 = 2l+1 on the unit sphere; the DSL's default),
// `norm` (component / sqrt(2l+1)) and `integral` (component / sqrt(4 pi); e3nn's default).

import type { SphericalHarmonicsAttrs } from '../../../ir/types.js';
import { Irrep, Irreps, IrrepsError } from './irreps.js';

export type ShNormalization = 'component' | 'norm' | 'integral';

export interface SphericalHarmonicsOptions {
  /** Project the vectors on the unit sphere first (the zero vector stays zero, as in e3nn). Default true. */
  readonly normalize?: boolean;
  /** Default `component`. */
  readonly normalization?: ShNormalization;
}

/** Vectors as a flat (n * 3) array or as a list of [x, y, z]. */
export type Vectors = Float64Array | readonly number[] | readonly (readonly number[])[];

interface Recurrence {
  /** a_mm / a_(m-1)(m-1) = sqrt((2m+1) / 2m). */
  readonly sectoral: Float64Array;
  /** a_lm = A[l, m] Z a_(l-1)m - B[l, m] r^2 a_(l-2)m, indexed l * (lmax + 1) + m. */
  readonly a: Float64Array;
  readonly b: Float64Array;
}

const recurrences = new Map<number, Recurrence>();

function recurrence(lmax: number): Recurrence {
  let r = recurrences.get(lmax);
  if (r) return r;
  const w = lmax + 1;
  const sectoral = new Float64Array(w);
  const a = new Float64Array(w * w);
  const b = new Float64Array(w * w);
  for (let m = 1; m <= lmax; m++) sectoral[m] = Math.sqrt((2 * m + 1) / (2 * m));
  for (let m = 0; m <= lmax; m++) {
    for (let l = m + 1; l <= lmax; l++) {
      const d = (l - m) * (l + m);
      a[l * w + m] = Math.sqrt(((2 * l - 1) * (2 * l + 1)) / d);
      b[l * w + m] = l >= m + 2 ? Math.sqrt(((2 * l + 1) * (l - 1 - m) * (l - 1 + m)) / ((2 * l - 3) * d)) : 0;
    }
  }
  r = { sectoral, a, b };
  recurrences.set(lmax, r);
  return r;
}

/** The output factor of degree l for m = 0 under a normalization; m != 0 gets sqrt2 more. */
export function degreeScale(l: number, normalization: ShNormalization): number {
  switch (normalization) {
    case 'component':
      return 1;
    case 'norm':
      return 1 / Math.sqrt(2 * l + 1);
    case 'integral':
      return 1 / Math.sqrt(4 * Math.PI);
    default:
      throw new RangeError(`normalization must be 'component', 'norm' or 'integral', got '${String(normalization)}'`);
  }
}

/**
 * The IR attributes of spherical harmonics of degrees `ls`: the recurrence and normalization
 * tables for degrees 0..max(ls), computed here once so that every target reads the same
 * constants (docs/ir.md, `spherical_harmonics`).
 */
export function sphericalHarmonicsAttrs(ls: readonly number[], normalize: boolean, normalization: ShNormalization): SphericalHarmonicsAttrs {
  for (const l of ls) if (!Number.isInteger(l) || l < 0) throw new RangeError(`spherical harmonics degrees must be non-negative integers, got ${l}`);
  const lmax = Math.max(0, ...ls);
  const w = lmax + 1;
  const { sectoral, a, b } = recurrence(lmax);
  const rows = (t: Float64Array) => Array.from({ length: w }, (_, l) => Array.from(t.subarray(l * w, (l + 1) * w)));
  return {
    ls: [...ls],
    normalize,
    normalization,
    scales: Array.from({ length: w }, (_, l) => degreeScale(l, normalization)),
    sectoral: Array.from(sectoral, (v, m) => (m === 0 ? 1 : v)),
    recurrenceA: rows(a),
    recurrenceB: rows(b),
  };
}

/**
 * The fast path: every degree 0..lmax of n = xyz.length / 3 vectors, written to
 * out[v * (lmax+1)^2 + l^2 + l + m]. Plain loops, no allocation per vector; `out` is allocated
 * when not given.
 */
export function sphericalHarmonicsInto(
  lmax: number,
  xyz: Float64Array,
  out?: Float64Array,
  normalize = true,
  normalization: ShNormalization = 'component',
): Float64Array {
  if (!Number.isInteger(lmax) || lmax < 0) throw new RangeError(`lmax must be a non-negative integer, got ${lmax}`);
  if (xyz.length % 3 !== 0) throw new RangeError(`vectors must have 3 components each; got a flat array of length ${xyz.length}`);
  const n = xyz.length / 3;
  const size = (lmax + 1) * (lmax + 1);
  const dst = out ?? new Float64Array(n * size);
  if (dst.length < n * size) throw new RangeError(`out holds ${dst.length} values; ${n} vectors up to l = ${lmax} need ${n * size}`);
  const { sectoral, a, b } = recurrence(lmax);
  const w = lmax + 1;
  const scale0 = new Float64Array(w);
  const scale1 = new Float64Array(w);
  for (let l = 0; l <= lmax; l++) {
    scale0[l] = degreeScale(l, normalization);
    scale1[l] = Math.SQRT2 * scale0[l]!;
  }

  for (let v = 0; v < n; v++) {
    let x = xyz[3 * v]!;
    let y = xyz[3 * v + 1]!;
    let z = xyz[3 * v + 2]!;
    if (normalize) {
      // torch.nn.functional.normalize: divide by max(|x|, 1e-12), so zero stays zero.
      const inv = 1 / Math.max(Math.sqrt(x * x + y * y + z * z), 1e-12);
      x *= inv;
      y *= inv;
      z *= inv;
    }
    const r2 = x * x + y * y + z * z;
    // Textbook axes: X = z, Y = x, polar Z = y.
    const X = z;
    const Y = x;
    const Z = y;
    const base = v * size;
    let cm = 1; // Re (X + iY)^m
    let sm = 0; // Im (X + iY)^m
    let amm = 1;
    for (let m = 0; m <= lmax; m++) {
      if (m > 0) {
        const c = X * cm - Y * sm;
        sm = X * sm + Y * cm;
        cm = c;
        amm *= sectoral[m]!;
      }
      let prev2 = 0;
      let prev1 = amm;
      for (let l = m; l <= lmax; l++) {
        if (l > m) {
          const next = a[l * w + m]! * Z * prev1 - b[l * w + m]! * r2 * prev2;
          prev2 = prev1;
          prev1 = next;
        }
        const centre = base + l * l + l;
        if (m === 0) {
          dst[centre] = scale0[l]! * prev1;
        } else {
          const f = scale1[l]! * prev1;
          dst[centre + m] = f * cm;
          dst[centre - m] = f * sm;
        }
      }
    }
  }
  return dst;
}

/**
 * Reverse mode of sphericalHarmonicsInto: given d(loss)/d(out) for every degree 0..lmax of each
 * vector (layout as sphericalHarmonicsInto writes it), d(loss)/d(xyz), (n * 3). The recurrence
 * is run forward with the derivative of each quantity with respect to the (normalized) vector
 * carried along (three numbers each), then contracted with the incoming gradient; with
 * `normalize` the result goes through the projection u = v/|v|: dv = (du - u (u.du)) / |v|.
 */
export function sphericalHarmonicsBackwardInto(
  lmax: number,
  xyz: Float64Array,
  gradOut: Float64Array,
  normalize = true,
  normalization: ShNormalization = 'component',
): Float64Array {
  const n = xyz.length / 3;
  const size = (lmax + 1) * (lmax + 1);
  const { sectoral, a, b } = recurrence(lmax);
  const w = lmax + 1;
  const gradIn = new Float64Array(n * 3);
  const d1 = new Float64Array(3);
  const d2 = new Float64Array(3);
  const dc = new Float64Array(3);
  const ds = new Float64Array(3);
  const tmp = new Float64Array(3);
  for (let v = 0; v < n; v++) {
    let x = xyz[3 * v]!;
    let y = xyz[3 * v + 1]!;
    let z = xyz[3 * v + 2]!;
    let inv = 1;
    if (normalize) {
      inv = 1 / Math.max(Math.sqrt(x * x + y * y + z * z), 1e-12);
      x *= inv;
      y *= inv;
      z *= inv;
    }
    const r2 = x * x + y * y + z * z;
    // d/d(x, y, z) of X = z, Y = x, Z = y and r2.
    const dX = [0, 0, 1];
    const dY = [1, 0, 0];
    const dZ = [0, 1, 0];
    const dr2 = [2 * x, 2 * y, 2 * z];
    const X = z;
    const Y = x;
    const Z = y;
    const g = gradOut.subarray(v * size, (v + 1) * size);
    const gu = [0, 0, 0];
    let cm = 1;
    let sm = 0;
    dc.fill(0);
    ds.fill(0);
    let amm = 1;
    for (let m = 0; m <= lmax; m++) {
      if (m > 0) {
        for (let q = 0; q < 3; q++) {
          const c = dX[q]! * cm + X * dc[q]! - dY[q]! * sm - Y * ds[q]!;
          ds[q] = dX[q]! * sm + X * ds[q]! + dY[q]! * cm + Y * dc[q]!;
          dc[q] = c;
        }
        const c = X * cm - Y * sm;
        sm = X * sm + Y * cm;
        cm = c;
        amm *= sectoral[m]!;
      }
      let prev2 = 0;
      let prev1 = amm;
      d1.fill(0);
      d2.fill(0);
      for (let l = m; l <= lmax; l++) {
        if (l > m) {
          const al = a[l * w + m]!;
          const bl = b[l * w + m]!;
          for (let q = 0; q < 3; q++) tmp[q] = al * (dZ[q]! * prev1 + Z * d1[q]!) - bl * (dr2[q]! * prev2 + r2 * d2[q]!);
          const next = al * Z * prev1 - bl * r2 * prev2;
          prev2 = prev1;
          prev1 = next;
          d2.set(d1);
          d1.set(tmp);
        }
        const centre = l * l + l;
        const s0 = degreeScale(l, normalization);
        if (m === 0) {
          const gc = g[centre]! * s0;
          for (let q = 0; q < 3; q++) gu[q]! += gc * d1[q]!;
        } else {
          const f = Math.SQRT2 * s0;
          const gp = g[centre + m]! * f;
          const gm = g[centre - m]! * f;
          for (let q = 0; q < 3; q++) gu[q]! += gp * (d1[q]! * cm + prev1 * dc[q]!) + gm * (d1[q]! * sm + prev1 * ds[q]!);
        }
      }
    }
    if (normalize) {
      const dot = gu[0]! * x + gu[1]! * y + gu[2]! * z;
      gradIn[3 * v] = (gu[0]! - x * dot) * inv;
      gradIn[3 * v + 1] = (gu[1]! - y * dot) * inv;
      gradIn[3 * v + 2] = (gu[2]! - z * dot) * inv;
    } else {
      gradIn.set(gu, 3 * v);
    }
  }
  return gradIn;
}

function flatVectors(vectors: Vectors): Float64Array {
  if (vectors instanceof Float64Array) return vectors;
  if (vectors.length > 0 && typeof vectors[0] !== 'number') {
    const rows = vectors as readonly (readonly number[])[];
    const out = new Float64Array(rows.length * 3);
    rows.forEach((row, i) => {
      if (row.length !== 3) throw new RangeError(`vector ${i} has ${row.length} components, not 3`);
      out.set(row, 3 * i);
    });
    return out;
  }
  return Float64Array.from(vectors as readonly number[]);
}

/** The degrees asked for, in order, checking an Irreps request's parities like e3nn. */
function degreesOf(ls: number | readonly number[] | Irreps | string): number[] {
  if (typeof ls === 'number') return [ls];
  if (Array.isArray(ls)) return [...(ls as readonly number[])];
  const irreps = typeof ls === 'string' ? Irreps.parse(ls) : (ls as Irreps);
  // A pseudovector input (1e) is implied when an odd degree is asked with even parity.
  const inputP = irreps.blocks.some((b) => b.ir.l % 2 === 1 && b.ir.p === 1) ? 1 : -1;
  const out: number[] = [];
  for (const { mul, ir } of irreps.blocks) {
    const expected = ir.l % 2 === 0 ? 1 : inputP;
    if (ir.p !== expected) {
      throw new IrrepsError(
        `irreps_out \`${irreps}\` passed to SphericalHarmonics asked for an output of l = ${ir.l} with parity p = ${ir.p}, which is inconsistent with the input parity ${inputP} — the output parity should have been p = ${expected}`,
      );
    }
    for (let u = 0; u < mul; u++) out.push(ir.l);
  }
  return out;
}

/**
 * e3nn's spherical_harmonics(ls, vectors, normalize, normalization): for each vector, the
 * harmonics of each requested degree concatenated in the order asked, 2l+1 components each.
 * `ls` is a degree, a list of degrees, or irreps such as `1x0e+1x1o+1x2e`.
 */
export function sphericalHarmonics(ls: number | readonly number[] | Irreps | string, vectors: Vectors, options: SphericalHarmonicsOptions = {}): Float64Array {
  const { normalize = true, normalization = 'component' } = options;
  const degrees = degreesOf(ls);
  for (const l of degrees) if (!Number.isInteger(l) || l < 0) throw new RangeError(`spherical harmonics degrees must be non-negative integers, got ${l}`);
  const xyz = flatVectors(vectors);
  const n = xyz.length / 3;
  if (degrees.length === 0) {
    if (xyz.length % 3 !== 0) throw new RangeError(`vectors must have 3 components each; got a flat array of length ${xyz.length}`);
    return new Float64Array(0);
  }
  const lmax = Math.max(...degrees);
  const all = sphericalHarmonicsInto(lmax, xyz, undefined, normalize, normalization);
  const size = (lmax + 1) * (lmax + 1);
  const width = degrees.reduce((s, l) => s + 2 * l + 1, 0);
  if (width === size && degrees.every((l, i) => l === i)) return all;
  const out = new Float64Array(n * width);
  for (let v = 0; v < n; v++) {
    let o = v * width;
    for (const l of degrees) {
      out.set(all.subarray(v * size + l * l, v * size + (l + 1) * (l + 1)), o);
      o += 2 * l + 1;
    }
  }
  return out;
}

/** The irreps of spherical_harmonics(ls) of a vector of parity p (1o by default): l with parity p^l. */
export function sphericalHarmonicsIrreps(ls: readonly number[], p: 1 | -1 = -1): Irreps {
  return new Irreps(ls.map((l) => ({ mul: 1, ir: new Irrep(l, l % 2 === 0 ? 1 : p) })));
}
