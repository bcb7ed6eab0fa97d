// The e3nn reference values (test/fixtures/e3nn-basis.json, computed with e3nn 0.5.6 in float64)
// and the comparison the o3 tests share: 1e-12 relative, or 1e-12 absolute near zero.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type Nested = number | Nested[];

export interface E3nnFixture {
  wigner_3j: { entries: { l1: number; l2: number; l3: number; shape: number[]; data: Nested; frobenius_norm: number }[] };
  spherical_harmonics: {
    unit_vectors: number[][];
    raw_vectors: number[][];
    cases: {
      vectors: 'unit_vectors' | 'raw_vectors';
      normalize: boolean;
      normalization: 'component' | 'norm' | 'integral';
      per_l: Record<string, number[][]>;
      lmax4_concat: number[][];
    }[];
    zero_vector_normalize_true_component: number[][];
  };
  rotations: {
    cases: {
      alpha: number;
      beta: number;
      gamma: number;
      angles_to_matrix: number[][];
      matrix_x_alpha: number[][];
      matrix_y_alpha: number[][];
      matrix_z_alpha: number[][];
      D: Record<string, number[][]>;
      D_k1: Record<string, number[][]>;
    }[];
    D_from_matrix: {
      irreps: string;
      R: number[][];
      matrix_to_angles_R: [number, number, number];
      D_R: number[][];
      minus_R: number[][];
      D_minus_R: number[][];
    };
    l1_D_equals_R: boolean;
    xyz_to_angles_example: { xyz: number[]; alpha_beta: [number, number] };
  };
  irreps_algebra: {
    valid: {
      input: string;
      repr: string;
      list: [number, number, number][];
      dim: number;
      num_irreps: number;
      len: number;
      ls: number[];
      lmax: { ok: true; value: number } | { ok: false; error_type: string; error_message: string };
      simplify: string;
      remove_zero_multiplicities: string;
      sort_irreps: string;
      sort_p: number[];
      sort_inv: number[];
      regroup: string;
      slices: [number, number][];
    }[];
    invalid: ({ input: string; ok: false; error_message: string } | { input: string; ok: true; value: string })[];
    irrep_invalid: { input: string; ok: false; error_message: string }[];
    irrep_products: { a: string; b: string; products: string[] }[];
    irrep_iterator_first8: string[];
    spherical_harmonics_irreps_lmax3: string;
  };
}

const path = fileURLToPath(new URL('../../fixtures/e3nn-basis.json', import.meta.url));
export const fixture = JSON.parse(readFileSync(path, 'utf8')) as E3nnFixture;

export function flatten(x: Nested): number[] {
  return Array.isArray(x) ? x.flatMap(flatten) : [x];
}

/**
 * The worst of |a - b| / max(|b|, 1) over all entries: a relative error for entries above 1
 * and an absolute one below, so 1e-12 means "1e-12 relative, or 1e-12 absolute near zero".
 */
export function worstError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const err = Math.abs(actual[i]! - e) / Math.max(Math.abs(e), 1);
    if (!(err <= worst)) worst = Number.isNaN(err) ? Infinity : Math.max(worst, err);
  }
  return worst;
}
