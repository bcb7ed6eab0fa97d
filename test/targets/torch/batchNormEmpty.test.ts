// The torch module's batch norm in training mode on a value with no rows (the edges of graphs
// that have none): the output has no rows, the running statistics stay as they were and no NaN
// appears, eager and scripted; a batch with edges still moves them. torch.nn.BatchNorm1d does
// the same on an empty batch; e3nn's BatchNorm raises (it cannot reshape 0 rows).

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../../compiler/compile.js';
import { renderTorchModule } from '../../../targets/torch/render.js';
import { torchPython, torchSuiteTitle } from './helpers.js';

const SOURCE = `model EdgeNorm : E(3) {
  in pos: node[pos]
  in x: node[2x0e]
  out y: graph[1x0e]
  let g = radius_graph(pos, r = 1.5)
  let m = batch_norm(tp(spherical_harmonics(g.vec, lmax = 1), bessel(g.len, n = 4, cutoff = 1.5), out = 2x0e + 1x1o), momentum = 0.3)
  y = pool(linear(concat(x, scatter(norm(m), g)), 1x0e))
}
`;

const CHECK = String.raw`
import json, sys
import torch
sys.path.insert(0, sys.argv[1])
from EdgeNorm import EdgeNorm

torch.manual_seed(0)
report = {}
for kind in ["eager", "script"]:
    model = EdgeNorm(torch.float64)
    m = model if kind == "eager" else torch.jit.script(model)
    m.train()
    stats = lambda: torch.cat([v.reshape(-1).clone() for k, v in sorted(model.state_dict().items()) if "running" in k])
    before = stats()
    # Two isolated atoms: no edges, so the batch norm's value has no rows.
    pos = torch.tensor([[0.0, 0, 0], [5, 5, 5]], dtype=torch.float64, requires_grad=True)
    x = torch.tensor([[1.0, 2], [-1, 0.5]], dtype=torch.float64)
    y = m({"pos": pos, "x": x}, torch.tensor([0, 1, 2]))["y"]
    y.sum().backward()
    report[kind + ".finite"] = bool(torch.isfinite(y).all()) and all(bool(torch.isfinite(p.grad).all()) for p in model.parameters() if p.grad is not None)
    report[kind + ".unchanged"] = float((stats() - before).abs().max())
    report[kind + ".stats_finite"] = bool(torch.isfinite(stats()).all())
    # Two atoms within the radius: two edges, and the running statistics move.
    pair = torch.tensor([[0.0, 0, 0], [0.9, 0.2, 0]], dtype=torch.float64)
    m({"pos": pair, "x": x}, torch.tensor([0, 2]))
    report[kind + ".moved"] = float((stats() - before).abs().max())
print(json.dumps(report))
`;

describe.skipIf(!torchPython.ok)(torchSuiteTitle('torch batch norm in training mode on a value with no rows'), () => {
  it('gives no rows, leaves the running statistics and stays finite (eager and scripted); edges move them', () => {
    const r = compileSource(SOURCE);
    expect(r.diagnostics).toEqual([]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eqv-torch-bn-'));
    fs.writeFileSync(path.join(dir, 'EdgeNorm.py'), renderTorchModule(r.ir[0]!));
    fs.writeFileSync(path.join(dir, 'check.py'), CHECK);
    const python = torchPython.ok ? torchPython.python : 'python3';
    const report = JSON.parse(execFileSync(python, [path.join(dir, 'check.py'), dir], { encoding: 'utf8' })) as Record<string, number | boolean>;
    fs.rmSync(dir, { recursive: true, force: true });
    for (const kind of ['eager', 'script']) {
      expect(report[`${kind}.finite`], kind).toBe(true);
      expect(report[`${kind}.stats_finite`], kind).toBe(true);
      expect(report[`${kind}.unchanged`], kind).toBe(0);
      expect(report[`${kind}.moved`] as number, kind).toBeGreaterThan(1e-3);
    }
  }, 120_000);
});
