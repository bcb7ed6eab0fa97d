// Operations on sequences of grids under `Flow(T2, size = N)` ("Flow Equivariant Recurrent
// Neural Networks", Keller 2025): the flow-equivariant recurrent layer `flow_rnn`, whose hidden
// state is lifted over the velocities, circular convolutions `conv2d`, and the reductions that
// leave the grid (`pool_space`: grid2d -> seq), the velocity axis (`pool_velocity`) and time
// (`pool_time`: seq -> graph). Every one commutes with moving the input by v·t + s.

import { diagnostic } from '../../diagnostics/diagnostic.js';
import type { Domain } from '../check/types.js';
import type { FlowRule } from '../../stdlib/groups/group.js';
import { type Atom, Rep } from '../../stdlib/groups/rep.js';
import { scaledActivation } from '../../stdlib/nn/activations.js';
import type { OpCall, OpDef } from './op.js';
import { fieldArg, type FieldValue } from './operands.js';

const DOMAIN_HELP: Record<string, string> = {
  grid2d: 'flow layers take a sequence of frames, `grid2d[...]`: declare the input as `in frames: grid2d[1]` in a `Flow(T2, size = N)` model',
  seq: 'reduce the grid of each frame first with `pool_space(x)` (grid2d -> seq)',
};

/** The model's flow, or undefined after reporting that the group has none. */
function flowOf(call: OpCall, op: string): FlowRule | undefined {
  if (call.group.flow) return call.group.flow;
  call.report(
    diagnostic('E0904', call.calleeSpan, `\`${op}\` needs a flow group, and ${call.group.name} is not one`, {
      notes: ['flow layers act on sequences of grids, which exist only in models declared `: Flow(T2, size = N)`'],
      help: 'declare the model as `model M : Flow(T2, size = 8) { in frames: grid2d[1] ... }`',
    }),
  );
  return undefined;
}

/** The operand on the domain the op needs (E0904 otherwise). */
function onDomain(call: OpCall, name: string, op: string, domain: Domain): FieldValue | undefined {
  const v = call.value(name);
  if (v.ty.kind === 'field' && v.ty.domain !== domain) {
    call.report(
      diagnostic('E0904', call.argSpan(name), `\`${op}\` takes ${domain}[...] values, found ${call.fmtTy(v.ty)}`, {
        notes: [v.origin.text],
        help:
          v.ty.domain === 'seq' && domain === 'grid2d'
            ? `${call.fmtTy(v.ty)} has one row per frame, its grid already reduced by \`pool_space\`: apply \`${op}\` to the frames before pooling`
            : (DOMAIN_HELP[domain] ?? `give it a ${domain}[...] value`),
      }),
    );
    return undefined;
  }
  return fieldArg(call, name, op, [domain]);
}

type Lift = { lifted: boolean; channels: number };

/** All channels plain or all lifted over V (E0905 for a mix); `want` asks for one of them. */
function liftOf(call: OpCall, x: FieldValue, name: string, op: string, want?: 'lifted' | 'plain'): Lift | undefined {
  const lifted = x.ty.rep.blocks.filter((b) => b.ir.key === 'V');
  const plain = x.ty.rep.blocks.filter((b) => b.ir.key !== 'V');
  const channels = x.ty.rep.numIrreps;
  if (lifted.length > 0 && plain.length > 0) {
    call.report(diagnostic('E0905', call.argSpan(name), `\`${op}\` needs channels that are all lifted or all plain, found ${call.fmtTy(x.ty)}`, { notes: [x.origin.text], help: 'lift the plain channels with `linear(x, kxV)`, or drop the lift with `pool_velocity(x)`' }));
    return undefined;
  }
  const isLifted = lifted.length > 0;
  if (want === 'lifted' && !isLifted) {
    call.report(diagnostic('E0905', call.argSpan(name), `\`${op}\` reduces over the velocities, but ${call.fmtTy(x.ty)} is not lifted over them`, { notes: [x.origin.text], help: 'only values computed by `flow_rnn` (or lifted with `linear(x, kxV)`) have a velocity axis: `grid2d[16xV]`' }));
    return undefined;
  }
  return { lifted: isLifted, channels };
}

