// `perm_linear(x, out, domain = <x's domain>, bias = false)`: the most general linear layer
// that commutes with permutations of the nodes of each set (Maron et al. 2019), between node,
// pair and graph values. Every equivariant map between the two orders (node -> node 2,
// node -> pair 5, pair -> node 5, pair -> pair 15, ...) gets its own channel-mixing weights;
// means rather than sums keep the output O(1) for any set size. The channels must be invariant
// (in S(n) they all are; in a product such as E(3) x S(n), only the 0e scalars).

import { diagnostic } from '../../diagnostics/diagnostic.js';
import { permBasis, permBiases, type Order } from '../../stdlib/groups/perm/basis.js';
import type { PermLinearAttrs } from '../../ir/types.js';
import type { ParamSpec } from '../check/types.js';
import type { OpDef } from './op.js';
import { fieldArg, nonInvariantBlocks } from './operands.js';
import { Rep } from '../../stdlib/groups/rep.js';

const ORDERS: readonly Order[] = ['node', 'pair', 'graph'];

export const permLinearOp: OpDef = {
  name: 'perm_linear',
  summary: 'permutation-equivariant linear map between node, pair and graph values (all basis maps, learned weights)',
  params: [
    { name: 'x', kind: 'value', doc: 'node, pair or graph features (invariant channels)' },
    { name: 'out', kind: 'rep', doc: 'output channels, e.g. `32`' },
    { name: 'domain', kind: 'choice', choices: ORDERS, optional: true, doc: "the output's domain: node, pair or graph (default: x's)" },
    { name: 'bias', kind: 'bool', default: { kind: 'bool', value: false }, doc: 'learned invariant biases (per channel; pairs also on the diagonal)' },
  ],
  check(call) {
    const { group } = call;
    if (!group.permutation) {
      call.report(
        diagnostic('E0803', call.calleeSpan, `\`perm_linear\` needs a group that permutes nodes, and ${group.name} does not`, {
          notes: ['perm_linear mixes the rows of a set (means over nodes and pairs), which is only a symmetry when the model declares permutations'],
          help: `declare them: \`model ... : S(n)\` or \`${group.name} x S(n)\`; for a per-node map use \`linear(x, out)\``,
        }),
      );
      return undefined;
    }
    const x = fieldArg(call, 'x', 'perm_linear', ORDERS);
    if (!x) return undefined;
    const out = call.rep('out');
    const bad = [...nonInvariantBlocks(call, x.ty.rep).map((b) => ({ b, what: 'x' })), ...nonInvariantBlocks(call, out).map((b) => ({ b, what: 'out' }))];
    if (bad.length > 0) {
      const first = bad[0]!;
      call.report(
        diagnostic('E0804', first.what === 'x' ? call.argSpan('x') : call.argSpan('out'), `\`perm_linear\` mixes channels with free weights, so they must be invariant scalars; ${first.what === 'x' ? 'x has' : '`out` has'} ${bad.filter((d) => d.what === first.what).map((d) => d.b).join(' + ')}`, {
          notes: [x.origin.text, 'permutations act on the nodes; the other factor of the group acts on the channels, and free channel weights are only equivariant for invariant scalars'],
          help: 'apply perm_linear to the scalars (`select(x, 0e)`) and move the other irreps with `linear`, tensor products or gates',
        }),
      );
      return undefined;
    }
    const from = x.ty.domain as Order;
    const to = call.has('domain') ? call.choice('domain', ORDERS) : from;
    const basis = permBasis(from, to);
    const channelsIn = x.ty.rep.dim;
    const channelsOut = out.dim;
    const withBias = call.bool('bias');
    const attrs: PermLinearAttrs = {
      from,
      to,
      basis,
      channelsIn,
      channelsOut,
      factor: 1 / Math.sqrt(basis.length * channelsIn),
      bias: withBias ? { maps: permBiases(to) } : null,
    };
    const params: ParamSpec[] = [{ suffix: 'weight', shape: [basis.length, channelsIn, channelsOut], init: 'normal', role: 'weight' }];
    if (withBias) params.push({ suffix: 'bias', shape: [permBiases(to).length, channelsOut], init: 'zeros', role: 'bias' });
    // The output is all invariant channels, in the group's notation (`32`, or `32x0e` in E(3) x S(n)).
    const outRep = new Rep([{ mul: channelsOut, ir: group.scalar }]);
    const node = call.node('perm_linear', [x], { kind: 'field', domain: to, rep: outRep }, attrs, params, call.prefix);
    return call.result(node, { text: `perm_linear(...) at line ${call.line(call.span)} is ${call.fmtTy(node.ty)} (${basis.length} basis maps ${from} -> ${to})` });
  },
};
