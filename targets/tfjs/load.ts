// Running generated code: render the IR, transpile the TypeScript with the TypeScript compiler
// API (as a bundler would), write it to a temporary .mjs file and import it. What runs under
// `eqvc run --target tfjs`, `eqvc train` and the tests is therefore the generated module itself.

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ts } from 'ts-morph';
import type { IRModule } from '../../ir/types.js';
import type { ParamSpec } from './ops/weights.js';
import type * as tfTypes from '@tensorflow/tfjs-core';
import { renderTfjsModule } from './render.js';

/** The exports of a generated module (see render.ts). */
export interface GeneratedModel {
  readonly model: { readonly name: string; readonly source: string; readonly group: string };
  readonly paramSpecs: readonly ParamSpec[];
  readonly params: Readonly<Record<string, tfTypes.Variable>>;
  readonly inputSpecs: readonly { readonly name: string; readonly domain: 'node' | 'graph' | 'edge' | 'edges'; readonly dim: number }[];
  /** `graphs`: graph inputs' edges by name (global node indices, sorted by (dst, src, shift)). */
  makeInputs(values: Readonly<Record<string, ArrayLike<number>>>, graphPtr: ArrayLike<number>, graphs?: Readonly<Record<string, { readonly src: ArrayLike<number>; readonly dst: ArrayLike<number>; readonly shifts?: ArrayLike<number> }>>): GeneratedInputs;
  forward(inputs: GeneratedInputs): Record<string, tfTypes.Tensor2D>;
  initParams(seed?: number): void;
  /** Training mode (batch statistics, dropout) or evaluation; absent from modules generated before it existed. */
  readonly mode?: { training: boolean; seed: number };
  setTraining?(on: boolean): void;
  loadWeights(bytes: Uint8Array): void;
  saveWeights(metadata?: Readonly<Record<string, string>>): Uint8Array;
}

export type GeneratedInputs = Record<string, tfTypes.Tensor2D> & { $batch: { numGraphs: number; numNodes: number; graphPtr: Int32Array } };

/** The runtime entry generated modules import, as a URL this process can load (.ts under tsx/vitest). */
export function runtimeModuleUrl(): string {
  const here = import.meta.url;
  return new URL(here.endsWith('.ts') ? './module.ts' : './module.js', here).href;
}

/** TypeScript to an ES module (types erased), as a bundler would. */
export function transpileGenerated(source: string): string {
  return ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
}

/**
 * Import generated TypeScript source. Each call gets fresh parameters. Node imports modules
 * from files, so the module is written to a private folder (fs.mkdtemp: an unpredictable name,
 * mode 0700, created anew, so nobody else can plant or swap the file) and the folder is removed
 * once the module is loaded: a shared, predictable /tmp/eqv-tfjs-<pid> was reused without
 * checks and never deleted.
 */
export async function importGenerated(source: string): Promise<GeneratedModel> {
  const js = transpileGenerated(source);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eqv-tfjs-'));
  try {
    const file = path.join(dir, `${createHash('sha256').update(js).digest('hex').slice(0, 16)}.mjs`);
    fs.writeFileSync(file, js, { mode: 0o600, flag: 'wx' });
    return (await import(pathToFileURL(file).href)) as GeneratedModel;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Render an IR module for this process's runtime and import it. */
export async function loadModel(module: IRModule): Promise<GeneratedModel> {
  return importGenerated(renderTfjsModule(module, { runtimeImport: runtimeModuleUrl() }));
}
