#!/usr/bin/env bash
# Run on a development machine (Node, npm ci done, Debian's apt): builds bench/gpu/carry/, the
# ignored folder to carry to a GPU machine that has Python, PyTorch and e3nn but no Node and no
# registry access (the device tool's `carry: ["bench/gpu/carry"]`). It holds:
#   node.xz                  this machine's Node binary, xz-compressed (about 24 MB)
#   wgsl-bench.mjs           the WGSL benchmarks and the compiler, bundled by esbuild
#   dist/linux-x64/dawn.node Dawn for Node (from the webgpu package), beside the bundle
#   lib/libvulkan.so.1       Debian's Vulkan loader, for a machine without one
set -euo pipefail
cd "$(dirname "$0")/../.."
out=bench/gpu/carry
rm -rf "$out" && mkdir -p "$out/dist/linux-x64" "$out/lib"
xz -T0 -6 -c "$(command -v node)" > "$out/node.xz"
npx esbuild bench/gpu/entry.ts --bundle --platform=node --format=esm --target=node20 \
  --banner:js="import { createRequire as __eqvCreateRequire } from 'node:module'; const require = __eqvCreateRequire(import.meta.url);" \
  --outfile="$out/wgsl-bench.mjs" --log-level=warning
cp node_modules/webgpu/dist/linux-x64/dawn.node "$out/dist/linux-x64/dawn.node"
tmp=$(mktemp -d)
chmod 755 "$tmp"
if (cd "$tmp" && apt-get download libvulkan1 >/dev/null 2>&1 && dpkg -x libvulkan1_*.deb x); then
  cp -L "$tmp"/x/usr/lib/x86_64-linux-gnu/libvulkan.so.1 "$out/lib/libvulkan.so.1"
else
  echo "note: could not fetch Debian's libvulkan1: the GPU machine must have a Vulkan loader"
fi
rm -rf "$tmp"
du -sh "$out"; du -ah "$out" | sort -h | tail -6
