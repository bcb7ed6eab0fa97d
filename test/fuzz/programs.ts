// Random and hostile eqv programs for the fuzzer (test/fuzz/pipeline.test.ts and the release
// campaign, test/fuzz/campaign.ts): valid models with hostile comments and names, mutated
// examples, token soup with huge numbers, deep nesting and arbitrary strings.

import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';

const EXAMPLES: readonly string[] = fs
  .readdirSync('examples')
  .filter((f) => f.endsWith('.eqv'))
  .map((f) => fs.readFileSync(path.join('examples', f), 'utf8'));

/** Characters that end a line in some output language, or confuse a terminal or an editor. */
const HOSTILE_CHARS = ['\r', '\u2028', '\u2029', '\u0000', '\u001b[2J', '\u0085', '\t', '\v', '\f', '\ufeff', '*/', '`', '${', '\\', '"', "'", '</script>', '\n'];
/** Code that sets a global when it runs: if any generated module runs it, escaping failed. */
export const PAYLOAD = 'globalThis.__eqvFuzzInjected = 1;';

const hostileText = fc
  .array(fc.oneof(fc.constantFrom(...HOSTILE_CHARS), fc.constant(PAYLOAD), fc.string({ maxLength: 8 })), { maxLength: 8 })
  .map((parts) => parts.join(''));

/** A small model that checks, in one of the groups, with `hostile` text in its comments. */
const VALID_MODELS: readonly ((c: string, name: string) => string)[] = [
  (c, n) => `// ${c}\nmodel M : O(3) {\n  in x: node[4x0e + 2x1o] /* ${c} */\n  out y: graph[2x0e]\n  let ${n} = gate(linear(x, 4x0e + 2x0e + 2x1o), scalars = 4x0e, gates = 2x0e, gated = 2x1o) // ${c}\n  y = linear(pool(concat(select(${n}, 4x0e), norm(select(${n}, 2x1o)))), 2x0e) /* ${c} */\n}\n`,
  (c, n) => `model M : E(3) {\n  in pos: node[pos]\n  in x: node[2x0e]\n  out y: graph[1x0e]\n  let g = radius_graph(pos, r = 1.5) /* ${c} */\n  let ${n} = spherical_harmonics(g.vec, lmax = 2)\n  let m = tp(gather(x, g), ${n}, out = 2x0e + 2x1o, mode = uvu, weights = mlp(bessel(g.len, n = 4, cutoff = 1.5), hidden = [8])) // ${c}\n  y = linear(pool(scatter(m, g)), 1x0e)\n}\n`,
  (c, n) => `model M : O(2) {\n  in x: node[2x0e + 1x1]\n  out y: node[1x1]\n  let ${n} = tp(select(x, 1x1), select(x, 1x1)) /* ${c} */\n  y = linear(tp(${n}, select(x, 1x1), out = 1x1), 1x1)\n}\n`,
  (c, n) => `model M : GL+(3) {\n  in x: graph[2xV + 2xV*]\n  out y: graph[1xT(0,0)]\n  let ${n} = linear(tp(select(x, 2xV), select(x, 2xV*), out = 4xT(1,1)), 4xT(0,0)) // ${c}\n  y = linear(silu(${n}), 1xT(0,0))\n}\n`,
  (c, n) => `model M : S(n) {\n  in x: node[2]\n  out y: graph[1]\n  let ${n} = relu(perm_linear(x, 4, domain = pair, bias = true)) /* ${c} */\n  y = linear(pool(${n}, reduce = mean), 1)\n}\n`,
  (c, n) => `model M : Flow(T2, size = 4) {\n  in f: grid2d[1]\n  out y: graph[1xV]\n  let ${n} = flow_rnn(f, hidden = 2, kernel = 3) // ${c}\n  y = linear(pool_time(pool_space(${n})), 1xV)\n}\n`,
];

