"""The workloads of bench/workloads/wgsl.ts in e3nn on the GPU machine's CUDA device (or CPU
without one), as JSON on stdout: [{workload, target, backend, seconds, items_per_s, note}].

Sizes follow the WGSL suite exactly: the conv workloads use complete graphs of 32 nodes, so
W1 has 20 * 32 * 31 = 19840 edges, W1L 5 * 992 = 4960 and 50 * 992 = 49600. For W1 and W1L two
e3nn variants are timed: the tensor product alone on per-edge inputs already gathered (`tp`), and
the whole convolution like bench/models/w1*.eqv computes it (`conv`: spherical harmonics of the
edge vectors, a radial MLP for the per-edge weights, gathers at sources, the tensor product,
index_add at receivers).
"""
import json
import os
import sys

import torch
from e3nn import o3
from e3nn.math import soft_one_hot_linspace
from e3nn.nn import FullyConnectedNet

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'e3nn'))
from common import timed as common_timed, uvu_tp as common_uvu_tp  # noqa: E402 (bench/e3nn/common.py)

dev = torch.device('cuda' if torch.cuda.is_available() else 'cpu')
backend = f"cuda {torch.cuda.get_device_name(0)}" if dev.type == 'cuda' else f"cpu {torch.get_num_threads()} threads"
torch.manual_seed(0)


def timed(fn, runs=20):
    return common_timed(fn, runs, warmups=3, sync=torch.cuda.synchronize if dev.type == 'cuda' else None)


def uvu_tp(irreps, lmax):
    tp, irreps_in, irreps_sh = common_uvu_tp(irreps, lmax)
    return tp.to(dev), irreps_in, irreps_sh


results = []


def record(workload, seconds, items, note):
    results.append({'workload': workload, 'target': 'e3nn', 'backend': backend, 'seconds': seconds, 'items_per_s': items / seconds, 'note': note})


def conv_workload(name, irreps, lmax, graphs):
    k = 32
    nodes = graphs * k
    idx = torch.arange(k)
    src = (idx.repeat_interleave(k)).view(k, k)
    dst = idx.repeat(k).view(k, k)
    mask = src != dst
    # edges sorted by (dst, src) like radius_graph
    s0, d0 = src.t()[mask.t()], dst.t()[mask.t()]
    offs = (torch.arange(graphs) * k).repeat_interleave(s0.numel())
    edge_src = (s0.repeat(graphs) + offs).to(dev)
    edge_dst = (d0.repeat(graphs) + offs).to(dev)
    edges = edge_src.numel()
    tp, irreps_in, irreps_sh = uvu_tp(irreps, lmax)
    pos = (torch.rand(nodes, 3, device=dev) - 0.5) * 0.9
    x = torch.randn(nodes, irreps_in.dim, device=dev)
    vec = pos[edge_src] - pos[edge_dst]
    sh = o3.spherical_harmonics(list(range(lmax + 1)), vec, True, normalization='component')
    xe, we = x[edge_src], torch.randn(edges, tp.weight_numel, device=dev)
    with torch.no_grad():
        t = timed(lambda: tp(xe, sh, we))
        record(f'{name}-kernel ({edges} edges)', t, edges, 'tp alone on gathered per-edge inputs (vs the fused conv kernel)')

        # bench/models/w1*.eqv: weights from an MLP (8 -> 16 -> numel, silu) of a Bessel basis of the lengths.
        mlp = FullyConnectedNet([8, 16, tp.weight_numel], torch.nn.functional.silu).to(dev)

        def conv():
            v = pos[edge_src] - pos[edge_dst]
            y = o3.spherical_harmonics(list(range(lmax + 1)), v, True, normalization='component')
            rad = soft_one_hot_linspace(v.norm(dim=1), 0.0, 1.5, 8, basis='bessel', cutoff=True)
            m = tp(x[edge_src], y, mlp(rad))
            return torch.zeros(nodes, irreps_in.dim, device=dev).index_add_(0, edge_dst, m)

        t = timed(conv)
        record(f'{name} ({edges} edges)', t, edges, 'conv: sh, radial MLP, gather, tp, index_add (vs the whole wgsl forward)')


conv_workload('W1', '32x0e + 32x1o + 32x2e', 2, 20)
conv_workload('W1L', '128x0e + 128x1o + 128x2e', 3, 5)
conv_workload('W1L', '128x0e + 128x1o + 128x2e', 3, 50)

with torch.no_grad():
    irr = o3.Irreps('16x0e + 16x1o + 16x2e')
    fctp = o3.FullyConnectedTensorProduct(irr, irr, irr).to(dev)
    a, b = torch.randn(2000, irr.dim, device=dev), torch.randn(2000, irr.dim, device=dev)
    record('W2 (2000 rows)', timed(lambda: fctp(a, b)), 2000, 'FullyConnectedTensorProduct')

    v = torch.randn(200_000, 3, device=dev)
    record('W3 (200000 vectors)', timed(lambda: o3.spherical_harmonics([0, 1, 2, 3], v, True, normalization='component')), 200_000, 'spherical_harmonics lmax 3')

    irr4 = o3.Irreps('128x0e + 64x1o + 32x2e')
    lin = o3.Linear(irr4, irr4).to(dev)
    x4 = torch.randn(20_000, irr4.dim, device=dev)
    record('W4 (20000 rows)', timed(lambda: lin(x4)), 20_000, 'o3.Linear')

json.dump(results, sys.stdout, indent=2)
print()
