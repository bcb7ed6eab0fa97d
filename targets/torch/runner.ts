// `eqvc run --target torch [--dtype float32|float64]`: the generated PyTorch module, run by the
// machine's Python. The module, its weights and the batch are written to a private temporary
// folder (fs.mkdtemp), one Python process runs them (targets/torch/driver.ts) and writes the
// outputs as float64 safetensors, which are read back; the folder is removed afterwards.
// Several models can run in one process (runTorchJobs), which the tests use to pay Python's
// and torch's start-up once.

import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { IRModule } from '../../ir/types.js';
import type { RuntimeBatch } from '../io/inputs.js';
import { paramsToTensors, type ParamStore } from '../io/params.js';
import { readSafetensors, writeSafetensors, type NamedTensor } from '../io/safetensors.js';
import type { RunOptions } from '../target.js';
import { PYTHON_DRIVER } from './driver.js';
import { PYTHON_SAFETENSORS, SAFETENSORS_MODULE } from './loader.js';
import { renderTorchModule, torchClassName } from './render.js';
import { torchWorker } from './worker.js';

import { TORCH_DTYPES, type TorchDtype } from './dtype.js';

export { TORCH_DTYPES, type TorchDtype };

export class TorchUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TorchUnavailableError';
  }
}

interface Probe {
  readonly python: string;
  readonly version: string;
}

function probe(python: string): Promise<Probe | string> {
  return new Promise((resolve) => {
    execFile(python, ['-c', 'import torch, sys; print(torch.__version__)'], { timeout: 120_000 }, (error, stdout, stderr) => {
      if (!error) return resolve({ python, version: stdout.trim() });
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return resolve('not found');
      const missing = /No module named '([^']+)'/.exec(stderr);
      resolve(missing ? `has no module '${missing[1]}'` : (stderr.trim().split('\n').pop() ?? error.message));
    });
  });
}

let found: Promise<Probe> | undefined;

/**
 * The first Python that imports torch: $EQV_PYTHON, then `python3`, then /usr/bin/python3 (the
 * PATH's python3 may be a pyenv or venv Python without Debian's python3-torch). Cached.
 */
export function findTorchPython(): Promise<Probe> {
  if (!found) {
    const candidates = [process.env.EQV_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c);
    found = findTorchPythonAmong(candidates, process.env.EQV_PYTHON);
    found.catch(() => (found = undefined));
  }
  return found;
}

/** The first of the candidates that imports torch, or an error naming the missing package and what was tried. */
export async function findTorchPythonAmong(candidates: readonly string[], fromEnv?: string): Promise<Probe> {
  const tried: string[] = [];
  for (const c of [...new Set(candidates)]) {
    const r = await probe(c);
    if (typeof r !== 'string') return r;
    tried.push(`${c === fromEnv ? `EQV_PYTHON=${c}` : c} (${r})`);
  }
  throw new TorchUnavailableError(
    `the torch target needs Python 3 with the 'torch' package (PyTorch >= 1.13): install it (Debian/Ubuntu: apt-get install python3-torch; elsewhere: pip install torch) or set EQV_PYTHON to a Python that has it; tried ${tried.join(', ')}`,
  );
}

export interface TorchJob {
  readonly module: IRModule;
  readonly batch: RuntimeBatch;
  readonly params: ParamStore;
}

export interface TorchJobOptions {
  readonly dtype?: TorchDtype;
  /** `cpu` (default) or `cuda`. */
  readonly device?: string;
  /** Also run torch.jit.script(model) and return its outputs. */
  readonly script?: boolean;
  /** Also return the gradient of sum over outputs of |out|^2 / 2 with respect to every parameter. */
  readonly gradients?: boolean;
}

export interface TorchJobResult {
  readonly outputs: Map<string, Float64Array>;
  /** The scripted module's outputs (with `script`). */
  readonly scripted?: Map<string, Float64Array>;
  /** With `gradients`: by parameter name, flat. */
  readonly gradients?: Map<string, Float64Array>;
  /** The module's state_dict() keys, in order. */
  readonly stateDictKeys: readonly string[];
}

/**
 * The key of graph_ptr among the batch's tensors: it starts with a dot, which no input name can,
 * so a model input called `graph_ptr` is not overwritten by the offsets (it was, and the module
 * failed in repeat_interleave).
 */
export const GRAPH_PTR_KEY = '.graph_ptr';

/** The batch as float64 tensors of (rows, dim), with graph_ptr under GRAPH_PTR_KEY. */
export function batchTensors(module: IRModule, batch: RuntimeBatch): Map<string, NamedTensor> {
  const out = new Map<string, NamedTensor>();
  out.set(GRAPH_PTR_KEY, { shape: [batch.graphPtr.length], data: Float64Array.from(batch.graphPtr) });
  const spaceDim = module.group.spaceDim ?? 3;
  for (const input of module.inputs) {
    const t = input.type;
    if (t.kind === 'graph') {
      // Given edges, as the batch holds them: global node indices sorted by (dst, src, shift).
      const edges = batch.edges?.get(input.name);
      if (!edges) throw new Error(`the batch has no edges for the graph input ${input.name}`);
      const m = edges.src.length;
      out.set(`${input.name}.src`, { shape: [m], data: Float64Array.from(edges.src) });
      out.set(`${input.name}.dst`, { shape: [m], data: Float64Array.from(edges.dst) });
      if (edges.shifts) out.set(`${input.name}.shifts`, { shape: [m, m > 0 ? edges.shifts.length / m : spaceDim], data: Float64Array.from(edges.shifts) });
      continue;
    }
    const data = batch.values.get(input.name);
    if (!data) throw new Error(`the batch has no input ${input.name}`);
    const dim = t.kind === 'field' ? t.rep.dim : t.kind === 'points' ? t.dim || spaceDim : t.kind === 'cell' ? t.dim * t.dim : 1;
    out.set(input.name, { shape: [dim > 0 ? data.length / dim : 0, dim], data });
  }
  return out;
}

