// The shift algebra of flows on a torus grid. A flow of 2D translations with velocity v moves a
// frame at time t by v·t: (ψ_t(v) f)(x) = f(x - v t). On an N x N grid with periodic boundaries
// positions and velocities are residues modulo N, so the velocities form the group Z_N x Z_N and
// the velocity axis of a lifted value is permuted exactly (no boundary truncation) when the
// declared velocity set is closed under addition modulo N.

/** A velocity (vx, vy) in cells per time step, written centred (e.g. -2..2 for N = 5). */
export type Velocity = readonly [number, number];

export function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

/** The centred residues modulo n: -⌈n/2⌉+1 .. ⌊n/2⌋ (n = 5: -2..2; n = 6: -2..3). */
export function centredResidues(n: number): number[] {
  const lo = -Math.ceil(n / 2) + 1;
  return Array.from({ length: n }, (_, i) => lo + i);
}

/**
 * The velocity set {-vmax..vmax}^2 as residues modulo `size`, without repeats, ordered vy-major
 * then vx (ascending, centred). `vmax` undefined: every velocity of the torus.
 */
export function velocitySet(size: number, vmax?: number): Velocity[] {
  const values = vmax === undefined ? centredResidues(size) : [...new Set(range(-vmax, vmax).map((v) => centre(v, size)))].sort((a, b) => a - b);
  const out: Velocity[] = [];
  for (const vy of values) for (const vx of values) out.push([vx, vy]);
  return out;
}

function range(lo: number, hi: number): number[] {
  return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}

/** The centred representative of a residue. */
export function centre(a: number, n: number): number {
  const r = mod(a, n);
  return r > Math.floor(n / 2) ? r - n : r;
}

/** Index of a velocity (taken modulo size) in the set, or -1. */
export function velocityIndex(velocities: readonly Velocity[], v: Velocity, size: number): number {
  const vx = mod(v[0], size);
  const vy = mod(v[1], size);
  return velocities.findIndex((u) => mod(u[0], size) === vx && mod(u[1], size) === vy);
}

/** Whether v - w stays in the set for every v, w in it (then it is a subgroup of Z_N^2). */
export function isClosed(velocities: readonly Velocity[], size: number): boolean {
  for (const v of velocities) for (const w of velocities) if (velocityIndex(velocities, [v[0] - w[0], v[1] - w[1]], size) < 0) return false;
  return true;
}

/**
 * perm[i] = index of velocity_i - w: moving a sequence with velocity w sends the lifted
 * channel at velocity v to the one at v + w, so the new value at v is the old at v - w.
 */
export function velocityShiftPermutation(velocities: readonly Velocity[], w: Velocity, size: number): Int32Array {
  const perm = new Int32Array(velocities.length);
  velocities.forEach((v, i) => {
    const j = velocityIndex(velocities, [v[0] - w[0], v[1] - w[1]], size);
    if (j < 0) throw new RangeError(`velocity (${v[0] - w[0]}, ${v[1] - w[1]}) is not in the velocity set`);
    perm[i] = j;
  });
  return perm;
}

/**
 * Move a sequence of frames on the torus: frame t of the result is frame t shifted by
 * v·t + s, i.e. out[t, y, x] = in[t, y - vy t - sy, x - vx t - sx] (indices modulo size).
 * `data` holds `frames` frames of size*size rows of `dim` numbers each (t, then y, then x);
 * `t0` gives the time of each frame within its sequence.
 */
export function moveFrames(data: Float64Array, size: number, dim: number, timeOf: (frame: number) => number, v: Velocity, s: Velocity): Float64Array {
  const cells = size * size;
  const frames = data.length / (cells * dim);
  const out = new Float64Array(data.length);
  for (let f = 0; f < frames; f++) {
    const t = timeOf(f);
    const dx = v[0] * t + s[0];
    const dy = v[1] * t + s[1];
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const from = f * cells + mod(y - dy, size) * size + mod(x - dx, size);
        const to = f * cells + y * size + x;
        out.set(data.subarray(from * dim, (from + 1) * dim), to * dim);
      }
    }
  }
  return out;
}
