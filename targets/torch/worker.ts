// A long-lived Python process for the torch runner: the equivariance suites run a model (and
// each of its mutants) on dozens of batches, and starting Python and importing torch costs a
// second or more each time. The worker reads one JSON request per line on stdin (module file,
// weights, inputs, outputs, dtype, device), keeps the modules it has built with their weights
// loaded, and answers one JSON line. Files live in a private temporary folder (fs.mkdtemp),
// removed with the worker; each module and each weights store is written once. The process
// does not keep Node alive, and is killed when Node exits.

import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { IRModule } from '../../ir/types.js';
import { paramsToTensors, type ParamStore } from '../io/params.js';
import { readSafetensors, writeSafetensors, type NamedTensor } from '../io/safetensors.js';
import { PYTHON_SAFETENSORS, SAFETENSORS_MODULE } from './loader.js';
import { renderTorchModule, torchClassName } from './render.js';
import type { TorchDtype } from './dtype.js';

const PYTHON_WORKER = String.raw`import json
import sys
import traceback

import torch

from eqv_safetensors import load_eqv_weights, read_safetensors, write_safetensors

models = {}


def load_class(path, name):
    import importlib.util
    spec = importlib.util.spec_from_file_location(name + "_module", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)


def handle(req):
    dtype = {"float32": torch.float32, "float64": torch.float64}[req["dtype"]]
    device = torch.device(req["device"])
    key = (req["module"], req["weights"], req["dtype"], req["device"])
    model = models.get(key)
    if model is None:
        model = load_class(req["module"], req["class"])(dtype).to(device)
        load_eqv_weights(model, req["weights"])
        model.eval()
        models[key] = model
    data = read_safetensors(req["inputs"])
    graph_ptr = data.pop(".graph_ptr").to(torch.long).to(device)
    inputs = {name: t.to(dtype).to(device) for name, t in data.items()}
    with torch.no_grad():
        out = model(inputs, graph_ptr)
    write_safetensors(req["outputs"], {"out." + k: v.to(torch.float64).cpu().reshape(-1) for k, v in out.items()})


for line in sys.stdin:
    req = json.loads(line)
    try:
        handle(req)
        reply = {"id": req["id"], "ok": True}
    except Exception as e:
        reply = {"id": req["id"], "ok": False, "error": f"{type(e).__name__}: {e}", "trace": traceback.format_exc()}
    sys.stdout.write(json.dumps(reply) + "\n")
    sys.stdout.flush()
`;

interface Pending {
  resolve(): void;
  reject(e: Error): void;
}

export interface WorkerRequest {
  readonly module: IRModule;
  readonly params: ParamStore;
  readonly inputs: ReadonlyMap<string, NamedTensor>;
  readonly dtype: TorchDtype;
  readonly device: string;
}

class TorchWorker {
  private readonly pending = new Map<number, Pending>();
  private next = 0;
  private readonly modules = new WeakMap<IRModule, string>();
  private readonly weights = new WeakMap<ParamStore, WeakMap<IRModule, string>>();
  private files = 0;
  private dead: Error | undefined;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly dir: string,
  ) {
    const lines = readline.createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      let reply: { id: number; ok: boolean; error?: string; trace?: string };
      try {
        reply = JSON.parse(line) as typeof reply;
      } catch {
        return; // a stray print from user code
      }
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (reply.ok) p.resolve();
      else p.reject(new Error(`${reply.error}${process.env.EQV_TORCH_TRACE ? `\n${reply.trace}` : ''}`));
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.on('exit', (code) => {
      this.dead = new Error(`the torch worker exited (code ${code}): ${stderr.trim().split('\n').slice(-3).join(' ')}`);
      for (const p of this.pending.values()) p.reject(this.dead);
      this.pending.clear();
      if (worker && (worker as Promise<TorchWorker> & { value?: TorchWorker }).value === this) worker = undefined;
    });
    // Idle, the worker must not keep Node running.
    this.idle();
  }

  static start(python: string): TorchWorker {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eqv-torch-worker-'));
    fs.writeFileSync(path.join(dir, `${SAFETENSORS_MODULE}.py`), PYTHON_SAFETENSORS);
    fs.writeFileSync(path.join(dir, 'eqv_worker.py'), PYTHON_WORKER);
    const child = spawn(python, [path.join(dir, 'eqv_worker.py')], { cwd: dir, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
    const w = new TorchWorker(child, dir);
    process.once('exit', () => w.close());
    return w;
  }

  close(): void {
    if (!this.child.killed) this.child.kill();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private busy(): void {
    this.child.ref();
    (this.child.stdout as unknown as { ref?: () => void }).ref?.();
  }

  private idle(): void {
    this.child.unref();
    (this.child.stdout as unknown as { unref?: () => void }).unref?.();
    (this.child.stderr as unknown as { unref?: () => void }).unref?.();
    (this.child.stdin as unknown as { unref?: () => void }).unref?.();
  }

  private file(name: string, contents: string | Uint8Array): string {
    const f = path.join(this.dir, `${name}${this.files++}${typeof contents === 'string' ? '.py' : '.safetensors'}`);
    fs.writeFileSync(f, contents);
    return f;
  }

  private moduleFile(module: IRModule): string {
    let f = this.modules.get(module);
    if (!f) {
      f = this.file('model', renderTorchModule(module));
      this.modules.set(module, f);
    }
    return f;
  }

  private weightsFile(module: IRModule, params: ParamStore): string {
    let byModule = this.weights.get(params);
    if (!byModule) {
      byModule = new WeakMap();
      this.weights.set(params, byModule);
    }
    let f = byModule.get(module);
    if (!f) {
      f = this.file('weights', writeSafetensors(paramsToTensors(module, params), { dtype: 'F64' }));
      byModule.set(module, f);
    }
    return f;
  }

  async run(req: WorkerRequest): Promise<ReadonlyMap<string, NamedTensor>> {
    if (this.dead) throw this.dead;
    const id = this.next++;
    const inputs = path.join(this.dir, `inputs${id}.safetensors`);
    const outputs = path.join(this.dir, `outputs${id}.safetensors`);
    fs.writeFileSync(inputs, writeSafetensors(req.inputs, { dtype: 'F64' }));
    const message = {
      id,
      module: this.moduleFile(req.module),
      class: torchClassName(req.module),
      weights: this.weightsFile(req.module, req.params),
      inputs,
      outputs,
      dtype: req.dtype,
      device: req.device,
    };
    this.busy();
    try {
      await new Promise<void>((resolve, reject) => {
        this.pending.set(id, { resolve, reject });
        this.child.stdin.write(JSON.stringify(message) + '\n');
      });
      return readSafetensors(new Uint8Array(fs.readFileSync(outputs))).tensors;
    } finally {
      if (this.pending.size === 0) this.idle();
      fs.rmSync(inputs, { force: true });
      fs.rmSync(outputs, { force: true });
    }
  }
}

let worker: (Promise<TorchWorker> & { value?: TorchWorker }) | undefined;

/** The session's worker, started on first use with the given Python. */
export function torchWorker(python: string): Promise<TorchWorker> {
  if (!worker) {
    const p = Promise.resolve().then(() => TorchWorker.start(python)) as Promise<TorchWorker> & { value?: TorchWorker };
    p.then((w) => (p.value = w));
    worker = p;
  }
  return worker;
}
