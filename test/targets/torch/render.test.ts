// The torch renderer without Python: deterministic text, source lines as comments that no
// line break in the .eqv text can end, float literals that read back exactly, every op of every
// example rendered, and a clear error naming the missing package when no Python has torch.

import { describe, expect, it } from 'vitest';
import type { IRModule } from '../../../ir/types.js';
import { findTorchPythonAmong } from '../../../targets/torch/runner.js';
import { pyFloat, pyIdentifier, safeComment } from '../../../targets/torch/python.js';
import { renderTorchModule } from '../../../targets/torch/render.js';
import { getTarget } from '../../../targets/registry.js';
import { exampleModules } from '../tfjs/helpers.js';

const examples = exampleModules();
const tetris = examples.find((e) => e.module.model === 'Tetris')!.module;

/** Every way Python's tokenizer or an editor may split a line. */
const LINE_BREAKS = /\r\n|[\n\r\u000b\u000c\u001c\u001d\u001e\u0085\u2028\u2029]/;

describe('torch renderer', () => {
  it('is registered as an external runner with render and run', () => {
    const t = getTarget('torch')!;
    expect(t.run).toBeTypeOf('function');
    expect(t.external).toContain('PyTorch');
  });

  it('renders the same text twice, one class per model, with every parameter registered by its dotted name', () => {
    const a = renderTorchModule(tetris);
    expect(renderTorchModule(tetris)).toBe(a);
    expect(a).toContain('class Tetris(torch.nn.Module):');
    for (const p of tetris.params) expect(a).toContain(`_register_parameter(self, ${JSON.stringify(p.name)}, [${p.shape.join(', ')}], "${p.init}")`);
    expect(a).toMatch(/def forward\(self, inputs: Dict\[str, Tensor\], graph_ptr: Tensor\) -> Dict\[str, Tensor\]:/);
  });

  it('comments every node with its .eqv line', () => {
    const text = renderTorchModule(tetris);
    for (const n of tetris.nodes) expect(text).toContain(`# ${n.id} ${n.op} ${n.source.file}:${n.source.line}`);
  });

  it('cannot be broken out of a comment by the source text', () => {
    const payload = 'x\nimport os\rimport sys\u2028import a\u2029import b\u0085import c\u000cimport d';
    const nodes = tetris.nodes.map((n) => ({ ...n, source: { ...n.source, text: payload } }));
    const evil = { ...tetris, nodes, model: 'Tetris', source: 'a\nb.eqv' } as IRModule;
    const lines = renderTorchModule(evil).split(LINE_BREAKS);
    const withImports = lines.filter((l) => /import (os|sys|a|b|c|d)\b/.test(l));
    expect(withImports.length).toBeGreaterThan(0);
    for (const l of withImports) expect(l.trimStart().startsWith('#'), l).toBe(true);
    expect(safeComment('a\u2028b')).toBe('a\\u2028b');
  });

  it('writes floats Python reads back exactly, and identifiers Python accepts', () => {
    for (const v of [0.1, 1 / 3, 1e-7, 1e21, -0, 2, Math.PI, 5e-324]) {
      const s = pyFloat(v);
      expect(s).toMatch(/[.e]/);
      expect(Number(s)).toBe(v);
    }
    expect(pyFloat(Infinity)).toBe('float("inf")');
    expect(pyIdentifier('lambda')).toBe('lambda_');
    expect(pyIdentifier('3d-model')).toBe('_3d_model');
  });

  it('renders every example; a module with grad differentiates by autograd, grad mode set back', () => {
    for (const { module } of examples) {
      const text = renderTorchModule(module);
      expect(text).toContain(`class ${module.model}(torch.nn.Module):`);
      const grads = module.nodes.filter((n) => n.op === 'grad');
      expect(text.split('_positions_gradient(').length - 1).toBe(grads.length + 1); // the prelude's def, then one call each
      expect(text.includes('torch.set_grad_enabled(grad_enabled)')).toBe(grads.length > 0);
      for (const g of grads) expect(text).toContain(`${g.inputs[1]!.replace(/[^0-9A-Za-z_]/g, '')}.detach().requires_grad_(True)`);
    }
    expect(examples.some(({ module }) => module.nodes.some((n) => n.op === 'grad'))).toBe(true);
  });

  it("registers data statistics as buffers, names them for train.py, and counts the normalized scatters' graph edges alone", () => {
    const mace = examples.find((e) => e.module.model === 'Mace')!.module;
    const text = renderTorchModule(mace);
    const statistics = mace.params.filter((p) => p.statistic);
    expect(statistics.map((p) => p.statistic).sort()).toEqual(['avg_neighbors', 'avg_neighbors', 'species_scale', 'species_shift']);
    for (const p of statistics) expect(text).toContain(`_register_parameter(self, ${JSON.stringify(p.name)}, [${p.shape.join(', ')}], "${p.init}", True)`);
    expect(text).toContain(
      '    statistics = {"a1.avg_neighbors": ("avg_neighbors", ""), "a2.avg_neighbors": ("avg_neighbors", ""), "e.scale_shift.scale.weight": ("species_scale", "z"), "e.scale_shift.shift.weight": ("species_shift", "z")}',
    );
    expect(text).toContain('    energy_outputs = ["energy"]');
    // The method builds the radius graph from the inputs as given (no strain, no grad) and nothing after it.
    const method = text.slice(text.indexOf('    def statistic_edges('));
    expect(method).toContain('_periodic_radius_graph(');
    expect(method).toMatch(/return \{"a1\.avg_neighbors": int\((v\w+)_src\.shape\[0\]\), "a2\.avg_neighbors": int\(\1_src\.shape\[0\]\)\}/);
    expect(method).not.toMatch(/_spherical_harmonics|requires_grad_|strain/);
    // A module without statistics has neither.
    expect(renderTorchModule(tetris)).not.toContain('statistic_edges');
    expect(renderTorchModule(tetris)).toContain('    statistics = {}');
  });

  it('refuses a parameter path that would shadow a torch.nn.Module attribute', () => {
    const p = tetris.params[0]!;
    // Renamed consistently (in the params and in its node), so the module is valid IR.
    const rename = (n: string) => (n === p.name ? 'to.weight' : n);
    const bad = { ...tetris, params: [{ ...p, name: 'to.weight' }, ...tetris.params.slice(1)], nodes: tetris.nodes.map((n) => ({ ...n, params: n.params.map(rename) })) } as IRModule;
    expect(() => renderTorchModule(bad)).toThrow(/segment 'to' cannot be a torch\.nn\.Module attribute name/);
  });

  it('names the missing package when no Python has torch', async () => {
    await expect(findTorchPythonAmong(['/nonexistent/python3'])).rejects.toThrow(/needs Python 3 with the 'torch' package.*apt-get install python3-torch.*tried \/nonexistent\/python3 \(not found\)/);
  });
});
