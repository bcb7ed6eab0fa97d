// validateModule: every compiled example passes; a module that breaks an invariant is rejected
// with a message naming the node (or parameter, table, output) it is about.
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile } from '../../compiler/compile.js';
import { IRValidationError, moduleProblems, readModule, validateModule } from '../../ir/validate.js';
import type { IRModule, IRNode } from '../../ir/types.js';
import { refTarget } from '../../targets/ref/index.js';
import { parseRunInput } from '../../targets/io/inputs.js';
import { initialParams } from '../../targets/io/params.js';

function compiled(file: string): IRModule {
  const r = compile(file);
  expect(r.ok, file).toBe(true);
  return r.ir[0]!;
}

/** A deep copy with its nodes rewritten by `f` (a fresh object, so no cached verdict applies). */
function withNodes(m: IRModule, f: (n: IRNode) => IRNode): IRModule {
  const copy = JSON.parse(JSON.stringify(m)) as IRModule;
  return { ...copy, nodes: copy.nodes.map(f) };
}

const rejection = (m: IRModule): string => {
  try {
    validateModule(m);
  } catch (e) {
    expect(e).toBeInstanceOf(IRValidationError);
    return (e as Error).message;
  }
  throw new Error('the module was accepted');
};

const tetris = compiled('examples/tetris.eqv');

describe('validateModule', () => {
  it('accepts every example model, and their JSON read back', () => {
    const files = fs.readdirSync('examples').filter((f) => f.endsWith('.eqv'));
    expect(files.length).toBeGreaterThan(8);
    for (const f of files) {
      const r = compile(`examples/${f}`);
      expect(r.ok, f).toBe(true);
      for (const m of r.ir) {
        expect(moduleProblems(m), `${f} ${m.model}`).toEqual([]);
        expect(readModule(JSON.parse(JSON.stringify(m)), f).model).toBe(m.model);
      }
    }
  });

  it('rejects an input used before it is defined, naming the node', () => {
    const target = tetris.nodes.find((n) => n.op === 'linear')!;
    const bad = withNodes(tetris, (n) => (n.id === target.id ? { ...n, inputs: ['%999'] } : n));
    expect(rejection(bad)).toContain(`node ${target.id} (linear, examples/tetris.eqv:${target.source.line}): input %999 is not defined before this node`);
  });

  it('rejects a tensor product whose coupling table is missing or does not fit its blocks', () => {
    const tp = tetris.nodes.find((n) => n.op === 'tensor_product')!;
    if (tp.op !== 'tensor_product') throw new Error('no tensor product');
    const key = tp.attrs.paths[0]!.coupling;
    const missing = JSON.parse(JSON.stringify(tetris)) as IRModule;
    const tables = { ...missing.tables };
    delete tables[key];
    expect(rejection({ ...missing, tables })).toContain(`node ${tp.id} (tensor_product, examples/tetris.eqv:${tp.source.line}): path 0: coupling table ${key} is not in the module's tables`);
    const misfit = { ...missing, tables: { ...missing.tables, [key]: { shape: [7, 7, 7] as [number, number, number], entries: [] } } };
    expect(rejection(misfit)).toMatch(new RegExp(`node ${tp.id} \\(tensor_product.*coupling table .* has shape \\(7, 7, 7\\) but its blocks have dims`));
  });

  it('rejects a parameter whose shape does not match its node, or whose role is wrong', () => {
    const copy = JSON.parse(JSON.stringify(tetris)) as IRModule;
    const p = copy.params.find((q) => q.name.endsWith('.weight') && copy.nodes.find((n) => n.id === q.node)?.op === 'linear')!;
    const owner = copy.nodes.find((n) => n.id === p.node)!;
    const shaped = { ...copy, params: copy.params.map((q) => (q === p ? { ...q, shape: [q.shape[0]! + 1] } : q)) };
    expect(rejection(shaped)).toContain(`node ${owner.id} (linear, examples/tetris.eqv:${owner.source.line}): parameter ${p.name} has shape [${p.shape[0]! + 1}] but the attrs imply [${p.shape[0]}]`);
    const roled = { ...copy, params: copy.params.map((q) => (q === p ? { ...q, role: 'bias' as const } : q)) };
    expect(rejection(roled)).toContain(`parameter ${p.name} should be a weight, found bias`);
  });

  it('rejects points without their dimension and outputs that are not values', () => {
    const pos = tetris.nodes.find((n) => n.type.kind === 'points')!;
    const noDim = withNodes(tetris, (n) => (n.id === pos.id ? { ...n, type: { kind: 'points', dim: 0 } } : n));
    expect(rejection(noDim)).toContain(`node ${pos.id} (input, examples/tetris.eqv:${pos.source.line}): its type: points must carry their dimension (found 0)`);
    const copy = JSON.parse(JSON.stringify(tetris)) as IRModule;
    const gone = { ...copy, outputs: copy.outputs.map((o) => ({ ...o, value: '%404' })) };
    expect(rejection(gone)).toContain(`model output ${tetris.outputs[0]!.name}: %404 is not a value of the module`);
  });

  it('rejects spherical harmonics whose tables do not cover their degrees', () => {
    const sh = tetris.nodes.find((n) => n.op === 'spherical_harmonics')!;
    const bad = withNodes(tetris, (n) => (n.id === sh.id && n.op === 'spherical_harmonics' ? { ...n, attrs: { ...n.attrs, scales: [1] } } : n));
    expect(rejection(bad)).toContain(`node ${sh.id} (spherical_harmonics, examples/tetris.eqv:${sh.source.line}): scales cover degrees 0..0, not 0..2`);
  });

  it('reports malformed attrs as the node\'s problem, not a crash', () => {
    const lin = tetris.nodes.find((n) => n.op === 'linear')!;
    const bad = withNodes(tetris, (n) => (n.id === lin.id ? ({ ...n, attrs: {} } as unknown as IRNode) : n));
    expect(rejection(bad)).toContain(`node ${lin.id} (linear, examples/tetris.eqv:${lin.source.line}): malformed node:`);
  });

  it('readModule rejects JSON that is not an IR module', () => {
    expect(() => readModule({ format: 'onnx' }, 'model.json')).toThrow(/invalid IR module model\.json:\n {2}not an eqv IR module/);
  });

  it('guards the targets: the reference refuses a malformed module before evaluating it', async () => {
    const lin = tetris.nodes.find((n) => n.op === 'linear')!;
    const bad = withNodes(tetris, (n) => (n.id === lin.id ? { ...n, inputs: ['%999'] } : n));
    const parsed = parseRunInput(JSON.parse(fs.readFileSync('examples/tetris.input.json', 'utf8')), tetris);
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    await expect(refTarget.run!(bad, parsed.batch, initialParams(tetris, 0), {})).rejects.toThrow(`node ${lin.id} (linear`);
    await expect(refTarget.render(bad, { seed: 0, tests: false })).rejects.toThrow(IRValidationError);
  });
});
