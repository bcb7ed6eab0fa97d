// `sphere_act(x, act, lmax, resolution)`: e3nn's S2Activation. x holds k copies of a signal on
// the sphere, k x (0 + 1 + ... + L) with e3nn's s2_irreps parities p_val p_arg^l; each copy goes
// to a sphere grid, act applies pointwise, and the quadrature projects it back onto degrees
// 0..lmax. Pointwise functions are not band-limited, so the result is equivariant only up to the
// grid's aliasing: the default resolution keeps that under the float32 tolerance up to L = 2
// (stdlib/nn/sphereActivation.ts), and a coarser declared one gets W0005.

import { diagnostic } from '../../diagnostics/diagnostic.js';
import type { Atom } from '../../stdlib/groups/rep.js';
import { Rep } from '../../stdlib/groups/rep.js';
import { activationParity, scaledActivation } from '../../stdlib/nn/activations.js';
import { defaultSphereActResolution, sphereActGrid } from '../../stdlib/nn/sphereActivation.js';
import { MAX_DEGREE } from '../../stdlib/limits.js';
import type { RValue } from '../check/types.js';
import type { OpCall, OpDef } from './op.js';
import { fieldArg } from './operands.js';

/** Checks x, act, lmax and resolution, and builds the node: act per copy, or (mlp) an MLP across copies. */
function checkSphereAct(call: OpCall, op: 'sphere_act' | 'sphere_mlp'): RValue | undefined {
  const { group } = call;
  const products = group.products;
  if (!products?.harmonicDegree || !products.harmonicAtom || !products.harmonicParity) {
    call.report(diagnostic('E0221', call.calleeSpan, `\`${op}\` is not available for ${group.name}: its irreps are not spherical harmonics`, { help: 'use `gate(...)` or `norm_act(...)`, which need no sphere' }));
    return undefined;
  }
  const x = fieldArg(call, 'x', op);
  if (!x) return undefined;
  const blocks = x.ty.rep.blocks;
  const L = blocks.length - 1;
  const mul = blocks[0]?.mul ?? 0;
  const pVal = blocks[0] ? (products.harmonicParity(blocks[0].ir) ?? 1) : 1;
  const pArg = blocks[1] ? ((products.harmonicParity(blocks[1].ir) ?? 1) * pVal as 1 | -1) : 1;
  const fmt = (a: Atom) => group.notation.formatAtom(a);
  const expected = (n: number, pv: 1 | -1, pa: 1 | -1, k: number) => Array.from({ length: n + 1 }, (_, l) => `${k}x${fmt(products.harmonicAtom!(l, (pv * pa ** l) as 1 | -1))}`).join(' + ');
  const fits = mul > 0 && blocks.every((b, l) => b.mul === mul && products.harmonicDegree!(b.ir) === l && b.ir.key === products.harmonicAtom!(l, (pVal * pArg ** l) as 1 | -1).key);
  if (!fits) {
    call.report(
      diagnostic('E0225', call.argSpan('x'), `\`${op}\` needs k copies of a signal on the sphere, degrees 0, 1, ..., L in order with one multiplicity, but x is ${call.fmtTy(x.ty)}`, {
        notes: [x.origin.text, 'the grid values of a copy are f(g) = Σ_lm x_lm Y_lm(g); that needs every degree from 0 to L once, with parities p_val · p_arg^l (e3nn s2_irreps)'],
        help: `for example ${expected(Math.max(1, ...blocks.map((b) => products.harmonicDegree!(b.ir) ?? 0)), 1, -1, Math.max(1, mul))}; bring x to that form with \`linear(x, ...)\``,
      }),
    );
    return undefined;
  }
  const actName = call.activation('act');
  // e3nn's S2Activation applies act raw; the grid MLP scales it as `mlp` does (normalize2mom).
  const act = scaledActivation(actName, op === 'sphere_mlp');
  // e3nn: p_out = p_act when p_val = -1 (an odd signal needs an even or odd act), else p_val.
  // An MLP without biases of an odd act is odd, of an even act even: the same rule.
  let pOut: 1 | -1 = pVal;
  if (pVal === -1) {
    const parity = activationParity(act);
    if (parity === 'neither') {
      call.report(
        diagnostic('E0210', call.argSpan('act'), `\`${actName}\` on ${call.fmtTy(x.ty)} breaks parity`, {
          notes: [x.origin.text, `the signal's scalar part is ${fmt(blocks[0]!.ir)} (p_val = -1): a reflection flips the sign of the grid values, and \`${actName}\` is neither odd nor even`],
          help: 'use an odd function such as `tanh` or an even one such as `abs`, or give x an even scalar part',
        }),
      );
      return undefined;
    }
    pOut = parity === 'odd' ? -1 : 1;
  }
  const lmaxOut = call.has('lmax') ? call.number('lmax') : L;
  if (!Number.isInteger(lmaxOut) || lmaxOut < 0 || lmaxOut > MAX_DEGREE) {
    call.report(diagnostic('E0307', call.argSpan('lmax'), `lmax must be a degree from 0 to ${MAX_DEGREE}, found ${lmaxOut}`));
    return undefined;
  }
  let sizes: number[] | undefined;
  if (op === 'sphere_mlp') {
    const out = call.has('out') ? call.number('out') : mul;
    const hidden = call.list('hidden');
    if (!Number.isInteger(out) || out < 1) {
      call.report(diagnostic('E0307', call.argSpan('out'), `out must be at least 1, found ${out}`));
      return undefined;
    }
    if (hidden.length === 0) {
      call.report(diagnostic('E0307', call.argSpan('hidden'), '`sphere_mlp` needs at least one hidden layer', { help: 'without one it is a linear map of the copies: use `linear(x, ...)`' }));
      return undefined;
    }
    sizes = [mul, ...hidden, out];
  }
  const fine = defaultSphereActResolution(L, lmaxOut);
  const resolution = call.has('resolution') ? call.number('resolution') : fine;
  if (!Number.isInteger(resolution) || resolution < 1) {
    call.report(diagnostic('E0307', call.argSpan('resolution'), `resolution must be a positive whole number, found ${resolution}`));
    return undefined;
  }
  if (resolution < fine) {
    call.report(
      diagnostic('W0005', call.argSpan('resolution'), `a ${resolution} x ${2 * resolution} grid aliases \`${actName}\` of a degree-${L} signal: expect an equivariance error above the float32 tolerance the generated suites check`, {
        notes: ['a pointwise function of a band-limited signal is not band-limited; the quadrature folds its degrees above 2N - 1 back onto the output, and that part does not rotate with the input'],
        help: `omit \`resolution\` (the default is ${fine}), or give \`resolution = ${fine}\` or more`,
      }),
    );
  } else if (!SMOOTH.has(actName)) {
    call.report(
      diagnostic('W0005', call.argSpan('act'), `\`${actName}\` is not smooth: on a sphere grid its aliasing falls off slowly, and the result is equivariant only to about 1e-3, above the float32 tolerance the generated suites check`, {
        notes: ['the harmonic coefficients of a function with a kink decay algebraically, so no practical grid makes the projection equivariant to float32 precision (measured: about 2e-3 at L = 2 with the default grid)'],
        help: 'use a smooth act: `silu` (the most accurate), `tanh`, `gelu`, `ssp`, or `sigmoid`',
      }),
    );
  }
  const mulOut = sizes ? sizes[sizes.length - 1]! : mul;
  const outRep = new Rep(Array.from({ length: lmaxOut + 1 }, (_, l) => ({ mul: mulOut, ir: products.harmonicAtom!(l, (pOut * pArg ** l) as 1 | -1) })));
  const slicesIn = x.ty.rep.slices();
  const slicesOut = outRep.slices();
  const attrs = {
    mul,
    mulOut,
    lmaxIn: L,
    lmaxOut,
    ...sphereActGrid(resolution),
    act,
    offsetsIn: blocks.map((_, l) => slicesIn[l]![0]),
    offsetsOut: outRep.blocks.map((_, l) => slicesOut[l]![0]),
    ...(sizes ? { mlp: { sizes, act } } : {}),
  };
  const params = (sizes ?? []).slice(1).map((h, i) => ({ suffix: `${i}.weight`, shape: [sizes![i]!, h], init: 'normal' as const, role: 'weight' as const }));
  const node = call.node('sphere_activation', [x], { kind: 'field', domain: x.ty.domain, rep: outRep }, attrs, params, call.prefix);
  return call.result(node, { text: `${op}(...) at line ${call.line(call.span)} is ${call.fmtTy(node.ty)}` });
}

