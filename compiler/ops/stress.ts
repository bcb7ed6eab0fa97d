// `stress(e, pos, cell)`: the strain derivative of an invariant energy per graph, divided by the
// cell's volume: σ = (1/V) ∂E/∂ε at ε = 0, the positions and the cell's lattice vectors both
// deformed by (I + ε). For an invariant energy σ is a symmetric 3x3 tensor per graph; eqv
// types it as its irreducible parts, the trace (1x0e) and the traceless symmetric part (1x2e),
// in e3nn's real spherical-harmonic basis for l = 2 (stdlib/groups/o3/symmetricTensor.ts,
// docs/language.md "Stress"), so it rotates as every other value and the suite can test it.
// Targets that differentiate compute it as they compute `grad`.

import { diagnostic } from '../../diagnostics/diagnostic.js';
import type { OpDef } from './op.js';
import { checkDerivative } from './grad.js';

export const stressOp: OpDef = {
  name: 'stress',
  summary: 'the stress of a periodic cell: (1/V) dE/d(strain) of an invariant energy per graph, as its trace and traceless parts graph[1x0e + 1x2e]',
  params: [
    { name: 'e', kind: 'value', doc: 'an invariant scalar per graph, graph[1x0e] (an energy)' },
    { name: 'pos', kind: 'value', doc: 'the positions input, node[pos]' },
    { name: 'cell', kind: 'value', doc: 'the periodic cell input, graph[cell] (deformed with the positions)' },
  ],
  check(call) {
    const cell = call.value('cell');
    const space = call.group.space;
    if (space && space.dim !== 3) {
      call.report(
        diagnostic('E1505', call.calleeSpan, `\`stress\` is the strain derivative in three dimensions, and the points of ${call.group.name} are ${space.dim}D`, {
          notes: ['the stress is typed as a 3D symmetric tensor (1x0e + 1x2e): its trace and its traceless part'],
          help: 'stress exists in E(3) and SE(3) models; in 2D, differentiate the energy with respect to the positions with `grad(e, pos)`',
        }),
      );
      return undefined;
    }
    const checked = checkDerivative(call, 'stress');
    if (!checked) return undefined;
    const { e, pos } = checked;
    if (cell.ty.kind !== 'cell' || cell.node.op !== 'input') {
      call.report(
        diagnostic('E1504', call.argSpan('cell'), `\`stress\` needs the model's periodic cell input (graph[cell]), found ${call.fmtTy(cell.ty)}`, {
          notes: [cell.origin.text, 'the stress differentiates the energy with the positions and the cell deformed together; without a cell there is no volume and no strain of the lattice'],
          help: 'declare the cell with `in cell: graph[cell]`, build the graph with `radius_graph(pos, r = ..., cell = cell)` and write `stress(e, pos, cell)`',
        }),
      );
      return undefined;
    }
    const harmonics = call.group.harmonics?.rep([0, 2], checked.space.vector);
    if (!harmonics || !harmonics.ok) {
      call.report(
        diagnostic('E1505', call.calleeSpan, `\`stress\` needs the rank-2 harmonics of vectors, which ${call.group.name} does not have`, {
          notes: [harmonics && !harmonics.ok ? harmonics.message : `${call.group.name} has no spherical harmonics`],
          help: 'stress exists in E(3) and SE(3) models',
        }),
      );
      return undefined;
    }
    const posName = (pos.node.attrs as { name: string }).name;
    const cellName = (cell.node.attrs as { name: string }).name;
    const node = call.node('stress', [e, pos, cell], { kind: 'field', domain: 'graph', rep: harmonics.rep }, { wrt: posName, cell: cellName });
    return call.result(node, {
      text: `stress(...) at line ${call.line(call.span)} is ${call.fmtTy(node.ty)} (a symmetric 3x3 tensor per graph: its trace and traceless parts)`,
    });
  },
};
