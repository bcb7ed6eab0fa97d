// The WGSL benchmarks as one bundle for a GPU machine without Node packages (bench/gpu/prepare.sh
// bundles this file with esbuild): Dawn from the webgpu package, imported statically so that the
// bundle carries its JavaScript; dawn.node sits beside the bundle in dist/linux-x64/.
// Dawn's default backend is Vulkan on Linux; EQV_WEBGPU_BACKEND=opengl forces OpenGL.
// With --torch it runs the torch target's workloads instead (bench/workloads/torch.ts: the
// generated PyTorch modules, on the machine's Python), e.g. `--torch --device cuda --json`.

import { create } from 'webgpu';
import { wgslBenchMain } from '../workloads/wgsl.js';
import { torchBench } from '../workloads/torch.js';
import { renderTable } from '../report.js';
import { requestWgslDevice } from '../../targets/wgsl/host/device.js';

const args = process.argv.slice(2);
if (args.includes('--torch')) {
  const at = args.indexOf('--device');
  const results = await torchBench({ device: at >= 0 ? args[at + 1]! : 'cuda' });
  process.stdout.write(args.includes('--json') ? JSON.stringify(results, null, 2) + '\n' : renderTable(results) + '\n');
  process.exit(results.length > 0 ? 0 : 1);
}

const backend = process.env.EQV_WEBGPU_BACKEND;
const gpu = create(backend === 'opengl' ? ['backend=opengl'] : backend === 'vulkan' ? ['backend=vulkan'] : []);
const device = await requestWgslDevice({ gpu }, 8);
process.stderr.write(`wgsl bench on ${device.description}\n`);
await wgslBenchMain(args, device);
process.exit(0);
