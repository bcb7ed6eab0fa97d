// A replica of torch.randn(n, dtype=float64, generator=torch.Generator().manual_seed(seed)) on
// CPU for n a multiple of 16 (torch 1.13 - 2.x): mt19937 seeded with `seed`; each uniform from
// two 32-bit draws (hi, lo) as ((hi << 32 | lo) & (2^53 - 1)) * 2^-53; then Box-Muller in blocks
// of 16: u1 = 1 - d[j], u2 = d[j + 8], d[j] = r cos(2 pi u2), d[j + 8] = r sin(2 pi u2). Used to
// recompute e3nn's normalize2mom Monte-Carlo constants.

function mt19937(seed: number): () => number {
  const mt = new Uint32Array(624);
  let index = 624;
  mt[0] = seed >>> 0;
  for (let i = 1; i < 624; i++) {
    const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
    mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
  }
  return () => {
    if (index >= 624) {
      for (let i = 0; i < 624; i++) {
        const y = (mt[i]! & 0x80000000) | (mt[(i + 1) % 624]! & 0x7fffffff);
        mt[i] = mt[(i + 397) % 624]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      index = 0;
    }
    let y = mt[index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  };
}

export function torchRandnFloat64(n: number, seed: number): Float64Array {
  if (n % 16 !== 0) throw new RangeError('this replica covers sizes that are multiples of 16');
  const next = mt19937(seed);
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const hi = next();
    const lo = next();
    d[i] = ((hi & 0x1fffff) * 4294967296 + lo) * 2 ** -53;
  }
  for (let i = 0; i < n; i += 16) {
    for (let j = 0; j < 8; j++) {
      const u1 = 1 - d[i + j]!;
      const u2 = d[i + j + 8]!;
      const r = Math.sqrt(-2 * Math.log(u1));
      const theta = 2 * Math.PI * u2;
      d[i + j] = r * Math.cos(theta);
      d[i + j + 8] = r * Math.sin(theta);
    }
  }
  return d;
}
