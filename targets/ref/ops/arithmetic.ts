// Value arithmetic in float64 (the oracle): linear combinations of values of one type, and
// values scaled by an invariant scalar of their row.

/** y = Σ c_i x_i over arrays of one length. */
export function addKernel(parts: readonly Float64Array[], coefficients: readonly number[]): Float64Array {
  const y = new Float64Array(parts[0]?.length ?? 0);
  parts.forEach((x, i) => {
    const c = coefficients[i]!;
    for (let k = 0; k < y.length; k++) y[k]! += c * x[k]!;
  });
  return y;
}

/** y[r, :] = s[r] x[r, :] for rows of `dim` components. */
export function scalarMulKernel(s: Float64Array, x: Float64Array, dim: number): Float64Array {
  const y = new Float64Array(x.length);
  for (let r = 0; r < s.length; r++) {
    const f = s[r]!;
    for (let k = r * dim; k < (r + 1) * dim; k++) y[k] = f * x[k]!;
  }
  return y;
}

/** scalar_mul: gs[r] = Σ_k g[r, k] x[r, k]; gx[r, :] = s[r] g[r, :]. */
export function scalarMulBackward(s: Float64Array, x: Float64Array, gradOut: Float64Array, dim: number): { s: Float64Array; x: Float64Array } {
  const gs = new Float64Array(s.length);
  const gx = new Float64Array(x.length);
  for (let r = 0; r < s.length; r++) {
    let acc = 0;
    for (let k = r * dim; k < (r + 1) * dim; k++) {
      acc += gradOut[k]! * x[k]!;
      gx[k] = s[r]! * gradOut[k]!;
    }
    gs[r] = acc;
  }
  return { s: gs, x: gx };
}
