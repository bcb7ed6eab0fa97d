"""e3nn 0.5.6 on the CPU with 2 threads, doing the work of each row of bench/workloads/wasm.ts,
so that the wasm suite can report ratios measured in the same run on the same machine. Prints
JSON on stdout: {"W1": {"forward": s, "forward_backward": s, "items": n, "note": ...}, ...}.

Usage: python3 bench/e3nn/cpu.py W1,W1L,W2,W3,W4   (needs torch and e3nn importable)

The work per row, matching bench/models/w*.eqv and the wasm rows:
- W1 / W1L: complete graphs of 32 nodes (20 graphs: 19,840 edges; 5 graphs: 4,960), the whole
  convolution: edge vectors, spherical harmonics (lmax 2 / 3, normalized, component), a Bessel
  basis of the lengths (8, cutoff 1.5), the radial MLP 8 -> 16 -> weight_numel (silu), gather
  at sources, the uvu tensor product with per-edge weights, index_add at receivers. The edge
  index is given (eqv's row also finds the neighbours: its radius graph is part of the model).
  Forward+backward: out.sum() backward w.r.t. the node features x, the harmonics and the
  per-edge weights (the three gradients eqv's tensor-product VJP kernel computes); the
  harmonics and the MLP are computed in the forward but not differentiated (eqv: the sweep
  from x does not reach them).
- W2: FullyConnectedTensorProduct of 16x(0e+1o+2e) with itself, 2,000 rows (fctp(x, x)).
- W3: spherical harmonics lmax 3 of 200,000 vectors (normalized, component). No backward row.
- W4: o3.Linear 128x0e+64x1o+32x2e -> itself, 20,000 rows.
  W2 / W4 forward+backward: out.sum() backward w.r.t. the input only, weights frozen (eqv has
  no kernel for shared weights' gradients, so neither side computes them).
Median of 7 timed runs after 2 warm-ups.
"""
import json
import sys

import torch
from e3nn import o3
from e3nn.math import soft_one_hot_linspace
from e3nn.nn import FullyConnectedNet

from common import timed as common_timed, uvu_tp  # bench/e3nn/common.py (this script's folder is on sys.path)

torch.set_num_threads(2)
torch.manual_seed(0)


def timed(fn, runs=7):
    return common_timed(fn, runs, warmups=2)


def conv(irreps, lmax, graphs):
    k = 32
    nodes = graphs * k
    idx = torch.arange(k)
    src = idx.repeat_interleave(k).view(k, k)
    dst = idx.repeat(k).view(k, k)
    mask = src != dst
    s0, d0 = src.t()[mask.t()], dst.t()[mask.t()]
    offs = (torch.arange(graphs) * k).repeat_interleave(s0.numel())
    edge_src = s0.repeat(graphs) + offs
    edge_dst = d0.repeat(graphs) + offs
    edges = edge_src.numel()
    tp, irreps_in, _ = uvu_tp(irreps, lmax)
    mlp = FullyConnectedNet([8, 16, tp.weight_numel], torch.nn.functional.silu)
    for p in mlp.parameters():
        p.requires_grad_(False)
    pos = (torch.rand(nodes, 3) - 0.5) * 0.9
    x = torch.randn(nodes, irreps_in.dim)
    ls = list(range(lmax + 1))

    def edge_inputs():
        v = pos[edge_src] - pos[edge_dst]
        y = o3.spherical_harmonics(ls, v, True, normalization='component')
        rad = soft_one_hot_linspace(v.norm(dim=1), 0.0, 1.5, 8, basis='bessel', cutoff=True)
        return y, mlp(rad)

    def forward():
        with torch.no_grad():
            y, w = edge_inputs()
            m = tp(x[edge_src], y, w)
            return torch.zeros(nodes, irreps_in.dim).index_add_(0, edge_dst, m)

    def forward_backward():
        with torch.no_grad():
            y, w = edge_inputs()
        y.requires_grad_(True)
        w.requires_grad_(True)
        xg = x.detach().requires_grad_(True)
        m = tp(xg[edge_src], y, w)
        out = torch.zeros(nodes, irreps_in.dim).index_add(0, edge_dst, m)
        out.sum().backward()

    return edges, forward, forward_backward


def rows_workload(module, x):
    for p in module.parameters():
        p.requires_grad_(False)

    def forward():
        with torch.no_grad():
            return module(x, x) if isinstance(module, o3.FullyConnectedTensorProduct) else module(x)

    def forward_backward():
        xg = x.detach().requires_grad_(True)
        out = module(xg, xg) if isinstance(module, o3.FullyConnectedTensorProduct) else module(xg)
        out.sum().backward()

    return forward, forward_backward


def main():
    wanted = (sys.argv[1] if len(sys.argv) > 1 else 'W1,W1L,W2,W3,W4').split(',')
    out = {}
    if 'W1' in wanted:
        edges, f, fb = conv('32x0e + 32x1o + 32x2e', 2, 20)
        out['W1'] = {'items': edges, 'forward': timed(f), 'forward_backward': timed(fb)}
    if 'W1L' in wanted:
        edges, f, fb = conv('128x0e + 128x1o + 128x2e', 3, 5)
        out['W1L'] = {'items': edges, 'forward': timed(f), 'forward_backward': timed(fb)}
    if 'W2' in wanted:
        irr = o3.Irreps('16x0e + 16x1o + 16x2e')
        f, fb = rows_workload(o3.FullyConnectedTensorProduct(irr, irr, irr), torch.randn(2000, irr.dim))
        out['W2'] = {'items': 2000, 'forward': timed(f), 'forward_backward': timed(fb)}
    if 'W3' in wanted:
        v = torch.randn(200_000, 3)
        out['W3'] = {'items': 200_000, 'forward': timed(lambda: o3.spherical_harmonics([0, 1, 2, 3], v, True, normalization='component'))}
    if 'W4' in wanted:
        irr4 = o3.Irreps('128x0e + 64x1o + 32x2e')
        f, fb = rows_workload(o3.Linear(irr4, irr4), torch.randn(20_000, irr4.dim))
        out['W4'] = {'items': 20_000, 'forward': timed(f), 'forward_backward': timed(fb)}
    out['_backend'] = f'e3nn 0.5.6, torch {torch.__version__} CPU, {torch.get_num_threads()} threads'
    json.dump(out, sys.stdout)
    print()


main()
