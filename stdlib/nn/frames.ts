// Frame averaging (Puny et al., "Frame Averaging for Invariant and Equivariant Network Design",
// ICLR 2022) over PCA frames of a point cloud. The frame of a cloud of n points p_i is built
// from its centroid c and the eigenvectors e_1, e_2, e_3 of its covariance
// C = (1/n) Σ (p_i - c)(p_i - c)^T, in decreasing order of eigenvalue; each eigenvector is
// fixed only up to sign, so the frames are F = [s_1 e_1, s_2 e_2, s_3 e_3] for the 8 sign
// choices (O(3), E(3)) or the 4 with det F = +1 (SO(3), SE(3)). Under p -> R p + t the set of
// frames maps to {R F} and c to R c + t, so a function averaged over the set is exactly
// invariant (or, multiplied back by F, equivariant). Repeated eigenvalues leave the frame
// undefined (any rotation in the eigenspace would do): that is an error, not a silent choice.
// One exception is exact: a graph whose points all sit at the centroid (a single point) has
// framed coordinates 0 in every frame, and the sign average of F v is 0, so any frame gives the
// same (equivariant) result; it gets the identity's signs.

/** Eigenvalues (descending) and unit eigenvectors (columns of a row-major 3x3) of a symmetric 3x3. */
export function symmetricEigen3(c: ArrayLike<number>): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(c);
  const v = Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1);
  // Cyclic Jacobi rotations: quadratic convergence, exact orthogonality up to rounding.
  for (let sweep = 0; sweep < 50; sweep++) {
    const off = a[1]! * a[1]! + a[2]! * a[2]! + a[5]! * a[5]!;
    const scale = a[0]! * a[0]! + a[4]! * a[4]! + a[8]! * a[8]! + off;
    if (off <= 1e-30 * scale || off === 0) break;
    for (const [p, q] of [
      [0, 1],
      [0, 2],
      [1, 2],
    ] as const) {
      const apq = a[3 * p + q]!;
      if (apq === 0) continue;
      const theta = (a[3 * q + q]! - a[3 * p + p]!) / (2 * apq);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const cs = 1 / Math.sqrt(t * t + 1);
      const sn = t * cs;
      for (let k = 0; k < 3; k++) {
        const akp = a[3 * k + p]!;
        const akq = a[3 * k + q]!;
        a[3 * k + p] = cs * akp - sn * akq;
        a[3 * k + q] = sn * akp + cs * akq;
      }
      for (let k = 0; k < 3; k++) {
        const apk = a[3 * p + k]!;
        const aqk = a[3 * q + k]!;
        a[3 * p + k] = cs * apk - sn * aqk;
        a[3 * q + k] = sn * apk + cs * aqk;
      }
      for (let k = 0; k < 3; k++) {
        const vkp = v[3 * k + p]!;
        const vkq = v[3 * k + q]!;
        v[3 * k + p] = cs * vkp - sn * vkq;
        v[3 * k + q] = sn * vkp + cs * vkq;
      }
    }
  }
  const order = [0, 1, 2].sort((i, j) => a[4 * j]! - a[4 * i]!);
  const values = Float64Array.from(order, (i) => a[4 * i]!);
  const vectors = new Float64Array(9);
  order.forEach((src, dst) => {
    for (let k = 0; k < 3; k++) vectors[3 * k + dst] = v[3 * k + src]!;
  });
  return { values, vectors };
}

/** The sign choices (s1, s2, s3) of the frames: all 8, or the 4 with s1 s2 s3 = sign. */
export function frameSigns(frames: 4 | 8, sign: 1 | -1 = 1): (readonly [number, number, number])[] {
  const all: (readonly [number, number, number])[] = [];
  for (const s1 of [1, -1]) for (const s2 of [1, -1]) for (const s3 of [1, -1]) if (frames === 8 || s1 * s2 * s3 === sign) all.push([s1, s2, s3]);
  return all;
}

export class DegenerateFrameError extends Error {}

export interface GraphFrames {
  /** Centroid of each graph, (numGraphs, 3). */
  readonly centroids: Float64Array;
  /** Frames of each graph, (numGraphs, frames, 3, 3) row-major, columns s_j e_j. */
  readonly frames: Float64Array;
}

/**
 * PCA frames of the points of each graph (nodes of graph g are graphPtr[g] .. graphPtr[g+1]).
 * Throws DegenerateFrameError when two eigenvalues are within `tolerance` times the largest
 * (fewer than 3 points, or a symmetric cloud), naming the graph and its eigenvalues.
 */
export function pcaFrames(pos: ArrayLike<number>, graphPtr: ArrayLike<number>, frames: 4 | 8, tolerance: number): GraphFrames {
  const numGraphs = graphPtr.length - 1;
  const centroids = new Float64Array(numGraphs * 3);
  const out = new Float64Array(numGraphs * frames * 9);
  for (let g = 0; g < numGraphs; g++) {
    const start = graphPtr[g]!;
    const end = graphPtr[g + 1]!;
    const n = end - start;
    const c = [0, 0, 0];
    for (let i = start; i < end; i++) for (let k = 0; k < 3; k++) c[k]! += pos[3 * i + k]! / n;
    const cov = new Float64Array(9);
    for (let i = start; i < end; i++) {
      for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) cov[3 * a + b]! += ((pos[3 * i + a]! - c[a]!) * (pos[3 * i + b]! - c[b]!)) / n;
    }
    const single = cov.every((v) => v === 0);
    const { values, vectors } = single ? { values: new Float64Array(3), vectors: Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1) } : symmetricEigen3(cov);
    const gap = Math.min(values[0]! - values[1]!, values[1]! - values[2]!);
    if (!single && !(gap > tolerance * Math.max(values[0]!, 0))) {
      const shown = Array.from(values, (x) => Number(x.toPrecision(6))).join(', ');
      throw new DegenerateFrameError(
        `frame_average: graph ${g} (${n} points) has no unique PCA frame: the eigenvalues of its covariance (${shown}) are not separated by more than ${tolerance} times the largest; frame averaging needs 3 distinct principal axes (at least 3 points, not symmetric about an axis)`,
      );
    }
    for (let k = 0; k < 3; k++) centroids[3 * g + k] = c[k]!;
    const det = Math.sign(vectors[0]! * (vectors[4]! * vectors[8]! - vectors[5]! * vectors[7]!) - vectors[1]! * (vectors[3]! * vectors[8]! - vectors[5]! * vectors[6]!) + vectors[2]! * (vectors[3]! * vectors[7]! - vectors[4]! * vectors[6]!)) as 1 | -1;
    frameSigns(frames, det).forEach((s, f) => {
      const o = (g * frames + f) * 9;
      for (let row = 0; row < 3; row++) for (let col = 0; col < 3; col++) out[o + 3 * row + col] = vectors[3 * row + col]! * s[col]!;
    });
  }
  return { centroids, frames: out };
}
