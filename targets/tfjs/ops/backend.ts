// Choosing a tfjs backend. In Node: `cpu` (plain JS) and `wasm` (XNNPACK, SIMD, one thread),
// whose .wasm binaries are loaded from node_modules (no network). In browsers `webgl` and
// `webgpu` work too when their packages are imported by the page.

import * as tf from '@tensorflow/tfjs-core';
// The gradients of tfjs's ops are registered by the union package: tfjs-core's Node bundle
// (its `main`) leaves them out, and its ESM sources cannot be loaded by Node directly.
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerEqvKernels } from './customKernels.js';

export type BackendName = 'cpu' | 'wasm' | 'webgl' | 'webgpu';

let wasmPathsSet = false;

async function wasmDirectory(): Promise<string | undefined> {
  if (typeof process === 'undefined' || !process.versions?.node) return undefined;
  const { createRequire } = await import('node:module');
  const path = await import('node:path');
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + path.sep;
}

/** Make `name` the active backend (loading wasm from node_modules in Node) and register eqv's kernels. */
export async function useBackend(name: BackendName | string = 'wasm'): Promise<void> {
  registerEqvKernels();
  // PROD silences tfjs's console hints (e.g. "install tfjs-node") and its debug checks.
  tf.env().set('PROD', true);
  if (name === 'wasm' && !wasmPathsSet) {
    const dir = await wasmDirectory();
    if (dir) setWasmPaths(dir);
    wasmPathsSet = true;
  }
  if (tf.getBackend() === name) return;
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`the tfjs backend '${name}' could not be initialized`);
  await tf.ready();
}
