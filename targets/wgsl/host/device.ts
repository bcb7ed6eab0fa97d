/// <reference types="@webgpu/types" />
// Getting a WebGPU device, the same code in a browser (navigator.gpu) and in Node (Dawn from
// the `webgpu` npm package). In Node, Dawn's default backend (Vulkan on a GPU machine) is tried
// first (on Linux only where the Vulkan loader is installed), then OpenGL in compatibility mode, which is how Dawn runs on Mesa's llvmpipe on a
// machine without a GPU (EGL_PLATFORM=surfaceless is set when no display is). The device asks
// for the adapter's limits the kernels need: a compatibility device otherwise defaults to 8
// storage buffers per stage and 128 invocations per workgroup. No adapter is an error that
// says how to get one.
//
// This file and the rest of runtime/ use only the WebGPU API and plain JavaScript, so they run
// unchanged in a browser.

/** WebGPU's numeric flags (globals in browsers, not in Node). */
export const BufferUsage = { MAP_READ: 1, MAP_WRITE: 2, COPY_SRC: 4, COPY_DST: 8, UNIFORM: 64, STORAGE: 128 } as const;
export const MapMode = { READ: 1 } as const;
export const ShaderStage = { COMPUTE: 4 } as const;

export type NodeBackend = 'default' | 'vulkan' | 'opengl';

export interface DeviceOptions {
  /** A WebGPU entry point: navigator.gpu, or an instance from the webgpu package's create(). */
  readonly gpu?: GPU;
  /** Node only: which Dawn backend to try (default: the environment's EQV_WEBGPU_BACKEND, else default then opengl). */
  readonly backend?: NodeBackend;
}

export interface WgslDevice {
  readonly device: GPUDevice;
  /** Where it came from, for reports: `Dawn opengl (compatibility): llvmpipe ...`. */
  readonly description: string;
  readonly limits: {
    readonly maxStorageBufferBindingSize: number;
    readonly maxBufferSize: number;
    readonly maxStorageBuffersPerShaderStage: number;
    readonly maxComputeWorkgroupsPerDimension: number;
    readonly minStorageBufferOffsetAlignment: number;
    readonly minUniformBufferOffsetAlignment: number;
  };
}

export const WEBGPU_HELP = [
  'In Node, eqv runs WGSL on Dawn from the `webgpu` npm package (npm install webgpu@0.6.2):',
  '  - without a GPU, Dawn runs on Mesa llvmpipe through OpenGL: install Debian\'s libegl1 libegl-mesa0 libgl1-mesa-dri',
  '    (apt-get install libegl1 libegl-mesa0 libgl1-mesa-dri) and keep EGL_PLATFORM=surfaceless in the environment',
  '    (eqv sets it when neither EGL_PLATFORM nor a display is set);',
  '  - with a GPU, Dawn uses Vulkan: the GPU driver\'s Vulkan ICD and the loader libvulkan.so.1 (Debian: libvulkan1) must be installed;',
  '  - EQV_WEBGPU_BACKEND=opengl or =vulkan forces one backend.',
  'In a browser, use one with WebGPU enabled (headless Chromium needs --enable-unsafe-webgpu).',
].join('\n');

export class NoAdapterError extends Error {
  constructor(tried: readonly string[], cause?: string) {
    super(`no WebGPU adapter is available${cause ? ` (${cause})` : ''}.\nTried: ${tried.length > 0 ? tried.join('; ') : 'nothing'}.\n${WEBGPU_HELP}`);
    this.name = 'NoAdapterError';
  }
}

interface NodeLike {
  readonly env: Record<string, string | undefined>;
  readonly versions?: { readonly node?: string };
}

function nodeProcess(): NodeLike | undefined {
  const p = (globalThis as { process?: NodeLike }).process;
  return p && p.versions && p.versions.node ? p : undefined;
}

type DawnModule = { create(flags: string[]): GPU };

async function loadDawn(): Promise<DawnModule> {
  // A computed specifier, so that bundlers for the browser do not try to resolve it.
  const name = 'webgpu';
  try {
    return (await import(/* @vite-ignore */ name)) as DawnModule;
  } catch (e) {
    throw new NoAdapterError([], `the webgpu package cannot be loaded: ${(e as Error).message}`);
  }
}

const dawnInstances = new Map<string, GPU>();

/**
 * Whether Linux can load the Vulkan loader (libvulkan.so.1), which Dawn's default backend needs
 * there: the dynamic linker's cache (/etc/ld.so.cache names every library it knows) or a folder
 * of LD_LIBRARY_PATH. Without it Dawn would print "Couldn't load Vulkan ... BackendVk.cpp" on
 * stderr, which reads like a crash, before falling back to OpenGL; so that backend is not tried.
 * Elsewhere (macOS: Metal, Windows: D3D) the default backend needs no loader: true.
 */
async function vulkanLoaderPresent(env: Record<string, string | undefined>): Promise<boolean> {
  if ((globalThis as { process?: { platform?: string } }).process?.platform !== 'linux') return true;
  // Computed specifiers, as in loadDawn: browser bundlers must not resolve them.
  const fsName = 'node:fs';
  const pathName = 'node:path';
  const fs = (await import(/* @vite-ignore */ fsName)) as typeof import('node:fs');
  const path = (await import(/* @vite-ignore */ pathName)) as typeof import('node:path');
  const dirs = (env.LD_LIBRARY_PATH ?? '').split(':').filter((d) => d.length > 0);
  if (dirs.some((d) => fs.existsSync(path.join(d, 'libvulkan.so.1')))) return true;
  try {
    return fs.readFileSync('/etc/ld.so.cache').includes('libvulkan.so.1');
  } catch {
    // No cache (a minimal container): look where distributions put the library.
    return ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/lib64', '/lib'].some((d) => fs.existsSync(path.join(d, 'libvulkan.so.1')));
  }
}

