// torch target benchmarks: the workloads W1-W4 (bench/models/, shared with the tfjs and wgsl
// suites) as generated PyTorch modules, run by the machine's Python on its CPU (or, with
// --device cuda, a GPU) in float32. A run is the module's whole forward (for W1 and W1L
// including the radius graph of complete graphs of 32 nodes, like the wgsl suite); W1 is also
// timed forward+backward (gradients of every parameter and of the node features). Median of
// 5 runs after a warm-up. Without a Python that has torch the suite reports nothing and says why.
//
// `tsx bench/workloads/torch.ts [--json] [--device cuda]` runs it on its own; `npm run bench`
// includes it.

import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileSource } from '../../compiler/compile.js';
import { findTorchPython } from '../../targets/torch/runner.js';
import { renderTorchModule } from '../../targets/torch/render.js';
import { type BenchResult, renderTable } from '../report.js';

const here = path.dirname(fileURLToPath(import.meta.url));

interface Workload {
  readonly id: string;
  readonly file: string;
  /** complete: graphs of 32 nodes in a ball (every pair an edge), sized by edges; rows: one graph of rows. */
  readonly kind: 'complete' | 'rows';
  readonly size: number;
  readonly unit: string;
  readonly backward?: boolean;
}

const WORKLOADS: readonly Workload[] = [
  { id: 'W1', file: 'w1.eqv', kind: 'complete', size: 20_000, unit: 'edges', backward: true },
  { id: 'W1L', file: 'w1l.eqv', kind: 'complete', size: 5_000, unit: 'edges' },
  { id: 'W2', file: 'w2.eqv', kind: 'rows', size: 2_000, unit: 'rows' },
  { id: 'W3', file: 'w3.eqv', kind: 'rows', size: 200_000, unit: 'vectors' },
  { id: 'W4', file: 'w4.eqv', kind: 'rows', size: 20_000, unit: 'rows' },
];

const BENCH_PY = String.raw`import importlib.util, json, statistics, sys, time
import torch

K = 32
spec = json.load(open(sys.argv[1]))
device = torch.device(spec["device"])
torch.manual_seed(0)


def sync():
    if device.type == "cuda":
        torch.cuda.synchronize()


def timed(fn, runs=5):
    fn()
    sync()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        sync()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


for w in spec["workloads"]:
    s = importlib.util.spec_from_file_location(w["class"], w["module"])
    m = importlib.util.module_from_spec(s)
    s.loader.exec_module(m)
    model = getattr(m, w["class"])(torch.float32).to(device)
    if w["kind"] == "complete":
        graphs = max(1, round(w["size"] / (K * (K - 1))))
        n = graphs * K
        v = torch.randn(n, 3)
        pos = 0.45 * v / v.norm(dim=1, keepdim=True) * torch.rand(n, 1) ** (1 / 3)
        graph_ptr = torch.arange(0, n + 1, K)
        items = graphs * K * (K - 1)
    else:
        n = w["size"]
        graph_ptr = torch.tensor([0, n])
        items = n
    inputs = {}
    for name, (rows, dim) in model.input_specs.items():
        inputs[name] = pos.clone() if dim == 3 and w["kind"] == "complete" and name == "pos" else torch.randn(n, dim)
    inputs = {k: t.to(device) for k, t in inputs.items()}
    graph_ptr = graph_ptr.to(device)

    def forward():
        with torch.no_grad():
            model(inputs, graph_ptr)

    t = timed(forward)
    print(json.dumps({"id": w["id"], "mode": "forward", "items": items, "seconds": t}), flush=True)
    if w.get("backward"):
        feats = {k: (t.clone().requires_grad_(True) if k != "pos" else t) for k, t in inputs.items()}

        def step():
            model.zero_grad()
            out = model(feats, graph_ptr)
            sum(o.sum() for o in out.values()).backward()

        t = timed(step)
        print(json.dumps({"id": w["id"], "mode": "forward+backward", "items": items, "seconds": t}), flush=True)
`;

export async function torchBench(options: { device?: string } = {}): Promise<BenchResult[]> {
  let python: string;
  try {
    python = (await findTorchPython()).python;
  } catch (e) {
    process.stderr.write(`torch benchmarks skipped: ${(e as Error).message}\n`);
    return [];
  }
  const device = options.device ?? 'cpu';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eqv-torch-bench-'));
  try {
    const workloads = WORKLOADS.map((w) => {
      // From the repository root first: the GPU bundle (bench/gpu/entry.ts) runs there.
      const file = [path.resolve('bench/models', w.file), path.join(here, '..', 'models', w.file)].find((f) => fs.existsSync(f));
      if (!file) throw new Error(`${w.id}: ${w.file} not found in bench/models (run from the repository root)`);
      const r = compileSource(fs.readFileSync(file, 'utf8'), file);
      if (!r.ok || !r.ir[0]) throw new Error(`${w.file} does not compile`);
      const module = r.ir[0];
      const out = path.join(dir, `${module.model}.py`);
      fs.writeFileSync(out, renderTorchModule(module));
      return { ...w, class: module.model, module: out };
    });
    fs.writeFileSync(path.join(dir, 'bench.py'), BENCH_PY);
    fs.writeFileSync(path.join(dir, 'spec.json'), JSON.stringify({ device, workloads }));
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(python, [path.join(dir, 'bench.py'), path.join(dir, 'spec.json')], { cwd: dir, maxBuffer: 16 << 20 }, (error, out, err) => (error ? reject(new Error(`torch benchmark failed: ${err.trim() || error.message}`)) : resolve(out)));
    });
    const threads = os.cpus().length;
    return stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: string; mode: string; items: number; seconds: number })
      .map((r) => {
        const w = WORKLOADS.find((x) => x.id === r.id)!;
        return {
          workload: `${r.id} ${r.mode} (${r.items} ${w.unit})`,
          target: 'torch',
          backend: `${device} float32`,
          seconds: r.seconds,
          items_per_s: r.items / r.seconds,
          note: `whole generated module${w.kind === 'complete' ? ', radius graph included' : ''}; ${device === 'cpu' ? `${threads} cores` : device}`,
        };
      });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// Only when this file is the entry point (not inside bench/gpu's bundle, where import.meta.url is the bundle's).
const self = fileURLToPath(import.meta.url);
if (self.endsWith(path.join('workloads', 'torch.ts')) && process.argv[1] && path.resolve(process.argv[1]) === self) {
  const args = process.argv.slice(2);
  const deviceIdx = args.indexOf('--device');
  const results = await torchBench(deviceIdx >= 0 ? { device: args[deviceIdx + 1]! } : {});
  process.stdout.write(args.includes('--json') ? JSON.stringify(results, null, 2) + '\n' : renderTable(results) + '\n');
}
