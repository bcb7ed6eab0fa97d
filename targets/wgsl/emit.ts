// WGSL text helpers shared by the kernel generators: float32 literals, the kernel header that
// names the .eqv line, binding declarations with the chunk uniform, the invocation index, and
// the scalar functions (activations, and sin/cos/erf with float32 accuracy on every device:
// WGSL only promises 2^-11 absolute error for its sin and cos, and has no erf).

import type { ActivationName, IRNode, ScaledActivation } from '../../ir/types.js';
import type { PlanBinding } from './plan.js';
import { wgslComment } from '../../diagnostics/escape.js';

/** A float32 literal: the nearest float32, printed with enough digits to read back exactly. */
export function f32(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`cannot write ${x} as a WGSL f32 literal`);
  const v = Math.fround(x);
  if (Object.is(v, -0) || v === 0) return '0.0';
  if (Number.isInteger(v) && Math.abs(v) < 1e7) return `${v}.0`;
  let s = v.toPrecision(9);
  if (s.includes('e')) {
    const [m, e] = s.split('e') as [string, string];
    s = `${m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '.0') : m + '.0'}e${e.replace('+', '')}`;
  } else if (s.includes('.')) {
    s = s.replace(/0+$/, '').replace(/\.$/, '.0');
  }
  return s;
}

/** `+ c * expr` or `- |c| * expr`, for sums of constant-weighted terms; `first` drops a leading `+`. */
export function term(c: number, expr: string, first: boolean): string {
  const v = Math.fround(c);
  const mag = Math.abs(v) === 1 ? expr : `${f32(Math.abs(v))} * ${expr}`;
  if (first) return v < 0 ? `-${mag}` : mag;
  return v < 0 ? ` - ${mag}` : ` + ${mag}`;
}

export function u32(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new Error(`not a u32: ${n}`);
  return `${n}u`;
}

/** Comment lines naming the IR nodes and the .eqv source lines a kernel comes from. */
export function header(name: string, nodes: readonly IRNode[], what: string): string {
  const lines = [`// ${wgslComment(`eqv WGSL kernel ${name}: ${what}`)}`];
  for (const n of nodes) {
    const via = n.source.via && n.source.via.length > 0 ? `  (via ${n.source.via.join(' > ')})` : '';
    // The quoted line is the user's text: a CR, U+0085 or U+2028 in it would end the comment.
    lines.push(`// ${wgslComment(`${n.id} ${n.op} from ${n.source.file}:${n.source.line}: ${n.source.text}${via}`)}`);
  }
  return lines.join('\n');
}

/** The chunk uniform every kernel gets: rows in this dispatch, the first row's global index, and the segment base. */
export const CHUNK_STRUCT = `struct Chunk {
  rows: u32,      // rows of the iteration domain in this dispatch
  first: u32,     // global index of the first of them
  segBase: u32,   // global index of the first row bound in segment windows
  zero: u32,      // always 0: loop bounds add it so that the shader compiler does not unroll them
}`;

/**
 * A loop bound of n: `n + chunk.zero`. Unrolling every constant-bound loop fully costs seconds
 * of LLVM time per kernel on llvmpipe (a 16-path linear: 14 s against 1 s) and gains nothing
 * measurable at run time, so bounds are kept opaque to the shader compiler.
 */
export function loopBound(n: number): string {
  return `${u32(n)} + chunk.zero`;
}

/**
 * Loop iterations one invocation may run, all its loops together. Mesa's llvmpipe (Dawn's
 * adapter on a machine without a GPU) counts loop iterations against a limiter and silently
 * leaves the loop after 65,535 of them (gallivm's LP_MAX_TGSI_LOOP_ITERATIONS), and loops that
 * follow each other share the count: a dense `linear` over 65,536 inputs lost its last term
 * (1.6e-3 off ref), one over two blocks of 40,000 and 25,536 inputs lost more (6.3e-3).
 * Kernels whose loops could run longer repeat the body (`unrolledLoop`) to stay below this
 * budget, which leaves room for the rest of the invocation.
 */
export const LOOP_ITERATION_BUDGET = 32_768;

/** The smallest power of two that brings `iterations` (one invocation's loop trips) within the budget. */
export function unrollFactor(iterations: number): number {
  let unroll = 1;
  while (iterations / unroll > LOOP_ITERATION_BUDGET) unroll *= 2;
  return unroll;
}

/**
 * `for (var v = 0u; v < n; v++) { body }` with the body (which names the counter `v`) repeated
 * `unroll` times per trip, each copy in its own block with its own `let v`, then a loop over the
 * remaining n mod unroll values: n / unroll + unroll trips instead of n.
 */
export function unrolledLoop(v: string, n: number, unroll: number, body: readonly string[]): string[] {
  const inner = body.map((l) => `  ${l}`);
  if (unroll <= 1) return [`for (var ${v} = 0u; ${v} < ${loopBound(n)}; ${v}++) {`, ...inner, '}'];
  const main = n - (n % unroll);
  const base = `${v}_base`;
  const lines = [`for (var ${base} = 0u; ${base} < ${loopBound(main)}; ${base} += ${u32(unroll)}) {`];
  for (let i = 0; i < unroll; i++) lines.push(`  {`, `    let ${v} = ${base}${i === 0 ? '' : ` + ${u32(i)}`};`, ...inner.map((l) => `  ${l}`), '  }');
  lines.push('}');
  if (main < n) lines.push(`for (var ${v} = ${u32(main)}; ${v} < ${loopBound(n)}; ${v}++) {`, ...inner, '}');
  return lines;
}