/**
 * The Dawn backends to try, in order, for a requested backend (undefined: automatic). The
 * automatic order is Dawn's default backend, then OpenGL in compatibility mode; the default is
 * left out on Linux without a Vulkan loader (see vulkanLoaderPresent).
 */
export function nodeBackendOrder(backend: NodeBackend | undefined, vulkanPresent: boolean): NodeBackend[] {
  if (backend === 'vulkan' || backend === 'opengl') return [backend];
  if (backend === 'default') return ['default'];
  return vulkanPresent ? ['default', 'opengl'] : ['opengl'];
}

/** Adapters to try, in order, with how each was asked for. */
async function candidates(options: DeviceOptions): Promise<{ gpu: GPU; label: string; featureLevel: 'core' | 'compatibility' }[]> {
  if (options.gpu) return [{ gpu: options.gpu, label: 'the given GPU', featureLevel: 'core' }, { gpu: options.gpu, label: 'the given GPU (compatibility)', featureLevel: 'compatibility' }];
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  const proc = nodeProcess();
  if (!proc) {
    if (nav?.gpu) return [{ gpu: nav.gpu, label: 'navigator.gpu', featureLevel: 'core' }, { gpu: nav.gpu, label: 'navigator.gpu (compatibility)', featureLevel: 'compatibility' }];
    throw new NoAdapterError(['navigator.gpu'], 'this browser has no navigator.gpu');
  }
  if (proc.env.EGL_PLATFORM === undefined && !proc.env.DISPLAY && !proc.env.WAYLAND_DISPLAY) proc.env.EGL_PLATFORM = 'surfaceless';
  const dawn = await loadDawn();
  const backend = options.backend ?? (proc.env.EQV_WEBGPU_BACKEND as NodeBackend | undefined);
  if (backend !== undefined && !['default', 'vulkan', 'opengl'].includes(backend)) throw new Error(`EQV_WEBGPU_BACKEND must be default, vulkan or opengl, got ${backend}`);
  const instance = (flags: string[]) => {
    const key = flags.join(',');
    let g = dawnInstances.get(key);
    if (!g) {
      g = dawn.create(flags);
      dawnInstances.set(key, g);
    }
    return g;
  };
  const order = nodeBackendOrder(backend, backend === undefined ? await vulkanLoaderPresent(proc.env) : true);
  return order.map((b) =>
    b === 'default'
      ? { gpu: instance([]), label: 'Dawn default backend', featureLevel: 'core' as const }
      : b === 'vulkan'
        ? { gpu: instance(['backend=vulkan']), label: 'Dawn vulkan', featureLevel: 'core' as const }
        : { gpu: instance(['backend=opengl']), label: 'Dawn opengl (compatibility)', featureLevel: 'compatibility' as const },
  );
}

/** The adapter limits worth asking for: all of those the kernels' sizes depend on. */
const WANTED_LIMITS = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupsPerDimension',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupStorageSize',
] as const;

/**
 * A device with the adapter's limits for storage bindings, buffer sizes and workgroups.
 * `needStorageBuffers`: the most storage buffers one kernel binds.
 */
export async function requestWgslDevice(options: DeviceOptions = {}, needStorageBuffers = 8): Promise<WgslDevice> {
  const tried: string[] = [];
  for (const c of await candidates(options)) {
    let adapter: GPUAdapter | null = null;
    try {
      adapter = await c.gpu.requestAdapter(c.featureLevel === 'compatibility' ? ({ featureLevel: 'compatibility' } as GPURequestAdapterOptions) : {});
    } catch (e) {
      tried.push(`${c.label}: ${(e as Error).message}`);
      continue;
    }
    if (!adapter) {
      tried.push(`${c.label}: no adapter`);
      continue;
    }
    const have = adapter.limits as unknown as Record<string, number>;
    if (have.maxStorageBuffersPerShaderStage! < needStorageBuffers) {
      tried.push(`${c.label}: only ${have.maxStorageBuffersPerShaderStage} storage buffers per stage, the kernels need ${needStorageBuffers}`);
      continue;
    }
    const requiredLimits: Record<string, number> = {};
    for (const name of WANTED_LIMITS) if (typeof have[name] === 'number') requiredLimits[name] = have[name]!;
    const device = await adapter.requestDevice({ requiredLimits });
    const info = adapter.info as GPUAdapterInfo | undefined;
    const what = [info?.vendor, info?.architecture, info?.description].filter((s) => s && s.length > 0).join(' ');
    const l = device.limits;
    return {
      device,
      description: `${c.label}${what ? `: ${what}` : ''}`,
      limits: {
        maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
        maxBufferSize: l.maxBufferSize,
        maxStorageBuffersPerShaderStage: l.maxStorageBuffersPerShaderStage,
        maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
        minStorageBufferOffsetAlignment: l.minStorageBufferOffsetAlignment,
        minUniformBufferOffsetAlignment: l.minUniformBufferOffsetAlignment,
      },
    };
  }
  throw new NoAdapterError(tried);
}
