// Exact SU(2) coefficients in the complex |l, m> basis, for integer l. Both are written as
// sign * sqrt(p / q) with p, q integers computed in BigInt, so each float64 is within an ulp of
// the true value for any l: floating-point sums of these (Racah's formula, the small-d sum)
// alternate in sign and lose about l digits to cancellation, which is 1e-8 at l = 16.
//   - Clebsch-Gordan coefficients <l1 m1 l2 m2 | l3 m3> (Condon-Shortley phases, as e3nn's
//     qutip-derived _su2_clebsch_gordan), with Racah's sum rewritten over binomials so the
//     sum itself is an integer;
//   - the Wigner small-d matrix at beta = pi/2, d(pi/2) = exp(-i pi/2 J_y), from which every
//     rotation about a non-polar axis is built (see rotations.ts).

const factorials: bigint[] = [1n];

export function factorial(n: number): bigint {
  while (factorials.length <= n) factorials.push(factorials[factorials.length - 1]! * BigInt(factorials.length));
  return factorials[n]!;
}

// Pascal's triangle, grown on demand: binomials up to C(2 lmax + 1, k) are what the sums need.
const pascal: bigint[][] = [[1n]];

export function binomial(n: number, k: number): bigint {
  if (k < 0 || k > n || n < 0) return 0n;
  while (pascal.length <= n) {
    const prev = pascal[pascal.length - 1]!;
    const row: bigint[] = [1n];
    for (let i = 1; i < prev.length; i++) row.push(prev[i - 1]! + prev[i]!);
    row.push(1n);
    pascal.push(row);
  }
  return pascal[n]![k]!;
}

/** An upper bound of the bit length, within 3 bits: enough to choose a shift. */
function bitLength(x: bigint): number {
  return x.toString(16).length * 4;
}

/**
 * sqrt(num / den) as a float64, for non-negative integers with den > 0. The quotient is taken
 * with at least 128 significant bits before one rounding to float64 and one correctly rounded
 * sqrt, so the result is within about one ulp.
 */
export function sqrtOfRatio(num: bigint, den: bigint): number {
  if (num === 0n) return 0;
  let shift = 128 - (bitLength(num) - bitLength(den));
  if (shift % 2 !== 0) shift += 1;
  const q = shift >= 0 ? (num << BigInt(shift)) / den : num / (den << BigInt(-shift));
  return Math.sqrt(Number(q)) * 2 ** (-shift / 2);
}

/** A real number sign * sqrt(num / den), exactly. */
export interface SignedSqrtRational {
  readonly sign: -1 | 0 | 1;
  readonly num: bigint;
  readonly den: bigint;
}

/**
 * Clebsch-Gordan coefficients of one triple (l1, l2, l3), for every (m1, m2) with m3 = m1 + m2.
 * The factors that depend only on the triple are computed once.
 */
export class ClebschGordanTriple {
  private readonly numConst: bigint;
  private readonly denConst: bigint;

  constructor(
    readonly l1: number,
    readonly l2: number,
    readonly l3: number,
  ) {
    if (!(Math.abs(l1 - l2) <= l3 && l3 <= l1 + l2)) throw new RangeError(`(${l1}, ${l2}, ${l3}) violates the triangle rule`);
    this.numConst = factorial(l3 + l1 - l2) * factorial(l3 - l1 + l2) * factorial(l1 + l2 - l3);
    this.denConst = factorial(l1 + l2 + l3 + 1);
  }

  /**
   * <l1 m1 l2 m2 | l3 m1+m2>^2 / (2 l3 + 1), with its sign. Dividing by 2 l3 + 1 makes the sum
   * of squares over (m1, m2, m3) equal 1, e3nn's Frobenius normalization, exactly.
   *
   * Racah: CG = sqrt((2l3+1) F) * S with
   *   F = (l3+l1-l2)! (l3-l1+l2)! (l1+l2-l3)! (l3+m3)! (l3-m3)! / ((l1+l2+l3+1)! (l1-m1)! (l1+m1)! (l2-m2)! (l2+m2)!)
   *   S = sum_v (-1)^(v+l2+m2) (l2+l3+m1-v)! (l1-m1+v)! / (v! (l3-l1+l2-v)! (l3+m3-v)! (v+l1-l2-m3)!)
   * and S = (l1+m1)! (l2+m2)! / (l3+m3)! * sum_v (-1)^(v+l2+m2) C(l2+l3+m1-v, l1+m1) C(l1-m1+v, l2+m2) C(l3+m3, v).
   */
  squared(m1: number, m2: number): SignedSqrtRational {
    const { l1, l2, l3 } = this;
    const m3 = m1 + m2;
    if (Math.abs(m1) > l1 || Math.abs(m2) > l2 || Math.abs(m3) > l3) return { sign: 0, num: 0n, den: 1n };
    const vmin = Math.max(-l1 + l2 + m3, -l1 + m1, 0);
    const vmax = Math.min(l2 + l3 + m1, l3 - l1 + l2, l3 + m3);
    let sum = 0n;
    for (let v = vmin; v <= vmax; v++) {
      const term = binomial(l2 + l3 + m1 - v, l1 + m1) * binomial(l1 - m1 + v, l2 + m2) * binomial(l3 + m3, v);
      sum += v % 2 === 0 ? term : -term;
    }
    if (sum === 0n) return { sign: 0, num: 0n, den: 1n };
    const phase = (l2 + m2) % 2 === 0 ? 1 : -1;
    const sign = (sum > 0n ? phase : -phase) as -1 | 1;
    const num = this.numConst * factorial(l3 - m3) * factorial(l1 + m1) * factorial(l2 + m2) * sum * sum;
    const den = this.denConst * factorial(l1 - m1) * factorial(l2 - m2) * factorial(l3 + m3);
    return { sign, num, den };
  }
}

/**
 * d^l(pi/2)[m', m] = <l m'| exp(-i pi/2 J_y) |l m>, row-major over m', m = -l..l, each within an
 * ulp. From Wigner's formula at cos = sin = 1/sqrt2:
 *   d = 2^-l sqrt((l+m')! (l-m')! / ((l+m)! (l-m)!)) sum_k (-1)^(k-m+m') C(l+m, k) C(l-m, l-k-m').
 */
export function smallDHalfPi(l: number): Float64Array {
  const n = 2 * l + 1;
  const out = new Float64Array(n * n);
  for (let mp = -l; mp <= l; mp++) {
    for (let m = -l; m <= l; m++) {
      let sum = 0n;
      for (let k = Math.max(0, m - mp); k <= Math.min(l + m, l - mp); k++) {
        const term = binomial(l + m, k) * binomial(l - m, l - k - mp);
        sum += (k - m + mp) % 2 === 0 ? term : -term;
      }
      if (sum === 0n) continue;
      const num = factorial(l + mp) * factorial(l - mp) * sum * sum;
      const den = (factorial(l + m) * factorial(l - m)) << BigInt(2 * l);
      out[(mp + l) * n + (m + l)] = (sum > 0n ? 1 : -1) * sqrtOfRatio(num, den);
    }
  }
  return out;
}
