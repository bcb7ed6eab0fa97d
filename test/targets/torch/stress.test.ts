// The torch module's `stress` by autograd, beyond agreement with the reference
// (periodic.test.ts): on examples/periodic.eqv it is the finite-difference slope of the
// module's own energy under a symmetric strain of the positions and the cell, per volume; the
// forces are unchanged by the strain the module applies; under torch.no_grad() the outputs
// carry no graph and grad mode is set back; with grad recording the stress is differentiable in
// the parameters (a loss on it trains them); the TorchScript module does the same.

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
from PeriodicPotential import PeriodicPotential

torch.manual_seed(0)
model = PeriodicPotential(torch.float64)
model.eval()
data = json.load(open(sys.argv[2]))["graphs"]
graph_ptr = torch.tensor([0, 2, 7])
pos = torch.tensor([p for g in data for p in g["pos"]], dtype=torch.float64)
cell = torch.tensor([g["cell"] for g in data], dtype=torch.float64)
species = torch.tensor([s for g in data for s in g["species"]], dtype=torch.float64)
counts = [2, 5]
S2, S3, S6 = 2 ** 0.5, 3 ** 0.5, 6 ** 0.5
report = {}


def matrix(s):
    """The symmetric 3x3 matrix of components s (docs/language.md)."""
    xx = s[0] / S3 - s[3] / S6 - s[5] / S2
    yy = s[0] / S3 + 2 * s[3] / S6
    zz = s[0] / S3 - s[3] / S6 + s[5] / S2
    return torch.tensor([[xx, s[2] / S2, s[1] / S2], [s[2] / S2, yy, s[4] / S2], [s[1] / S2, s[4] / S2, zz]], dtype=torch.float64)


def strained(eps):
    """Positions and cells under the strain eps[g] of each graph: x -> (I + eps) x."""
    per_node = torch.cat([eps[g].expand(n, 3, 3) for g, n in enumerate(counts)])
    return pos + torch.einsum("nab,nb->na", per_node, pos), cell + torch.einsum("gab,gkb->gka", eps, cell)


for kind, m in [("eager", model), ("script", torch.jit.script(model))]:
    with torch.no_grad():
        out = m({"pos": pos, "cell": cell, "species": species}, graph_ptr)
        report[kind + ".grad_mode_after_no_grad"] = torch.is_grad_enabled()
    report[kind + ".outputs_require_grad_under_no_grad"] = any(t.requires_grad for t in out.values())
    sigma = torch.stack([matrix(out["sigma"][g].tolist()) for g in range(2)])
    report[kind + ".stress_scale"] = float(sigma.abs().max())
    # Central differences of the module's own energy per graph under symmetric strains.
    h = 1e-5
    fd = torch.zeros(2, 3, 3, dtype=torch.float64)
    volume = torch.linalg.det(cell).abs()
    with torch.no_grad():
        for a in range(3):
            for b in range(3):
                e = torch.zeros(2, 3, 3, dtype=torch.float64)
                e[:, a, b] += h / 2
                e[:, b, a] += h / 2
                p1, c1 = strained(e)
                p2, c2 = strained(-e)
                ep = m({"pos": p1, "cell": c1, "species": species}, graph_ptr)["energy"].reshape(-1)
                em = m({"pos": p2, "cell": c2, "species": species}, graph_ptr)["energy"].reshape(-1)
                fd[:, a, b] = (ep - em) / (2 * h) / volume
    report[kind + ".fd_error"] = float((sigma - fd).abs().max())
    # Recording gradients: the stress is differentiable in the parameters.
    out = m({"pos": pos, "cell": cell, "species": species}, graph_ptr)
    report[kind + ".stress_has_graph"] = out["sigma"].requires_grad
    params = [p for p in model.parameters()]
    grads = torch.autograd.grad(out["sigma"].pow(2).sum(), params, allow_unused=True)
    report[kind + ".stress_parameter_gradient"] = max(float(g.abs().max()) for g in grads if g is not None)
    # The forces are those of the unstrained module (a caller's positions that require grad).
    p = pos.clone().requires_grad_(True)
    out = m({"pos": p, "cell": cell, "species": species}, graph_ptr)
    (g,) = torch.autograd.grad(out["energy"].sum(), p, retain_graph=True)
    report[kind + ".caller_grad_error"] = float((g + out["forces"]).abs().max())
print(json.dumps(report))
`;

describe.skipIf(!torchPython.ok)(torchSuiteTitle('torch stress by autograd'), () => {
  it('matches finite differences in the strain, no_grad, and trains, eager and scripted', () => {
    const r = compile('examples/periodic.eqv');
    if (!r.ok) throw new Error('examples/periodic.eqv does not compile');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eqv-torch-stress-'));
    fs.writeFileSync(path.join(dir, 'PeriodicPotential.py'), renderTorchModule(r.ir[0]!));
    fs.writeFileSync(path.join(dir, 'check.py'), CHECK);
    const python = torchPython.ok ? torchPython.python : 'python3';
    const report = JSON.parse(execFileSync(python, [path.join(dir, 'check.py'), dir, path.resolve('examples/periodic.input.json')], { encoding: 'utf8' })) as Record<string, number | boolean>;
    fs.rmSync(dir, { recursive: true, force: true });
    for (const kind of ['eager', 'script']) {
      expect(report[`${kind}.grad_mode_after_no_grad`], kind).toBe(false);
      expect(report[`${kind}.outputs_require_grad_under_no_grad`], kind).toBe(false);
      expect(report[`${kind}.stress_scale`] as number, kind).toBeGreaterThan(1e-3);
      expect(report[`${kind}.fd_error`] as number, kind).toBeLessThan(1e-7 * Math.max(1, report[`${kind}.stress_scale`] as number));
      expect(report[`${kind}.stress_has_graph`], kind).toBe(true);
      expect(report[`${kind}.stress_parameter_gradient`] as number, kind).toBeGreaterThan(1e-6);
      expect(report[`${kind}.caller_grad_error`] as number, kind).toBeLessThan(1e-12);
    }
  }, 120_000);
});