function checkKernel(call: OpCall, flow: FlowRule, op: string): number | undefined {
  const k = call.number('kernel');
  if (!Number.isInteger(k) || k < 1 || k % 2 === 0 || k > flow.size) {
    call.report(
      diagnostic('E0906', call.argSpan('kernel'), `a ${op} kernel must be odd and at most the grid size ${flow.size}, got ${k}`, {
        notes: ['an odd kernel has a centre cell, so the output stays aligned with the input; a kernel wider than the torus would wrap onto itself'],
        help: `use \`kernel = 3\` (or another odd size up to ${flow.size})`,
      }),
    );
    return undefined;
  }
  return k;
}

function positive(call: OpCall, name: string): number | undefined {
  const n = call.number(name);
  if (Number.isInteger(n) && n >= 1) return n;
  call.report(diagnostic('E0307', call.argSpan(name), `\`${name}\` must be a whole number of channels, at least 1, got ${n}`));
  return undefined;
}

function liftedRep(call: OpCall, channels: number): Rep<Atom> {
  const V = call.group.notation.atomFromText('V')!;
  return new Rep([{ mul: channels, ir: V }]);
}

function plainRep(call: OpCall, channels: number): Rep<Atom> {
  return new Rep([{ mul: channels, ir: call.group.scalar }]);
}

export const flowRnnOp: OpDef = {
  name: 'flow_rnn',
  summary: 'flow-equivariant recurrent layer: hidden state lifted over the velocities, shifted by its velocity each step',
  params: [
    { name: 'x', kind: 'value', doc: 'input frames, grid2d[c] or grid2d[cxV]' },
    { name: 'hidden', kind: 'integer', doc: 'hidden channels (each lifted over the velocities)' },
    { name: 'kernel', kind: 'integer', default: { kind: 'number', value: 3 }, doc: 'odd size of the circular convolutions' },
    { name: 'act', kind: 'activation', default: { kind: 'activation', name: 'tanh' }, doc: 'nonlinearity (normalize2mom-scaled)' },
  ],
  check(call) {
    const flow = flowOf(call, 'flow_rnn');
    if (!flow) return undefined;
    const x = onDomain(call, 'x', 'flow_rnn', 'grid2d');
    const hidden = positive(call, 'hidden');
    const kernel = checkKernel(call, flow, 'flow_rnn');
    if (!x || hidden === undefined || kernel === undefined) return undefined;
    const lift = liftOf(call, x, 'x', 'flow_rnn');
    if (!lift) return undefined;
    const attrs = {
      size: flow.size,
      velocities: flow.velocities,
      inChannels: lift.channels,
      inLifted: lift.lifted,
      hidden,
      kernel,
      act: scaledActivation(call.activation('act')),
      inFactor: 1 / Math.sqrt(kernel * kernel * lift.channels),
      recFactor: 1 / Math.sqrt(kernel * kernel * hidden),
    };
    const ty = { kind: 'field' as const, domain: 'grid2d' as const, rep: liftedRep(call, hidden) };
    const node = call.node('flow_rnn', [x], ty, attrs, [
      { suffix: 'weight_in', shape: [kernel, kernel, lift.channels, hidden], init: 'normal', role: 'weight' },
      { suffix: 'weight_rec', shape: [kernel, kernel, hidden, hidden], init: 'normal', role: 'weight' },
      { suffix: 'bias', shape: [hidden], init: 'zeros', role: 'bias' },
    ]);
    return call.result(node, { text: `flow_rnn(...) at line ${call.line(call.span)} is ${call.fmtTy(ty)}` });
  },
};

export const conv2dOp: OpDef = {
  name: 'conv2d',
  summary: 'circular 2D convolution of every frame (per velocity channel, shared weights)',
  params: [
    { name: 'x', kind: 'value', doc: 'frames, grid2d[c] or grid2d[cxV]' },
    { name: 'out', kind: 'integer', doc: 'output channels' },
    { name: 'kernel', kind: 'integer', default: { kind: 'number', value: 3 }, doc: 'odd kernel size' },
    { name: 'bias', kind: 'bool', default: { kind: 'bool', value: false }, doc: 'one learned bias per output channel' },
    { name: 'act', kind: 'activation', default: { kind: 'activation', name: 'identity' }, doc: 'nonlinearity after the convolution' },
  ],
  check(call) {
    const flow = flowOf(call, 'conv2d');
    if (!flow) return undefined;
    const x = onDomain(call, 'x', 'conv2d', 'grid2d');
    const out = positive(call, 'out');
    const kernel = checkKernel(call, flow, 'conv2d');
    if (!x || out === undefined || kernel === undefined) return undefined;
    const lift = liftOf(call, x, 'x', 'conv2d');
    if (!lift) return undefined;
    const bias = call.bool('bias');
    const act = call.activation('act');
    const attrs = {
      size: flow.size,
      kernel,
      inChannels: lift.channels,
      outChannels: out,
      lifted: lift.lifted ? flow.velocities.length : 1,
      factor: 1 / Math.sqrt(kernel * kernel * lift.channels),
      bias,
      act: scaledActivation(act, act !== 'identity'),
    };
    const ty = { kind: 'field' as const, domain: 'grid2d' as const, rep: lift.lifted ? liftedRep(call, out) : plainRep(call, out) };
    const params = [{ suffix: 'weight', shape: [kernel, kernel, lift.channels, out], init: 'normal' as const, role: 'weight' as const }, ...(bias ? [{ suffix: 'bias', shape: [out], init: 'zeros' as const, role: 'bias' as const }] : [])];
    const node = call.node('conv2d', [x], ty, attrs, params);
    return call.result(node, { text: `conv2d(...) at line ${call.line(call.span)} is ${call.fmtTy(ty)}` });
  },
};

