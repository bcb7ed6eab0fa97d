// Potentials whose forces the target tests differentiate: together with the examples they put
// every op a path from positions can hold between the positions and an energy (activations
// gelu, ssp, relu, abs, sigmoid, tanh; gates; norms and norm activations; unnormalized
// harmonics; tensor products with shared, per-sample and no weights; mean and max reductions;
// value arithmetic), in E(3) and in E(2).

/** E(3): many ops on the path, two energies combined by arithmetic, forces node[1x1o]. */
export const KITCHEN_SINK = [
  'model Sink : E(3) {',
  '  in pos: node[pos]',
  '  in x: node[2x0e]',
  '  out e: graph[1x0e]',
  '  out f: node[1x1o]',
  '  let g = radius_graph(pos, r = 1.5)',
  '  let sh = spherical_harmonics(g.vec, lmax = 2, normalize = false, normalization = norm)',
  '  let rad = gaussian(g.len, n = 5, cutoff = 1.5)',
  '  let w = mlp(rad, hidden = [6], out = 8, act = gelu)',
  '  let hx = gather(linear(x, 4x0e), g, side = dst)',
  '  let m = tp(hx, sh, 4x0e + 4x1o + 4x2e, mode = uvu, weights = shared)',
  '  let m2 = tp(sh, gaussian(g.len, n = 2, cutoff = 1.5), 1x0e + 1x1o + 1x2e, mode = uvu, weights = none)',
  '  let n1 = scatter(concat(m, m2), g, reduce = mean)',
  '  let s = scatter(concat(relu(select(m, 4x0e)), abs(select(m2, 0e)), ssp(w)), g, reduce = max)',
  '  let h = gate(linear(n1, 4x0e + 4x0e + 2x1o + 2x2e), scalars = 4x0e, gates = 4x0e, gated = 2x1o + 2x2e, act = gelu, act_gates = tanh)',
  '  let k = sigmoid(linear(norm(h), 1x0e)) * norm_act(h, act = silu)',
  '  let y = linear(concat(s, norm(k), select(k, 4x0e)), 1x0e) + 0.5 * linear(s, 1x0e)',
  '  let en = pool(y, reduce = mean) - pool(linear(s, 1x0e), reduce = max)',
  '  e = en',
  '  f = -grad(en, pos)',
  '}',
].join('\n');

/** E(2): circular harmonics, a gate and norms; forces node[1x1]. */
export const E2_POTENTIAL = [
  'model P2 : E(2) {',
  '  in pos: node[pos]',
  '  out e: graph[1x0e]',
  '  out f: node[1x1]',
  '  let g = radius_graph(pos, r = 1.5)',
  '  let sh = spherical_harmonics(g.vec, lmax = 3)',
  '  let m = scatter(tp(sh, gaussian(g.len, n = 6, cutoff = 1.5), 12x0e + 4x1 + 4x2, mode = uvw), g, reduce = mean)',
  '  let h = gate(m, scalars = 4x0e, gates = 8x0e, gated = 4x1 + 4x2, act = tanh, act_gates = sigmoid)',
  '  let y = linear(concat(select(h, 4x0e), norm(h)), 1x0e)',
  '  let en = pool(y, reduce = mean)',
  '  e = en',
  '  f = -grad(en, pos)',
  '}',
].join('\n');

/** SE(3): attention with 4 heads on the path (logits from a tensor product and from an MLP of lengths), forces node[1x1]. */
export const ATTENTION_POTENTIAL = [
  'model AttnPotential : SE(3) {',
  '  in pos: node[pos]',
  '  in x: node[4x0]',
  '  out e: graph[1x0]',
  '  out f: node[1x1]',
  '  let g = radius_graph(pos, r = 1.5)',
  '  let sh = spherical_harmonics(g.vec, lmax = 2)',
  '  let rad = bessel(g.len, n = 6, cutoff = 1.5)',
  '  let k = tp(gather(x, g), sh, 4x0 + 4x1 + 4x2, mode = uvw)',
  '  let q = gather(linear(scatter(k, g), 4x0 + 4x1 + 4x2), g, side = dst)',
  '  let logits = tp(q, k, 4x0) + mlp(rad, hidden = [8], out = 4)',
  '  let h = attention(logits, tp(gather(x, g), sh, 8x0 + 4x1 + 4x2, weights = mlp(rad, hidden = [8])), g)',
  '  let en = pool(linear(concat(select(h, 8x0), norm(h)), 1x0))',
  '  e = en',
  '  f = -grad(en, pos)',
  '}',
].join('\n');
