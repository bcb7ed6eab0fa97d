// Every generated kernel of every example model (and of the all-ops fixture, in every style)
// passes Dawn's WGSL compiler without errors or warnings; the output is deterministic; and the
// tensor-product kernels unroll exactly the non-zero coupling coefficients of the IR's tables.

import { describe, expect, it } from 'vitest';
import { planModule } from '../../../targets/wgsl/lower.js';
import { DEFAULT_STYLE, type KernelStyle } from '../../../targets/wgsl/plan.js';
import { compileMessages, sharedDevice } from '../../../targets/wgsl/host/model.js';
import { exampleModels, fixtureModels } from './models.js';

const STYLES: KernelStyle[] = [DEFAULT_STYLE, { linear: 'naive', tensorProduct: 'naive', conv: 'unfused' }];

describe('generated WGSL', () => {
  const models = [...exampleModels(), ...fixtureModels()];

  for (const m of models) {
    it(`${m.label}: every kernel compiles in Dawn without errors or warnings`, async () => {
      const { device } = await sharedDevice();
      for (const style of STYLES) {
        const plan = planModule(m.module, style);
        expect(plan.kernels.length).toBeGreaterThan(0);
        for (const k of plan.kernels) {
          const messages = await compileMessages(device, k.code, k.name);
          expect(messages.filter((msg) => msg.type !== 'info'), `${k.name}\n${k.code}`).toEqual([]);
        }
      }
    });
  }

  it('is deterministic: planning a model twice gives identical kernels', () => {
    for (const m of models) {
      const a = planModule(m.module);
      const b = planModule(m.module);
      expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    }
  });

  it('comments each kernel with the .eqv line of its IR nodes', () => {
    const tetris = models.find((m) => m.module.model === 'Tetris')!;
    const plan = planModule(tetris.module);
    for (const k of plan.kernels) {
      const ids = k.nodes;
      for (const id of ids) {
        const node = tetris.module.nodes.find((n) => n.id === id)!;
        expect(k.code).toContain(`// ${id} ${node.op} from ${node.source.file}:${node.source.line}: ${node.source.text}`);
      }
    }
  });

  it('fuses gather -> uvu tensor product -> scatter(sum) into one kernel and unrolls only non-zero coefficients', () => {
    const tetris = models.find((m) => m.module.model === 'Tetris')!;
    const plan = planModule(tetris.module);
    const convs = plan.kernels.filter((k) => k.name.endsWith('_conv'));
    expect(convs).toHaveLength(2);
    // No kernel writes the per-edge messages or the gathered features of the fused convolutions.
    for (const c of convs) {
      const tp = tetris.module.nodes.find((n) => c.nodes.includes(n.id) && n.op === 'tensor_product');
      expect(tp?.op).toBe('tensor_product');
      expect(plan.kernels.some((k) => k.bindings.some((b) => b.access === 'read_write' && b.buffer.kind === 'value' && b.buffer.id === tp!.id))).toBe(false);
      if (tp?.op !== 'tensor_product') continue;
      // One product term x_i * y_j per non-zero coefficient of each path.
      const nnz = tp.attrs.paths.reduce((s, p) => s + tetris.module.tables[p.coupling]!.entries.length / 4, 0);
      const products = c.code.match(/x\d+_\d+ \* y\d+/g) ?? [];
      expect(products.length).toBe(nnz);
    }
    // The unfused style keeps the three kernels.
    const unfused = planModule(tetris.module, { ...DEFAULT_STYLE, conv: 'unfused' });
    expect(unfused.kernels.filter((k) => k.name.endsWith('_conv'))).toHaveLength(0);
    expect(unfused.kernels.filter((k) => k.name.endsWith('_scatter'))).toHaveLength(2);
  });
});
