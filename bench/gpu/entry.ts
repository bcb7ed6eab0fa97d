// The WGSL benchmarks as one bundle for a GPU machine without Node packages (bench/gpu/prepare.sh
// bundles this file with esbuild): Dawn from the webgpu package, imported statically so that the
// bundle carries its JavaScript; dawn.node sits beside the bundle in dist/linux-x64/.
// Dawn's default backend is Vulkan on Linux; EQV_WEBGPU_BACKEND=opengl forces OpenGL.

import { create } from 'webgpu';
import { wgslBenchMain } from '../workloads/wgsl.js';
import { requestWgslDevice } from '../../targets/wgsl/host/device.js';

const backend = process.env.EQV_WEBGPU_BACKEND;
const gpu = create(backend === 'opengl' ? ['backend=opengl'] : backend === 'vulkan' ? ['backend=vulkan'] : []);
const device = await requestWgslDevice({ gpu }, 8);
process.stderr.write(`wgsl bench on ${device.description}\n`);
await wgslBenchMain(process.argv.slice(2), device);
process.exit(0);
