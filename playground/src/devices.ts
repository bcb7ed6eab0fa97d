// Where the page runs models: WebGPU through the wgsl target's host runtime (the same planner,
// kernels and executor as `eqvc run --target wgsl`), or, where the browser has no WebGPU, the
// float64 reference evaluator. The answer to "is there WebGPU" is asked once.

import type { IRModule } from '../../ir/types.js';
import type { RuntimeBatch } from '../../targets/io/inputs.js';
import type { ParamStore } from '../../targets/io/params.js';
import type { Runner } from '../../targets/target.js';
import { runWgsl } from '../../targets/wgsl/runner.js';
import { refTarget } from '../../targets/ref/index.js';

export interface Gpu {
  readonly available: boolean;
  /** What the adapter is, or why there is none. */
  readonly description: string;
}

let probe: Promise<Gpu> | undefined;

export function probeWebGpu(): Promise<Gpu> {
  probe ??= (async () => {
    const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
    if (!gpu) return { available: false, description: 'this browser has no navigator.gpu (WebGPU is off or unsupported)' };
    try {
      const adapter = (await gpu.requestAdapter()) ?? (await gpu.requestAdapter({ featureLevel: 'compatibility' } as GPURequestAdapterOptions));
      if (!adapter) return { available: false, description: 'navigator.gpu gave no adapter (Chromium needs --enable-unsafe-webgpu on Linux)' };
      const info = adapter.info as GPUAdapterInfo | undefined;
      return { available: true, description: [info?.vendor, info?.architecture, info?.description].filter((s) => s).join(' ') || 'WebGPU adapter' };
    } catch (e) {
      return { available: false, description: `requesting a WebGPU adapter failed: ${(e as Error).message}` };
    }
  })();
  return probe;
}

export const webGpuRunner: Runner = (module: IRModule, batch: RuntimeBatch, params: ParamStore) => runWgsl(module, batch, params);
export const referenceRunner: Runner = refTarget.run!;
