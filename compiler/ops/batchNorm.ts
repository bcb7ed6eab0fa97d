// `batch_norm(x, eps = 1e-5, momentum = 0.1)`: e3nn's equivariant BatchNorm over the rows of a
// batch. Per copy of each irrep: invariant scalars are centred on their mean and every copy is
// divided by the root of its mean squared component (an invariant) plus eps, then scaled by a
// learned weight; invariant scalars get a learned bias. Training uses the batch's statistics and
// updates running ones (e3nn's momentum convention: running = (1 - momentum) running +
// momentum batch); evaluation, and so `eqvc run` and every target's forward, uses the running
// statistics, stored in the weights file as `<name>.running_mean` and `<name>.running_var`.
//
// `dropout(x, p)`: e3nn's Dropout of whole copies: each copy of each irrep of each row is kept
// with probability 1 - p (scaled by 1/(1 - p)) or zeroed in training, the identity in
// evaluation. Equivariant because a copy is dropped whole, never a component.

import type { OpDef } from './op.js';
import { fieldArg } from './operands.js';
import { normBlocks } from './layerNorm.js';
import { diagnostic } from '../../diagnostics/diagnostic.js';

export const batchNormOp: OpDef = {
  name: 'batch_norm',
  summary: "e3nn's equivariant batch norm: per copy, centre invariant scalars and divide by the root mean square over the batch; running statistics in evaluation",
  params: [
    { name: 'x', kind: 'value', doc: 'input features' },
    { name: 'eps', kind: 'number', default: { kind: 'number', value: 1e-5 }, doc: 'added to the variance before the root (> 0)' },
    { name: 'momentum', kind: 'number', default: { kind: 'number', value: 0.1 }, doc: "weight of the batch in the running statistics' update, in [0, 1] (e3nn's and torch's convention)" },
  ],
  check(call) {
    const x = fieldArg(call, 'x', 'batch_norm');
    const eps = call.number('eps');
    const momentum = call.number('momentum');
    if (!(eps > 0)) {
      call.report(diagnostic('E0307', call.argSpan('eps'), `eps must be positive, found ${eps}`));
      return undefined;
    }
    if (!(momentum >= 0 && momentum <= 1)) {
      call.report(diagnostic('E0307', call.argSpan('momentum'), `momentum must be in [0, 1], found ${momentum}`, { help: 'running = (1 - momentum) * running + momentum * batch statistic; e3nn and torch use 0.1' }));
      return undefined;
    }
    if (!x) return undefined;
    // e3nn centres only its scalars (0e): the group's trivial representation here.
    const { blocks, weightOffset, biasOffset } = normBlocks(x.ty.rep, call.group.scalar.key);
    const scalars = biasOffset > 0 ? [{ suffix: 'bias', shape: [biasOffset], init: 'zeros' as const, role: 'bias' as const }, { suffix: 'running_mean', shape: [biasOffset], init: 'zeros' as const, role: 'running_mean' as const }] : [];
    const params = [{ suffix: 'weight', shape: [weightOffset], init: 'ones' as const, role: 'weight' as const }, ...scalars, { suffix: 'running_var', shape: [weightOffset], init: 'ones' as const, role: 'running_var' as const }];
    const node = call.node('batch_norm', [x], x.ty, { blocks, eps, momentum, weightNumel: weightOffset, biasNumel: biasOffset }, params);
    return call.result(node, { text: `batch_norm(...) at line ${call.line(call.span)} is ${call.fmtTy(node.ty)}`, ...(x.origin.atoms ? { atoms: x.origin.atoms } : {}) });
  },
};

export const dropoutOp: OpDef = {
  name: 'dropout',
  summary: 'dropout of whole irrep copies in training (kept with probability 1 - p, scaled by 1/(1 - p)); the identity in evaluation',
  params: [
    { name: 'x', kind: 'value', doc: 'input features' },
    { name: 'p', kind: 'number', doc: 'probability of dropping a copy, in [0, 1)' },
  ],
  check(call) {
    const x = fieldArg(call, 'x', 'dropout');
    const p = call.number('p');
    if (!(p >= 0 && p < 1)) {
      call.report(diagnostic('E0307', call.argSpan('p'), `the dropout probability must be in [0, 1), found ${p}`));
      return undefined;
    }
    if (!x) return undefined;
    const slices = x.ty.rep.slices();
    const blocks = x.ty.rep.blocks.map((b, i) => ({ offset: slices[i]![0], mul: b.mul, dim: b.ir.dim }));
    const node = call.node('dropout', [x], x.ty, { p, blocks });
    return call.result(node, { text: `dropout(...) at line ${call.line(call.span)} is ${call.fmtTy(node.ty)}`, ...(x.origin.atoms ? { atoms: x.origin.atoms } : {}) });
  },
};