export function bindingDecls(bindings: readonly PlanBinding[]): string {
  const lines = bindings.map((b, i) => {
    const access = b.access === 'read' ? 'read' : 'read_write';
    return `@group(0) @binding(${i}) var<storage, ${access}> ${b.name}: array<${b.element}>;`;
  });
  lines.push(`@group(0) @binding(${bindings.length}) var<uniform> chunk: Chunk;`);
  return `${CHUNK_STRUCT}\n${lines.join('\n')}`;
}

/**
 * The entry point: `id` is the flat invocation index (dispatches wider than 65535 workgroups
 * use a second dimension), and the body follows.
 */
export function entryPoint(workgroupSize: number, body: string): string {
  return `@compute @workgroup_size(${workgroupSize})
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let id = gid.x + gid.y * nwg.x * ${u32(workgroupSize)};
${indent(body, 1)}
}`;
}

export function indent(text: string, level: number): string {
  const pad = '  '.repeat(level);
  return text
    .split('\n')
    .map((l) => (l.length > 0 ? pad + l : l))
    .join('\n');
}

// ---------- scalar functions ----------

const SIN_COS = `// sin and cos to float32 accuracy: reduction by pi/2 in three parts (Cody-Waite), then the
// minimax polynomials of sin and cos on [-pi/4, pi/4] (as in cephes' sinf/cosf).
fn eqv_sincos(x: f32) -> vec2f {
  let q = round(x * 0.636619772);
  let r = ((x - q * 1.5703125) - q * 4.83751297e-4) - q * 7.54978995e-8;
  let z = r * r;
  let s = r + r * z * (-1.66666546e-1 + z * (8.33216087e-3 + z * (-1.95152959e-4)));
  let c = 1.0 - 0.5 * z + z * z * (4.16664568e-2 + z * (-1.38873163e-3 + z * 2.44331571e-5));
  let k = i32(q) & 3;
  if (k == 0) { return vec2f(s, c); }
  if (k == 1) { return vec2f(c, -s); }
  if (k == 2) { return vec2f(-s, -c); }
  return vec2f(-c, s);
}
fn eqv_sin(x: f32) -> f32 { return eqv_sincos(x).x; }
fn eqv_cos(x: f32) -> f32 { return eqv_sincos(x).y; }`;

const ERF = `// erf with absolute error below 1.2e-7 (Numerical Recipes' erfc, a Chebyshev fit with
// fractional error < 1.2e-7): WGSL has no erf.
fn eqv_erf(x: f32) -> f32 {
  let z = abs(x);
  let t = 1.0 / (1.0 + 0.5 * z);
  let p = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  let erfc = t * exp(-z * z + p);
  return select(erfc - 1.0, 1.0 - erfc, x >= 0.0);
}`;

const ACT_BODIES: Record<ActivationName, string> = {
  silu: 'return x / (1.0 + exp(-x));',
  sigmoid: 'return 1.0 / (1.0 + exp(-x));',
  // tanh from exp(-2|x|): no overflow at large |x| (WGSL's tanh is defined through sinh/cosh).
  tanh: 'let e = exp(-2.0 * abs(x));\n  let t = (1.0 - e) / (1.0 + e);\n  return select(-t, t, x >= 0.0);',
  relu: 'return max(x, 0.0);',
  abs: 'return abs(x);',
  gelu: 'return x * 0.5 * (1.0 + eqv_erf(x * 0.707106781));',
  // Shifted softplus log(0.5 e^x + 0.5) = softplus(x) - log 2 (torch's softplus is linear above 20).
  ssp: 'let sp = select(log(1.0 + exp(x)), x, x > 20.0);\n  return sp - 0.693147181;',
  identity: 'return x;',
};

/** The WGSL function name of an activation. */
export function actFn(name: ActivationName): string {
  return `act_${name}`;
}

/** `act(x) * scale` as an expression, scale folded in when it is not 1. */
export function actExpr(a: ScaledActivation, x: string): string {
  const call = `${actFn(a.act)}(${x})`;
  return Math.fround(a.scale) === 1 ? call : `${call} * ${f32(a.scale)}`;
}

/** The helper functions a kernel body uses: scan it for their names, emit only those (and what they need). */
export function prelude(body: string): string {
  const parts: string[] = [];
  const acts = (Object.keys(ACT_BODIES) as ActivationName[]).filter((a) => body.includes(`${actFn(a)}(`));
  const needsErf = body.includes('eqv_erf(') || acts.includes('gelu');
  const needsSin = /eqv_(sin|cos|sincos)\(/.test(body);
  if (needsSin) parts.push(SIN_COS);
  if (needsErf) parts.push(ERF);
  for (const a of acts) parts.push(`fn ${actFn(a)}(x: f32) -> f32 {\n  ${ACT_BODIES[a]}\n}`);
  return parts.join('\n\n');
}

/** Assemble a kernel: header, bindings, helpers, entry point. */
export function kernelSource(head: string, bindings: readonly PlanBinding[], workgroupSize: number, body: string, extra = ''): string {
  const main = entryPoint(workgroupSize, body);
  const helpers = prelude(extra + '\n' + main);
  return [head, '', bindingDecls(bindings), '', ...(helpers ? [helpers, ''] : []), ...(extra ? [extra, ''] : []), main, ''].join('\n');
}