/** Acts whose grid error falls off fast (analytic); relu and abs have a kink. */
const SMOOTH: ReadonlySet<string> = new Set(['silu', 'tanh', 'sigmoid', 'gelu', 'ssp', 'identity']);

const signalDoc = 'k copies of a signal on the sphere: k x (0e + 1o + 2e + ... up to L) (or any p_val, p_arg: e3nn s2_irreps)';
const lmaxParam = { name: 'lmax', kind: 'integer', optional: true, doc: "the output's highest degree; omitted: the input's L" } as const;
const resolutionParam = { name: 'resolution', kind: 'integer', optional: true, doc: 'N: N Gauss-Legendre nodes x 2N angles; omitted: 16 max(1, L) + lmax (W0005 below that)' } as const;

export const sphereActOp: OpDef = {
  name: 'sphere_act',
  summary: 'activation on the sphere (e3nn S2Activation): each copy of a signal 0 + 1 + ... + L to a grid, act pointwise, back to degrees 0..lmax',
  params: [
    { name: 'x', kind: 'value', doc: signalDoc },
    { name: 'act', kind: 'activation', doc: 'applied pointwise on the grid (raw, as e3nn applies it)' },
    lmaxParam,
    resolutionParam,
  ],
  check: (call) => checkSphereAct(call, 'sphere_act'),
};

export const sphereMlpOp: OpDef = {
  name: 'sphere_mlp',
  summary: "Facet's spherical-grid MLP: k copies of a signal to a grid, an MLP across the copies at every point (shared weights), back to out copies of degrees 0..lmax",
  params: [
    { name: 'x', kind: 'value', doc: signalDoc },
    { name: 'hidden', kind: 'list', default: { kind: 'list', items: [{ kind: 'number', value: 16 }] }, doc: 'hidden widths of the MLP (at least one)' },
    { name: 'out', kind: 'integer', optional: true, doc: 'output copies; omitted: k' },
    { name: 'act', kind: 'activation', default: { kind: 'activation', name: 'silu' }, doc: 'between layers (normalize2mom-scaled, as in `mlp`)' },
    lmaxParam,
    resolutionParam,
  ],
  check: (call) => checkSphereAct(call, 'sphere_mlp'),
};
