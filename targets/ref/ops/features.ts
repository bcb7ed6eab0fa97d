// Channel bookkeeping: concatenation, selection of channel ranges, scaling.

/** Rows of several (n, dim_i) inputs side by side: (n, sum dim_i). */
export function concatKernel(parts: readonly { readonly x: Float64Array; readonly dim: number }[], n: number): Float64Array {
  const dim = parts.reduce((s, p) => s + p.dim, 0);
  const out = new Float64Array(n * dim);
  for (let z = 0; z < n; z++) {
    let o = z * dim;
    for (const p of parts) {
      out.set(p.x.subarray(z * p.dim, z * p.dim + p.dim), o);
      o += p.dim;
    }
  }
  return out;
}

/** Channels [start, end) of each range, concatenated in order. */
export function selectKernel(x: Float64Array, dimIn: number, ranges: readonly (readonly [number, number])[], n: number): Float64Array {
  const dim = ranges.reduce((s, [a, b]) => s + (b - a), 0);
  for (const [a, b] of ranges) if (a < 0 || b > dimIn || b < a) throw new Error(`select: range [${a}, ${b}) outside 0..${dimIn}`);
  const out = new Float64Array(n * dim);
  for (let z = 0; z < n; z++) {
    let o = z * dim;
    for (const [a, b] of ranges) {
      out.set(x.subarray(z * dimIn + a, z * dimIn + b), o);
      o += b - a;
    }
  }
  return out;
}

export function scaleKernel(x: Float64Array, factor: number, dim = 1, rowRamp = 0): Float64Array {
  if (rowRamp === 0) return x.map((v) => v * factor);
  return x.map((v, i) => v * factor * (1 + rowRamp * Math.floor(i / dim)));
}

// ---- reverse mode (targets/ref/grad.ts) ----

/** concat: the gradient's columns split back into the parts. */
export function concatBackward(gradOut: Float64Array, dims: readonly number[], n: number): Float64Array[] {
  const dim = dims.reduce((s, d) => s + d, 0);
  const parts = dims.map((d) => new Float64Array(n * d));
  for (let z = 0; z < n; z++) {
    let o = z * dim;
    dims.forEach((d, i) => {
      parts[i]!.set(gradOut.subarray(o, o + d), z * d);
      o += d;
    });
  }
  return parts;
}

/** select: each selected range's gradient added back at its channels. */
export function selectBackward(gradOut: Float64Array, dimIn: number, ranges: readonly (readonly [number, number])[], n: number): Float64Array {
  const dim = ranges.reduce((s, [a, b]) => s + (b - a), 0);
  const gx = new Float64Array(n * dimIn);
  for (let z = 0; z < n; z++) {
    let o = z * dim;
    for (const [a, b] of ranges) for (let c = a; c < b; c++) gx[z * dimIn + c]! += gradOut[o++]!;
  }
  return gx;
}
