// The examples the page offers to start from, with their run inputs where the repository has them.

import tetris from '../../examples/tetris.eqv';
import tetrisChiral from '../../examples/tetris_chiral.eqv';
import o3 from '../../examples/o3_pointcloud.eqv';
import e2 from '../../examples/e2_shapes.eqv';
import se2 from '../../examples/se2_shapes.eqv';
import se3 from '../../examples/se3_vectors.eqv';
import e3sets from '../../examples/e3_sets.eqv';
import sn from '../../examples/sn_sets.eqv';
import residual from '../../examples/residual.eqv';
import nequip from '../../examples/nequip.eqv';
import gl3 from '../../examples/gl3_invariants.eqv';
import flow from '../../examples/flow_tracker.eqv';
import tetrisInput from '../../examples/tetris.input.json';
import o3Input from '../../examples/o3_pointcloud.input.json';
import e2Input from '../../examples/e2_shapes.input.json';
import se2Input from '../../examples/se2_shapes.input.json';
import se3Input from '../../examples/se3_vectors.input.json';
import e3setsInput from '../../examples/e3_sets.input.json';
import snInput from '../../examples/sn_sets.input.json';
import residualInput from '../../examples/residual.input.json';
import nequipInput from '../../examples/nequip.input.json';
import gl3Input from '../../examples/gl3_invariants.input.json';
import flowInput from '../../examples/flow_tracker.input.json';

export interface Example {
  readonly name: string;
  readonly source: string;
  readonly input?: unknown;
}

export const EXAMPLES: readonly Example[] = [
  { name: 'tetris.eqv', source: tetris, input: tetrisInput },
  { name: 'tetris_chiral.eqv', source: tetrisChiral, input: tetrisInput },
  { name: 'o3_pointcloud.eqv', source: o3, input: o3Input },
  { name: 'e2_shapes.eqv', source: e2, input: e2Input },
  { name: 'se2_shapes.eqv', source: se2, input: se2Input },
  { name: 'se3_vectors.eqv', source: se3, input: se3Input },
  { name: 'e3_sets.eqv', source: e3sets, input: e3setsInput },
  { name: 'sn_sets.eqv', source: sn, input: snInput },
  { name: 'residual.eqv', source: residual, input: residualInput },
  { name: 'nequip.eqv', source: nequip, input: nequipInput },
  { name: 'gl3_invariants.eqv', source: gl3, input: gl3Input },
  { name: 'flow_tracker.eqv', source: flow, input: flowInput },
];
