// The torch module's `grad` (forces) by autograd, beyond agreement with the reference: they are
// minus the finite-difference slope of the module's own energy; a caller whose positions require
// grad (train.py's forces) differentiates the energy through the module and gets the same
// vectors; under torch.no_grad() the outputs carry no graph and grad mode is set back; the
// TorchScript module does the same.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../../compiler/compile.js';
import { renderTorchModule } from '../../../targets/torch/render.js';
import { torchPython, torchSuiteTitle } from './helpers.js';

const CHECK = String.raw`
import json, sys
import torch
sys.path.insert(0, sys.argv[1])
from NequIPForces import NequIPForces

torch.manual_seed(0)
model = NequIPForces(torch.float64)
model.eval()
graph_ptr = torch.tensor([0, 4, 7])
pos = torch.randn(7, 3, dtype=torch.float64)
species = torch.nn.functional.one_hot(torch.tensor([0, 1, 2, 3, 1, 0, 2]), 4).to(torch.float64)
report = {}
for kind, m in [("eager", model), ("script", torch.jit.script(model))]:
    with torch.no_grad():
        out = m({"pos": pos, "species": species}, graph_ptr)
        report[kind + ".grad_mode_after_no_grad"] = torch.is_grad_enabled()  # set back by the module
    report[kind + ".outputs_require_grad_under_no_grad"] = any(t.requires_grad for t in out.values())
    forces = out["forces"]
    report[kind + ".forces_scale"] = float(forces.abs().max())
    # Central differences of the module's own total energy.
    h = 1e-5
    fd = torch.zeros_like(pos)
    with torch.no_grad():
        for i in range(pos.shape[0]):
            for c in range(3):
                d = torch.zeros_like(pos)
                d[i, c] = h
                ep = m({"pos": pos + d, "species": species}, graph_ptr)["energy"].sum()
                em = m({"pos": pos - d, "species": species}, graph_ptr)["energy"].sum()
                fd[i, c] = -(ep - em) / (2 * h)
    report[kind + ".fd_error"] = float((forces - fd).abs().max())
    # A caller's positions that require grad: the module keeps them, so the caller's autograd
    # of the energy gives minus the forces (and the forces output is differentiable).
    p = pos.clone().requires_grad_(True)
    out = m({"pos": p, "species": species}, graph_ptr)
    (g,) = torch.autograd.grad(out["energy"].sum(), p, retain_graph=True)
    report[kind + ".caller_grad_error"] = float((g + out["forces"]).abs().max())
    report[kind + ".forces_have_graph"] = out["forces"].requires_grad
print(json.dumps(report))
`;

describe.skipIf(!torchPython.ok)(torchSuiteTitle('torch forces by autograd'), () => {
  it('match finite differences, the caller\'s autograd and no_grad, eager and scripted', () => {
    const r = compile('examples/nequip_forces.eqv');
    if (!r.ok) throw new Error('examples/nequip_forces.eqv does not compile');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eqv-torch-forces-'));
    fs.writeFileSync(path.join(dir, 'NequIPForces.py'), renderTorchModule(r.ir[0]!));
    fs.writeFileSync(path.join(dir, 'check.py'), CHECK);
    const python = torchPython.ok ? torchPython.python : 'python3';
    const report = JSON.parse(execFileSync(python, [path.join(dir, 'check.py'), dir], { encoding: 'utf8' })) as Record<string, number | boolean>;
    fs.rmSync(dir, { recursive: true, force: true });
    for (const kind of ['eager', 'script']) {
      expect(report[`${kind}.grad_mode_after_no_grad`], kind).toBe(false);
      expect(report[`${kind}.outputs_require_grad_under_no_grad`], kind).toBe(false);
      expect(report[`${kind}.forces_scale`] as number, kind).toBeGreaterThan(1e-3);
      expect(report[`${kind}.fd_error`] as number, kind).toBeLessThan(1e-6 * Math.max(1, report[`${kind}.forces_scale`] as number));
      expect(report[`${kind}.caller_grad_error`] as number, kind).toBeLessThan(1e-12);
      expect(report[`${kind}.forces_have_graph`], kind).toBe(true);
    }
  }, 120_000);
});