const REDUCE = ['sum', 'mean', 'max'] as const;

const POOL_TIME = ['last', ...REDUCE] as const;

export const poolSpaceOp: OpDef = {
  name: 'pool_space',
  summary: 'reduce the cells of every frame: grid2d -> seq',
  params: [
    { name: 'x', kind: 'value', doc: 'frames, grid2d[...]' },
    { name: 'reduce', kind: 'choice', choices: REDUCE, default: { kind: 'string', value: 'mean' }, doc: 'sum, mean or max over the cells' },
  ],
  check(call) {
    const flow = flowOf(call, 'pool_space');
    if (!flow) return undefined;
    const x = onDomain(call, 'x', 'pool_space', 'grid2d');
    if (!x) return undefined;
    const ty = { kind: 'field' as const, domain: 'seq' as const, rep: x.ty.rep };
    const node = call.node('pool_space', [x], ty, { size: flow.size, reduce: call.choice('reduce', REDUCE) });
    return call.result(node, { text: `pool_space(...) at line ${call.line(call.span)} is ${call.fmtTy(ty)}` });
  },
};

export const poolVelocityOp: OpDef = {
  name: 'pool_velocity',
  summary: 'reduce lifted channels over the velocities: cxV -> c',
  params: [
    { name: 'x', kind: 'value', doc: 'lifted channels, e.g. grid2d[16xV]' },
    { name: 'reduce', kind: 'choice', choices: REDUCE, default: { kind: 'string', value: 'max' }, doc: 'sum, mean or max over the velocities' },
  ],
  check(call) {
    const flow = flowOf(call, 'pool_velocity');
    if (!flow) return undefined;
    const x = fieldArg(call, 'x', 'pool_velocity');
    if (!x) return undefined;
    const lift = liftOf(call, x, 'x', 'pool_velocity', 'lifted');
    if (!lift) return undefined;
    const ty = { kind: 'field' as const, domain: x.ty.domain, rep: plainRep(call, lift.channels) };
    const node = call.node('pool_velocity', [x], ty, { size: flow.size, velocities: flow.velocities.length, reduce: call.choice('reduce', REDUCE) });
    return call.result(node, { text: `pool_velocity(...) at line ${call.line(call.span)} is ${call.fmtTy(ty)}` });
  },
};

export const poolTimeOp: OpDef = {
  name: 'pool_time',
  summary: 'reduce the frames of every sequence: seq -> graph (`last`: the final frame)',
  params: [
    { name: 'x', kind: 'value', doc: 'one row per frame, seq[...]' },
    { name: 'reduce', kind: 'choice', choices: POOL_TIME, default: { kind: 'string', value: 'last' }, doc: 'last, sum, mean or max over the frames' },
  ],
  check(call) {
    const flow = flowOf(call, 'pool_time');
    if (!flow) return undefined;
    const x = onDomain(call, 'x', 'pool_time', 'seq');
    if (!x) return undefined;
    const ty = { kind: 'field' as const, domain: 'graph' as const, rep: x.ty.rep };
    const node = call.node('pool_time', [x], ty, { size: flow.size, reduce: call.choice('reduce', POOL_TIME) });
    return call.result(node, { text: `pool_time(...) at line ${call.line(call.span)} is ${call.fmtTy(ty)}` });
  },
};

export const flowOps: OpDef[] = [flowRnnOp, conv2dOp, poolSpaceOp, poolVelocityOp, poolTimeOp];
