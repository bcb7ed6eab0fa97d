// A generated model with many interaction layers, to time the front end (parse, check, lower)
// on a large program.

export function deepModelSource(layers: number): string {
  const lines = [
    '// generated: ' + layers + ' interaction layers',
    'layer Block(h: node[R], g: graph, sh: edge[0e + 1o + 2e], rad: edge[8x0e]) -> node[16x0e + 8x1o + 8x2e] {',
    '  let m = conv(h, g, sh, rad, out = 16x0e + 16x0e + 8x1o + 8x2e, hidden = [32], avg_neighbors = 8)',
    '  return gate(m, scalars = 16x0e, gates = 16x0e, gated = 8x1o + 8x2e)',
    '}',
    '',
    'model Deep : E(3) {',
    '  in pos: node[pos]',
    '  in x: node[4x0e]',
    '  out y: graph[1x0e]',
    '  let g = radius_graph(pos, r = 2.5)',
    '  let sh = spherical_harmonics(g.vec, lmax = 2)',
    '  let rad = bessel(g.len, n = 8, cutoff = 2.5)',
    '  let h0 = Block(x, g, sh, rad)',
  ];
  for (let i = 1; i < layers; i++) lines.push(`  let h${i} = Block(h${i - 1}, g, sh, rad)`);
  lines.push(`  y = linear(pool(h${layers - 1}), 1x0e)`, '}', '');
  return lines.join('\n');
}
