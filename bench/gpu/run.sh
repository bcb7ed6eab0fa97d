#!/usr/bin/env bash
# Run on the GPU machine, from the repository root, after carrying bench/gpu/carry (prepare.sh):
#   bash bench/gpu/run.sh            # W1, W1L (5k and 50k edges), W2, W3, W4: wgsl on Dawn/Vulkan, the torch target and e3nn on CUDA
# It checks the Vulkan setup, runs the WGSL benchmarks through Dawn's Vulkan backend, the same
# workloads in e3nn (bench/gpu/e3nn_bench.py) in the same run, and prints the ratios
# (wgsl items/s over e3nn items/s; W1L at 50k edges is the headline). JSON results are left in
# bench/gpu/results/.
set -uo pipefail
cd "$(dirname "$0")/../.."
carry=bench/gpu/carry
res=bench/gpu/results
mkdir -p "$res"
[ -f "$carry/node.xz" ] || { echo "bench/gpu/carry is missing: run bench/gpu/prepare.sh on a development machine and carry it"; exit 2; }
[ -x "$carry/node" ] || xz -dc "$carry/node.xz" > "$carry/node" && chmod +x "$carry/node"

echo "== GPU and Vulkan"
# The carried Node (Debian 12) needs glibc >= 2.28, dawn.node glibc >= 2.34 and libstdc++.
ldd --version 2>&1 | head -1
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 | head -2
icds=$(ls /usr/share/vulkan/icd.d/*.json /etc/vulkan/icd.d/*.json 2>/dev/null | tr '\n' ' ')
echo "Vulkan ICDs: ${icds:-none}"
if ! ls /usr/share/vulkan/icd.d/nvidia*.json /etc/vulkan/icd.d/nvidia*.json >/dev/null 2>&1; then
  # The NVIDIA driver's Vulkan ICD is its GLX library; describe it when the driver did not.
  lib=$(find / -name 'libGLX_nvidia.so.0' -not -path '*/proc/*' 2>/dev/null | head -1)
  if [ -n "$lib" ]; then
    printf '{"file_format_version":"1.0.0","ICD":{"library_path":"%s","api_version":"1.3.0"}}\n' "$lib" > "$res/nvidia_icd.json"
    export VK_ICD_FILENAMES="$PWD/$res/nvidia_icd.json"
    echo "using $lib as the Vulkan ICD"
  else
    echo "no NVIDIA Vulkan ICD found (libGLX_nvidia.so.0): Dawn will find no Vulkan adapter"
  fi
fi
ldconfig -p 2>/dev/null | grep -q libvulkan.so.1 || export LD_LIBRARY_PATH="$PWD/$carry/lib:${LD_LIBRARY_PATH:-}"

echo "== wgsl (Dawn, Vulkan)"
export EQV_WEBGPU_BACKEND="${EQV_WEBGPU_BACKEND:-vulkan}"
"$carry/node" "$carry/wgsl-bench.mjs" --json --styles default --runs 10 > "$res/wgsl.json" 2> "$res/wgsl.log"; echo "exit $?"
"$carry/node" "$carry/wgsl-bench.mjs" --json --styles default --runs 10 --only W1L --size-w1l 50000 > "$res/wgsl-w1l-50k.json" 2>> "$res/wgsl.log"; echo "exit $?"
grep -v 'artificially' "$res/wgsl.log" | tail -5

echo "== torch target (generated modules, CUDA, float32)"
"$carry/node" "$carry/wgsl-bench.mjs" --torch --device cuda --json > "$res/torch.json" 2> "$res/torch.log"; echo "exit $?"
tail -3 "$res/torch.log"

echo "== e3nn (PyTorch, CUDA)"
python3 bench/gpu/e3nn_bench.py > "$res/e3nn.json"; echo "exit $?"

echo "== ratios (items per second over e3nn's)"
python3 - "$res" <<'PY'
import json, sys, os
res = sys.argv[1]
def load(name):
    p = os.path.join(res, name)
    return json.load(open(p)) if os.path.exists(p) and os.path.getsize(p) > 0 else []
def key(r):
    head, tail = r['workload'].split(' (', 1)
    return head.replace(' forward+backward', ' fwd+bwd').replace(' forward', '') + ' ' + tail.split(' ')[0]
wgsl = {key(r): r for r in load('wgsl.json') + load('wgsl-w1l-50k.json')}
torch_rows = {key(r): r for r in load('torch.json')}
e3nn = load('e3nn.json')
def cell(rows, k, ref):
    r = rows.get(k)
    return (f"{r['items_per_s']:>14.4g}{r['items_per_s'] / ref:>7.2f}x") if r else f"{'-':>14}{'-':>8}"
print(f"{'workload':<16}{'e3nn items/s':>14}{'wgsl':>14}{'ratio':>8}{'torch':>14}{'ratio':>8}  e3nn variant")
for r in e3nn:
    k = key(r)
    print(f"{k:<16}{r['items_per_s']:>14.4g}{cell(wgsl, k, r['items_per_s'])}{cell(torch_rows, k, r['items_per_s'])}  {r['note']}")
for k, r in torch_rows.items():
    if 'fwd+bwd' in k: print(f"{k:<16}{'-':>14}{'-':>14}{'-':>8}{r['items_per_s']:>14.4g}{'-':>8}  torch target, forward+backward")
PY
