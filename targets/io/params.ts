// Parameters of a model by name: their initial values (e3nn's: weights N(0, 1), biases zero,
// drawn from a seeded generator in IRModule.params order) and loading a weights file, matched
// by name or alias. Weights trained in e3nn load unchanged: TP and Linear weights are flat
// vectors there, FullyConnectedNet layers (h_in, h_out), and any shape with the right number of
// elements is accepted, read in C order. e3nn's Linear and tensor products also save a derived
// buffer, `output_mask` (1 where some path reaches an output component): a state_dict() saved
// as it is carries it, so it is accepted and skipped when all ones (eqv refuses outputs that no
// path reaches, E0204/E0208, so its layers' masks are all ones).

import type { IRModule, IRParam } from '../../ir/types.js';
import { createRng } from '../../stdlib/math/random.js';
import type { NamedTensor } from './safetensors.js';

export type ParamStore = ReadonlyMap<string, Float64Array>;

export function paramNumel(p: Pick<IRParam, 'shape'>): number {
  return p.shape.reduce((a, b) => a * b, 1);
}

export function initialParams(module: Pick<IRModule, 'params'>, seed: number): Map<string, Float64Array> {
  const rng = createRng(seed);
  const out = new Map<string, Float64Array>();
  for (const p of module.params) {
    const data = new Float64Array(paramNumel(p));
    if (p.init === 'normal') for (let i = 0; i < data.length; i++) data[i] = rng.normal();
    else if (p.init === 'ones') data.fill(1);
    out.set(p.name, data);
  }
  return out;
}

export type LoadResult = { readonly ok: true; readonly params: Map<string, Float64Array> } | { readonly ok: false; readonly errors: readonly string[] };

/**
 * Match every parameter to exactly one tensor by its name or one of its aliases. Reports, all
 * at once: missing parameters, tensors that match nothing, tensors whose element count is wrong,
 * and parameters given under two names.
 */
export function loadParams(module: Pick<IRModule, 'params'>, tensors: ReadonlyMap<string, NamedTensor>): LoadResult {
  const errors: string[] = [];
  const used = new Set<string>();
  const params = new Map<string, Float64Array>();
  const missing: string[] = [];
  for (const p of module.params) {
    const names = [p.name, ...(p.aliases ?? [])].filter((n) => tensors.has(n));
    if (names.length === 0) {
      missing.push(p.name);
      continue;
    }
    if (names.length > 1) errors.push(`parameter ${p.name} is given more than once, as ${names.join(' and ')}`);
    for (const n of names) used.add(n);
    const t = tensors.get(names[0]!)!;
    const want = paramNumel(p);
    if (t.data.length !== want) {
      errors.push(`${names[0]}: expected ${want} elements (shape [${p.shape.join(', ')}]), the file has ${t.data.length} (shape [${t.shape.join(', ')}])`);
      continue;
    }
    // A NaN or infinite weight makes every output it reaches NaN (printed as null in JSON):
    // refuse the file, naming the parameter and the first such element.
    const bad = t.data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      errors.push(`${names[0]}: element ${bad} is ${t.data[bad]}; weights must be finite numbers`);
      continue;
    }
    params.set(p.name, Float64Array.from(t.data));
  }
  if (missing.length > 0) errors.push(`missing parameter${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`);
  for (const [n, t] of tensors) {
    if (used.has(n) || !isOutputMask(n)) continue;
    const zero = t.data.findIndex((v) => v !== 1);
    if (zero >= 0) errors.push(`${n}: e3nn's output_mask is ${t.data[zero]} at element ${zero}: that e3nn layer has outputs no path reaches, which eqv's linear and tp do not allow (E0204, E0208)`);
    used.add(n);
  }
  const unexpected = [...tensors.keys()].filter((n) => !used.has(n));
  if (unexpected.length > 0) {
    errors.push(`unexpected tensor${unexpected.length > 1 ? 's' : ''} in the weights file: ${unexpected.join(', ')} (the model's parameters are ${module.params.map((p) => p.name).join(', ') || 'none'})`);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, params };
}

/** e3nn's derived `output_mask` buffer of an o3.Linear or tensor product, by its state_dict name. */
function isOutputMask(name: string): boolean {
  return name === 'output_mask' || name.endsWith('.output_mask');
}

/** The store as tensors with their declared shapes, ready for writeSafetensors. */
export function paramsToTensors(module: Pick<IRModule, 'params'>, params: ParamStore): Map<string, NamedTensor> {
  const out = new Map<string, NamedTensor>();
  for (const p of module.params) {
    const data = params.get(p.name);
    if (!data) throw new Error(`parameter ${p.name} has no value`);
    out.set(p.name, { shape: p.shape, data });
  }
  return out;
}
