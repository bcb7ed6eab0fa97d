// e3nn's change of basis between the complex |l, mu> basis of SU(2) and the real basis in which
// every O(3) quantity of this library is expressed (e3nn's change_basis_real_to_complex):
//   Q[mu, r] for real index r (m = -l..l) is non-zero only for mu = +-r:
//     r < 0:  Q[r, r] = -i/sqrt2,  Q[|r|, r] = i (-1)^r / sqrt2
//     r = 0:  Q[0, 0] = 1
//     r > 0:  Q[-r, r] = 1/sqrt2,  Q[r, r] = (-1)^r / sqrt2
//   all times (-i)^l, the factor that makes the Clebsch-Gordan coefficients real.
// A complex-basis operator M becomes Q^dagger M Q. The Clebsch-Gordan tables, the Wigner D
// matrices and (through the textbook real harmonics) the spherical harmonics all use this one
// Q, which is what makes them consistent with each other and with e3nn.

/** One non-zero Q[mu, r]: the phase re + i im (each 0 or +-1) and whether it carries 1/sqrt2. */
export interface BasisEntry {
  readonly mu: number;
  readonly re: number;
  readonly im: number;
  readonly halved: boolean;
}

/** The non-zeros of column r of Q, without the global (-i)^l. */
export function realBasisColumn(r: number): readonly BasisEntry[] {
  if (r === 0) return [{ mu: 0, re: 1, im: 0, halved: false }];
  const s = r % 2 === 0 ? 1 : -1;
  if (r > 0) {
    return [
      { mu: -r, re: 1, im: 0, halved: true },
      { mu: r, re: s, im: 0, halved: true },
    ];
  }
  return [
    { mu: r, re: 0, im: -1, halved: true },
    { mu: -r, re: 0, im: s, halved: true },
  ];
}

/** (-i)^n as [re, im], for any integer n. */
export function powerOfMinusI(n: number): [number, number] {
  switch (((n % 4) + 4) % 4) {
    case 0:
      return [1, 0];
    case 1:
      return [0, -1];
    case 2:
      return [-1, 0];
    default:
      return [0, 1];
  }
}

/**
 * Q^dagger M Q for a real matrix M given in the complex basis (rows mu', columns mu, -l..l),
 * e.g. the small-d matrix. The result is real for the operators of a rotation; an imaginary
 * part above 1e-12 means M was not one, which is a bug.
 */
export function complexToRealBasis(l: number, m: Float64Array): Float64Array {
  const n = 2 * l + 1;
  const out = new Float64Array(n * n);
  for (let a = -l; a <= l; a++) {
    const colA = realBasisColumn(a);
    for (let b = -l; b <= l; b++) {
      const colB = realBasisColumn(b);
      let re = 0;
      let im = 0;
      for (const p of colA) {
        for (const q of colB) {
          const v = m[(p.mu + l) * n + (q.mu + l)]!;
          if (v === 0) continue;
          // conj(p) * q, times the magnitude 1/sqrt2 per halved entry
          const pr = p.re * q.re + p.im * q.im;
          const pi = p.re * q.im - p.im * q.re;
          const scale = p.halved && q.halved ? 0.5 : p.halved || q.halved ? Math.SQRT1_2 : 1;
          re += pr * scale * v;
          im += pi * scale * v;
        }
      }
      if (Math.abs(im) > 1e-12) throw new Error(`internal: complex-to-real change of basis left an imaginary part ${im} at l = ${l}`);
      out[(a + l) * n + (b + l)] = re;
    }
  }
  return out;
}