function runPython(python: string, args: string[], cwd: string): Promise<{ stdout: string; stderr: string; error?: Error }> {
  return new Promise((resolve) => {
    execFile(python, args, { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } }, (error, stdout, stderr) => {
      resolve({ stdout, stderr, ...(error ? { error } : {}) });
    });
  });
}

/** Runs several modules in one Python process; results in job order. */
export async function runTorchJobs(jobs: readonly TorchJob[], options: TorchJobOptions = {}): Promise<TorchJobResult[]> {
  const dtype = options.dtype ?? 'float32';
  if (!TORCH_DTYPES.includes(dtype)) throw new Error(`--dtype must be float32 or float64, got ${dtype}`);
  const { python } = await findTorchPython();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eqv-torch-'));
  try {
    fs.writeFileSync(path.join(dir, `${SAFETENSORS_MODULE}.py`), PYTHON_SAFETENSORS);
    fs.writeFileSync(path.join(dir, 'eqv_run.py'), PYTHON_DRIVER);
    const specs = jobs.map((job, i) => {
      const module = path.join(dir, `model${i}.py`);
      fs.writeFileSync(module, renderTorchModule(job.module));
      const weights = path.join(dir, `weights${i}.safetensors`);
      fs.writeFileSync(weights, writeSafetensors(paramsToTensors(job.module, job.params), { dtype: 'F64' }));
      const inputs = path.join(dir, `inputs${i}.safetensors`);
      fs.writeFileSync(inputs, writeSafetensors(batchTensors(job.module, job.batch), { dtype: 'F64' }));
      return { module, class: torchClassName(job.module), weights, inputs, outputs: path.join(dir, `outputs${i}.safetensors`) };
    });
    const spec = { dtype, device: options.device ?? 'cpu', script: options.script ?? false, grad: options.gradients ?? false, jobs: specs };
    fs.writeFileSync(path.join(dir, 'jobs.json'), JSON.stringify(spec));
    const r = await runPython(python, [path.join(dir, 'eqv_run.py'), path.join(dir, 'jobs.json')], dir);
    if (r.error) {
      const line = r.stderr.trim().split('\n').reverse().find((l) => l.startsWith('{"job"'));
      if (line) {
        const report = JSON.parse(line) as { job: string; error: string; trace: string };
        throw new Error(`the PyTorch module of ${report.job} failed: ${report.error}${process.env.EQV_TORCH_TRACE ? `\n${report.trace}` : ''}`);
      }
      throw new Error(`${python} failed: ${r.stderr.trim() || r.error.message}`);
    }
    return specs.map((s, i) => {
      const file = readSafetensors(new Uint8Array(fs.readFileSync(s.outputs)));
      const pick = (prefix: string) => {
        const m = new Map<string, Float64Array>();
        for (const o of jobs[i]!.module.outputs) {
          const t = file.tensors.get(`${prefix}.${o.name}`);
          if (t) m.set(o.name, t.data);
        }
        return m;
      };
      const stateDictKeys = JSON.parse(file.metadata.state_dict ?? '[]') as string[];
      const gradients = new Map<string, Float64Array>();
      for (const p of jobs[i]!.module.params) {
        const t = file.tensors.get(`grad.${p.name}`);
        if (t) gradients.set(p.name, t.data);
      }
      return { outputs: pick('out'), stateDictKeys, ...(options.script ? { scripted: pick('script') } : {}), ...(options.gradients ? { gradients } : {}) };
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The Target runner: options.dtype (float32 by default), options.backend the device (cpu by default, or cuda). */
export async function runTorch(module: IRModule, batch: RuntimeBatch, params: ParamStore, options: RunOptions): Promise<Map<string, Float64Array>> {
  const dtype = (options.dtype ?? 'float32') as TorchDtype;
  if (!TORCH_DTYPES.includes(dtype)) throw new Error(`--dtype must be float32 or float64, got ${dtype}`);
  const device = options.backend ?? 'cpu';
  if (device !== 'cpu' && !/^cuda(:\d+)?$/.test(device)) throw new Error(`the torch backend (device) must be cpu or cuda, got '${device}'`);
  // One long-lived Python process per session (worker.ts): suites run a model many times.
  const { python } = await findTorchPython();
  const w = await torchWorker(python);
  let tensors;
  try {
    tensors = await w.run({ module, params, inputs: batchTensors(module, batch), dtype, device });
  } catch (e) {
    throw new Error(`the PyTorch module of ${module.model} failed: ${(e as Error).message}`);
  }
  const out = new Map<string, Float64Array>();
  for (const o of module.outputs) {
    const t = tensors.get(`out.${o.name}`);
    if (!t) throw new Error(`the PyTorch module of ${module.model} returned no output ${o.name}`);
    out.set(o.name, t.data);
  }
  return out;
}