// A comment text that stays one comment: no star-slash in block comments, no newline in line comments.
const asComment = (text: string) => text.replace(/\*\//g, '* /').replace(/\n/g, ' ');

export const validWithHostileComments = fc
  .record({ which: fc.nat(VALID_MODELS.length - 1), comment: hostileText.map(asComment), name: fc.oneof(fc.constant('h'), fc.stringMatching(/^[a-z_][a-z0-9_]{0,40}$/), fc.nat(4000).map((n) => `h${'x'.repeat(n)}`)) })
  .filter(({ name }) => !['in', 'out', 'let', 'model', 'layer', 'const', 'import', 'as', 'return', 'true', 'false', 'x', 'y', 'f', 'g', 'pos', 'm', 'n', 'graph', 'node', 'edge', 'pair'].includes(name))
  .map(({ which, comment, name }) => VALID_MODELS[which]!(comment, name));

/** Tokens and pieces of programs, hostile ones included, for token soup and splicing. */
const PIECES = [
  '16x0e', '8x1o', '0e', '1o', '2e', '0o', '1', '2', '1.5', '-', '+', '*', '/', '(', ')', '[', ']', '{', '}', ',', ':', '=', '.', '->', '<', '>', '^',
  'let', 'in', 'out', 'return', 'layer', 'model', 'import', 'const', 'as', 'true', 'false', '"std/radial.eqv"',
  'node[pos]', 'node[R]', 'graph', 'graph[1x0e]', 'E(3)', 'O(2)', 'GL+(3)', 'SL(2)', 'S(4)', 'Flow(T2, size = 4)', 'Flow(T2, size = 5, vmax = 4294967296)',
  'linear', 'tp', 'gate', 'conv', 'mlp', 'pool', 'select', 'concat', 'norm', 'norm_act', 'silu', 'identity', 'identity(x)', 'spherical_harmonics', 'radius_graph',
  '1e9', '1e308', '4294967296', '999999999999999999999', '1000000000x0e', '200e', '65537x0e', 'hidden = [1000000000]', 'lmax = 1e9', 'n = 1e9', 'size = 1e9',
  '"\u2028"', '/* \u2028 */', '// \r x', '"\u0000"', 'x'.repeat(300), '\n', ' ',
];

const tokenSoup = fc.array(fc.nat(PIECES.length - 1), { maxLength: 60 }).map((idx) => idx.map((i) => PIECES[i]).join(' '));

const mutatedExample = fc
  .record({ which: fc.nat(EXAMPLES.length - 1), ops: fc.array(fc.record({ at: fc.nat(6000), kind: fc.nat(2), piece: fc.nat(500) }), { minLength: 1, maxLength: 5 }) })
  .map(({ which, ops }) => {
    let s = EXAMPLES[which]!;
    for (const op of ops) {
      const at = op.at % (s.length + 1);
      const piece = PIECES[op.piece % PIECES.length]!;
      if (op.kind === 0) s = s.slice(0, at) + s.slice(at + 1 + (op.piece % 12));
      else if (op.kind === 1) s = s.slice(0, at) + ' ' + piece + ' ' + s.slice(at);
      else s = s.slice(0, at) + s.slice(at, at + 1 + (op.piece % 40)).repeat(2) + s.slice(at + 1 + (op.piece % 40));
    }
    return s;
  });

/** Deep nesting of brackets, calls and layers, near and past the limits. */
const deepNesting = fc.oneof(
  fc.nat(400).map((d) => `model M : O(3) {\n  in x: node[1x0e]\n  out y: node[1x0e]\n  y = ${'silu('.repeat(d)}x${')'.repeat(d)}\n}\n`),
  fc.nat(400).map((d) => `const C = ${'('.repeat(d)}1${')'.repeat(d)}\nmodel M : O(3) {\n  in x: node[1x0e]\n  out y: node[1x0e]\n  y = x\n}\n`),
  fc.integer({ min: 1, max: 80 }).map((d) => {
    const layers = ['layer L0(h: node[R]) -> node[R] { return silu(h) }'];
    for (let i = 1; i <= d; i++) layers.push(`layer L${i}(h: node[R]) -> node[R] { return L${i - 1}(h) }`);
    return `${layers.join('\n')}\nmodel M : O(3) {\n  in x: node[2x0e]\n  out y: node[2x0e]\n  y = L${d}(x)\n}\n`;
  }),
);

export const anyProgram = fc.oneof(validWithHostileComments, validWithHostileComments, mutatedExample, tokenSoup, deepNesting, fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 200 }));
