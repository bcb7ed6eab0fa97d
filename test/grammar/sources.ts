// Valid eqv programs shared by the parser, formatter and fuzz tests: the reference example
// verbatim, and one program per extension of the core syntax.

/** The example of LANGUAGE.md, verbatim (alignment spaces and trailing comments included). */
export const TETRIS = `// Classifies 3D polycube shapes ("tetris"); invariant to rotations, reflections,
// translations and the order of the points.
import "std/radial.eqv"

const CUTOFF = 1.1

layer Interaction(h: node[R], g: graph, sh: edge[0e + 1o + 2e], rad: edge[8x0e]) -> node[16x0e + 8x1o + 8x2e] {
  let m = conv(h, g, sh, rad, out = 16x0e + 16x0e + 8x1o + 8x2e)
  return gate(m, scalars = 16x0e, gates = 16x0e, gated = 8x1o + 8x2e, act = silu, act_gates = sigmoid)
}

model Tetris : E(3) {
  in  pos: node[pos]
  in  x:   node[1x0e]
  out y:   graph[8x0e]

  let g   = radius_graph(pos, r = CUTOFF)
  let sh  = spherical_harmonics(g.vec, lmax = 2)          // edge[1x0e + 1x1o + 1x2e]
  let rad = bessel(g.len, n = 8, cutoff = CUTOFF)         // edge[8x0e]
  let h1  = Interaction(x, g, sh, rad)
  let h2: node[16x0e + 8x1o + 8x2e] = Interaction(h1, g, sh, rad)
  y = linear(pool(h2, reduce = sum), 8x0e)
}
`;

/** GL+(n) notation: the dual V*, det powers, tensor reps, declared rep variables. */
export const GL = `import "std/gl.eqv" as GLib

const WIDTH = 2x(V + V*)

layer Mix<Rin, Rout>(h: node[Rin], k: number) -> node[Rout] {
  let t: node[T(1, 1) + det^-1] = GLib.bilinear(h, h, out = T(1, 1) + det^-1)
  return linear(t, Rout)
}

model Equi : GL+(3) {
  in v: node[3xV]
  out s: node[det^2 + 4x1]
  let d = V*
  s = Mix(v, 2, bias = false)
}
`;

/** Products of groups, flows, e3nn's printed irreps, lists, strings and booleans. */
export const MISC = `const IRREPS = 16x0e+8x1o+4x2e
const RATE = 1e-3
const NAME = "tetris \\"v2\\"\\n"

model Pairs : E(3) x S(5) {
  in x: node[1x0o]
  out y: graph[2x0e]
  let h = mlp(select(x, 0e+1o), hidden = [64, 64,], out = 8, act = silu, bias = true, normalize = false)
  y = pool(h * 0.5 - -1.5 / 2, reduce = "mean")
}

model Waves : Flow(translation2d, velocities = [[0, 1], [1, 0]]) {
  in img: grid2d[4x0]
  out o: grid2d[4x0]
  o = img
}

model Bare : SO(3) {
  in x: node[2x1]
  out y: node[2x1]
  y = x
}
`;

/** Comments everywhere the formatter must keep them. */
export const COMMENTED = `// file header

/* a block
   comment */
import "std/radial.eqv" // why radial

// the cutoff radius
const CUTOFF = 1.1 /* Angstrom */

model M : E(3) { // the model
  // inputs
  in x: node[1x0e]
  out y: graph[8x0e]

  let h = linear(x, // the features
    8x0e)
  // result
  y = pool(h) // summed
  // trailing inside
}
// end of file
`;

export const ALL_SOURCES: Readonly<Record<string, string>> = { TETRIS, GL, MISC, COMMENTED };

/** One-line programs covering each construct, for round-trip checks. */
export const SNIPPETS: readonly string[] = [
  'const A = 16x0e+8x1o',
  'const A = 2x(0e + 1o) - -3xV* * det^-1 / 2',
  'const A = f(a)(b).c^2',
  'const A = [[1, 2,], [], [3]]',
  'const A = "s" + true + false + 1e-3 + 1E5 + 2.50',
  'const A = V** + T(V*, V)',
  'import "x.eqv" as X\nconst B = X.y',
  'layer L<Rin, Rout>(a: node[Rin], b: edge[R],) -> node[Rout] { let c: node[Rout] = f(a, b, out = Rout) return c }',
  'layer L() {}',
  'model M : E(3) x S(5) x GL+(2) x Flow(t, v = [1]) x Foo() { in x: node[pos] out y: graph return y }',
  'model M : E(3) { let d = V*\n y = d }',
];
