// `select(x, rep)`: a sub-representation of x. An irrep written without a multiplicity takes
// every copy of it (`select(h, 0e)` is all the 0e channels); `kx` takes the first k copies.
// The result lists the requested irreps in the order they are written.

import type { Expr } from '../../grammar/ast.js';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import { type Atom, Rep } from '../../stdlib/groups/rep.js';
import type { OpDef } from './op.js';
import { fieldArg } from './operands.js';

/** For each top-level term of the rep expression: whether a multiplicity was written. */
function explicitCounts(expr: Expr): boolean[] {
  if (expr.kind === 'BinaryExpr' && expr.op === '+') return [...explicitCounts(expr.left), ...explicitCounts(expr.right)];
  if (expr.kind === 'ParenExpr') return explicitCounts(expr.inner);
  return [expr.kind === 'MulExpr' || expr.kind === 'NameExpr'];
}

export const selectOp: OpDef = {
  name: 'select',
  summary: 'the channels of some irreps of x: `select(h, 0e)` is every 0e channel, `select(h, 4x1o)` the first four 1o',
  params: [
    { name: 'x', kind: 'value', doc: 'input features' },
    { name: 'rep', kind: 'rep', doc: 'irreps to keep; a multiplicity keeps only the first copies' },
  ],
  check(call) {
    const x = fieldArg(call, 'x', 'select');
    if (!x) return undefined;
    const wanted = call.rep('rep');
    const argExpr = call.arg('rep')!.expr;
    const explicit = explicitCounts(argExpr);
    const taken = new Map<string, number>();
    const ranges: [number, number][] = [];
    const blocks: { mul: number; ir: Atom }[] = [];
    const slices = x.ty.rep.slices();
    const f = call.group.notation.formatAtom;
    for (let t = 0; t < wanted.blocks.length; t++) {
      const w = wanted.blocks[t]!;
      const available = x.ty.rep.count(w.ir) - (taken.get(w.ir.key) ?? 0);
      const all = explicit.length === wanted.blocks.length ? !explicit[t] : false;
      const need = all ? available : w.mul;
      if (available === 0 || need > available) {
        call.report(
          diagnostic('E0217', call.argSpan('rep'), available === 0 ? `${call.fmtTy(x.ty)} has no ${taken.has(w.ir.key) ? 'more ' : ''}${f(w.ir)}` : `${call.fmtTy(x.ty)} has ${taken.has(w.ir.key) ? `${available} copies of ${f(w.ir)} left after the earlier terms` : `only ${available} ${available === 1 ? 'copy' : 'copies'} of ${f(w.ir)}`}, not ${need}`, {
            notes: [x.origin.text],
            help: `select from the irreps present: ${x.ty.rep.simplify().blocks.map((b) => `${b.mul}x${f(b.ir)}`).join(' + ')}`,
          }),
        );
        return undefined;
      }
      // Take `need` copies of w.ir, skipping those taken by earlier terms.
      let skip = taken.get(w.ir.key) ?? 0;
      let remaining = need;
      x.ty.rep.blocks.forEach((b, i) => {
        if (remaining === 0 || b.ir.key !== w.ir.key) return;
        const from = Math.min(skip, b.mul);
        skip -= from;
        const n = Math.min(b.mul - from, remaining);
        if (n === 0) return;
        const start = slices[i]![0] + from * b.ir.dim;
        ranges.push([start, start + n * b.ir.dim]);
        remaining -= n;
      });
      taken.set(w.ir.key, (taken.get(w.ir.key) ?? 0) + need);
      blocks.push({ mul: need, ir: w.ir });
    }
    const rep = new Rep(blocks);
    const node = call.node('select', [x], { kind: 'field', domain: x.ty.domain, rep }, { ranges });
    return call.result(node, { text: `select(...) at line ${call.line(call.span)} is ${call.fmtTy(node.ty)}`, ...(x.origin.atoms ? { atoms: x.origin.atoms } : {}) });
  },
};
