// The built-in operations of the core language, by name.

import type { ActivationName } from '../../ir/types.js';
import type { OpDef } from './op.js';
import { activationOps } from './activation.js';
import { attentionOp } from './attention.js';
import { batchNormOp, dropoutOp } from './batchNorm.js';
import { concatOp } from './concat.js';
import { convOp } from './conv.js';
import { gateOp } from './gate.js';
import { gradOp } from './grad.js';
import { stressOp } from './stress.js';
import { gatherOp, poolOp, radiusGraphOp, scatterOp } from './graph.js';
import { linearOp } from './linear.js';
import { mlpOp } from './mlp.js';
import { splineOp } from './spline.js';
import { frameAverageOp } from './frameAverage.js';
import { normActOp, normOp } from './norm.js';
import { sphereActOp, sphereMlpOp } from './sphereActivation.js';
import { layerNormOp } from './layerNorm.js';
import { besselOp, gaussianOp } from './radial.js';
import { cosineCutoffOp, polynomialCutoffOp } from './envelope.js';
import { selectOp } from './select.js';
import { permLinearOp } from './permLinear.js';
import { sphericalHarmonicsOp } from './sphericalHarmonics.js';
import { fctpOp, tpOp } from './tensorProduct.js';
import { flowOps } from './flow.js';
import { embedOp, scaleShiftOp } from './species.js';
import { symmetricContractionOp } from './symmetricContraction.js';

const ops: OpDef[] = [
  ...flowOps,
  linearOp,
  tpOp,
  fctpOp,
  sphericalHarmonicsOp,
  gateOp,
  normOp,
  normActOp,
  sphereActOp,
  sphereMlpOp,
  layerNormOp,
  batchNormOp,
  dropoutOp,
  ...activationOps,
  concatOp,
  selectOp,
  radiusGraphOp,
  gatherOp,
  scatterOp,
  poolOp,
  besselOp,
  gaussianOp,
  polynomialCutoffOp,
  cosineCutoffOp,
  mlpOp,
  splineOp,
  frameAverageOp,
  convOp,
  attentionOp,
  permLinearOp,
  gradOp,
  stressOp,
  embedOp,
  scaleShiftOp,
  symmetricContractionOp,
];

export const BUILTIN_OPS: ReadonlyMap<string, OpDef> = new Map(ops.map((o) => [o.name, o]));

/** Names usable as `act = ...`. */
export const ACTIVATION_NAMES: readonly ActivationName[] = ['silu', 'tanh', 'relu', 'sigmoid', 'abs', 'gelu', 'ssp', 'identity'];
