// How GL+(n) and SL(n) representations are written: `V` (the defining representation),
// `V*` (its dual), `T(p,q)` (p copies of V and q of V*), `det^k` (ρ(g) = det(g)^k, integer k;
// `det` is det^1) and twisted tensors `T(p,q)*det^k`; sums and multiplicities as for every
// group: `4xV + 2xT(1,1) + 8xT(0,0)`, `2x(V*det)`. SL(n) has no det (it is 1 there).

import { wholeNumber as whole, type RepExpr } from '../repExpr.js';
import type { AtomResult } from '../group.js';
import { TensorAtom } from './tensorRep.js';

/**
 * The largest p + q accepted: T(p,q) has n^(p+q) components (256 for n = 4, rank 4), and a map
 * between two rank-4 tensors is 256 x 256. Rank 5 would be 1024 components and maps of 1M entries.
 */
export const MAX_RANK = 4;

export interface NotationContext {
  readonly n: number;
  /** `GL+(3)` or `SL(3)`, for messages. */
  readonly groupName: string;
  readonly hasDet: boolean;
}

type Result = AtomResult<TensorAtom>;

const NOTATION_HELP = 'write V, V*, T(p,q) (p copies of V, q of V*), det^k, or T(p,q)*det^k, with multiplicities like 4xV + 2xT(1,1)';

function fail(message: string, help = NOTATION_HELP, code: 'E0701' | 'E0702' = 'E0701'): Result {
  return { ok: false, message, help, code };
}


function checkRank(a: TensorAtom, ctx: NotationContext): Result {
  if (a.rank > MAX_RANK) {
    return fail(
      `T(${a.p},${a.q}) has rank ${a.rank}, but eqv supports tensors of rank p + q <= ${MAX_RANK} (at most ${ctx.n ** MAX_RANK} components here)`,
      `use tensors of rank ${MAX_RANK} or less (T(2,2), T(2,1), T(1,1), V, ...): contract an index of the data before it enters the model`,
      'E0702',
    );
  }
  return { ok: true, atom: a };
}

/** The determinant power of `det` or `det^k`, when `e` is one. */
function detPower(e: RepExpr, ctx: NotationContext): { k: number } | Result | undefined {
  const isDet = (x: RepExpr) => x.kind === 'name' && x.name === 'det';
  if (!isDet(e) && !(e.kind === 'power' && isDet(e.base))) return undefined;
  if (!ctx.hasDet) return fail(`\`det\` is the trivial representation of ${ctx.groupName}: det(g) = 1 there`, 'write T(0,0) for invariant scalars, or use GL+(n) for densities');
  if (e.kind !== 'power') return { k: 1 };
  const k = whole(e.exponent);
  if (k === undefined) return fail('the power of `det` must be a whole number: det^2, det^-1', 'write det^k with an integer k');
  return { k };
}

export function parseTensorAtom(expr: RepExpr, ctx: NotationContext): Result {
  const { n } = ctx;
  switch (expr.kind) {
    case 'name':
      if (expr.name === 'V') return { ok: true, atom: new TensorAtom(n, 1, 0) };
      if (expr.name === 'det') {
        const d = detPower(expr, ctx)!;
        return 'ok' in d ? d : { ok: true, atom: new TensorAtom(n, 0, 0, d.k) };
      }
      return fail(`\`${expr.name}\` is not a representation of ${ctx.groupName}`);
    case 'dual': {
      const inner = parseTensorAtom(expr.operand, ctx);
      return inner.ok ? { ok: true, atom: inner.atom.dual() } : inner;
    }
    case 'power': {
      const d = detPower(expr, ctx);
      if (!d) return fail('only `det` takes a power here: det^2, det^-1');
      return 'ok' in d ? d : { ok: true, atom: new TensorAtom(n, 0, 0, d.k) };
    }
    case 'call': {
      if (expr.callee !== 'T') return fail(`not a representation of ${ctx.groupName}`);
      const [p, q] = expr.args.map(whole);
      if (expr.args.length !== 2 || expr.named > 0 || p === undefined || q === undefined || p < 0 || q < 0) {
        return fail('T takes two whole numbers p, q >= 0: T(p,q) is p copies of V and q of V*', 'write T(1,1) for a (1,1)-tensor such as a matrix, T(2,0) for a bivector-like tensor');
      }
      return checkRank(new TensorAtom(n, p, q), ctx);
    }
    case 'product': {
      if (expr.left.kind === 'multiple') {
        return fail('a multiplicity binds tighter than `*`', `put the twisted tensor in parentheses: ${expr.left.count}x(... * det^k)`);
      }
      const d = detPower(expr.right, ctx);
      if (!d) return fail('only a power of `det` can twist a tensor: T(1,0)*det^2');
      if ('ok' in d) return d;
      const base = parseTensorAtom(expr.left, ctx);
      if (!base.ok) return base;
      return { ok: true, atom: new TensorAtom(n, base.atom.p, base.atom.q, base.atom.k + d.k) };
    }
    case 'number':
      return fail(`\`${expr.text}\` is a number, not a representation of ${ctx.groupName}`, 'write a multiplicity with its atom: 8xT(0,0), 2xV');
    case 'irrep':
      return fail(`\`${expr.text}\` is an irrep of the rotation groups, not a representation of ${ctx.groupName}`, 'write T(0,0) for invariant scalars, V for vectors, V* for covectors');
    default:
      return fail(`not a representation of ${ctx.groupName}`);
  }
}

/** Reads an atom back from its printed form (`V`, `V*`, `T(2,1)`, `det^-1`, `T(1,0)*det`). */
export function tensorAtomFromText(text: string, ctx: NotationContext): TensorAtom | undefined {
  const m = /^(?:(V\*?)|T\((\d+),(\d+)\))?(?:\*?(det)(?:\^(-?\d+))?)?$/.exec(text.replace(/\s+/g, ''));
  if (!m || text.trim() === '') return undefined;
  const [, v, p, q, det, k] = m;
  if (!v && p === undefined && !det) return undefined;
  const [pp, qq] = v ? (v === 'V' ? [1, 0] : [0, 1]) : p !== undefined ? [Number(p), Number(q)] : [0, 0];
  const kk = det ? (k === undefined ? 1 : Number(k)) : 0;
  if (kk !== 0 && !ctx.hasDet) return undefined;
  return new TensorAtom(ctx.n, pp, qq, kk);
}
