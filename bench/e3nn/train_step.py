"""e3nn's training step for the workloads of bench/workloads/training.ts, on the CPU with 2 threads,
as JSON on stdout: [{workload, target, backend, seconds, items_per_s, note}].

The same work as eqv's rows: the same sizes, forward, mean-squared loss against fixed random
targets, backward, one Adam step (torch.optim.Adam, lr 0.01).

- W1 (bench/models/w1.eqv): 20 complete graphs of 32 nodes (19840 edges, sorted by receiver),
  spherical harmonics (lmax 2) of the edge vectors, a Bessel basis of the lengths, the radial
  MLP (8 -> 16 -> numel, silu), the uvu tensor product 32x(0e + 1o + 2e) x sh with per-edge
  weights, index_add at receivers; the MLP's weights are the parameters.
- NequIP (examples/nequip.eqv): 16 molecules of 24 atoms inside a ball where every pair is a
  neighbour (cutoff 5), species one-hot (4); species embedding, three interaction blocks (linear,
  radial MLP 8 -> 64 -> 64 -> numel, uvu convolution with each path its own output block, / sqrt(12),
  linear, gate), a readout 16x0e -> silu -> 1x0e with bias, summed per molecule. The edges are
  computed once (e3nn models take a neighbour list); eqv's forward builds its radius graph.

Run: PYTHONPATH=/work/e3nn-local /usr/bin/python3 bench/e3nn/train_step.py [W1,NequIP]
"""
import json
import math
import sys

import torch
from e3nn import o3
from e3nn.math import soft_one_hot_linspace
from e3nn.nn import FullyConnectedNet, Gate

from common import timed as common_timed, uvu_instructions  # bench/e3nn/common.py (this script's folder is on sys.path)

torch.set_num_threads(2)
torch.manual_seed(0)
backend = f"cpu {torch.get_num_threads()} threads, torch {torch.__version__}"


def timed(fn, runs=3):
    return common_timed(fn, runs, warmups=1)


def complete_graphs(graphs, k, radius):
    """graphs * k nodes in balls of `radius`; every ordered pair (src != dst) an edge, sorted by (dst, src)."""
    pos = []
    for _ in range(graphs * k):
        while True:
            v = torch.rand(3) * 2 - 1
            if v.norm() <= 1:
                break
        pos.append(v * radius)
    pos = torch.stack(pos)
    src, dst = [], []
    for g in range(graphs):
        for d in range(k):
            for s in range(k):
                if s != d:
                    src.append(g * k + s)
                    dst.append(g * k + d)
    return pos, torch.tensor(src), torch.tensor(dst)


results = []


def record(workload, seconds, items, note):
    results.append({'workload': workload, 'target': 'e3nn', 'backend': backend, 'seconds': seconds, 'items_per_s': items / seconds, 'note': note})


def w1():
    graphs, k, lmax = 20, 32, 2
    irreps = o3.Irreps('32x0e + 32x1o + 32x2e')
    irreps_sh = o3.Irreps.spherical_harmonics(lmax)
    pos, src, dst = complete_graphs(graphs, k, 0.45)
    nodes, edges = graphs * k, src.numel()
    tp = o3.TensorProduct(irreps, irreps_sh, irreps, uvu_instructions(irreps, irreps_sh, irreps), shared_weights=False, internal_weights=False)
    mlp = FullyConnectedNet([8, 16, tp.weight_numel], torch.nn.functional.silu)
    x = torch.randn(nodes, irreps.dim)
    target = torch.randn(nodes, irreps.dim)
    opt = torch.optim.Adam(mlp.parameters(), lr=0.01)

    def step():
        v = pos[src] - pos[dst]
        y = o3.spherical_harmonics(list(range(lmax + 1)), v, True, normalization='component')
        rad = soft_one_hot_linspace(v.norm(dim=1), 0.0, 1.5, 8, basis='bessel', cutoff=True)
        m = tp(x[src], y, mlp(rad))
        out = torch.zeros(nodes, irreps.dim).index_add_(0, dst, m)
        loss = ((out - target) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()

    record(f'W1 train step ({edges} edges)', timed(step), edges, 'forward, mse, backward, Adam (radial MLP weights)')


class Interaction(torch.nn.Module):
    def __init__(self, irreps_in, irreps_sh, scalars, gates, gated, avg_neighbors):
        super().__init__()
        irreps_in = o3.Irreps(irreps_in)
        self.linear_in = o3.Linear(irreps_in, irreps_in)
        # Each (i1, i2, ir_out) its own output block, as NequIP's convolution (and eqv's conv).
        mid, ins = [], []
        for i1, (mul, ir1) in enumerate(irreps_in):
            for i2, (_, ir2) in enumerate(irreps_sh):
                for ir_out in ir1 * ir2:
                    ins.append((i1, i2, len(mid), 'uvu', True))
                    mid.append((mul, ir_out))
        self.tp = o3.TensorProduct(irreps_in, irreps_sh, o3.Irreps(mid), ins, shared_weights=False, internal_weights=False)
        self.mlp = FullyConnectedNet([8, 64, 64, self.tp.weight_numel], torch.nn.functional.silu)
        self.norm = 1 / math.sqrt(avg_neighbors)
        scalars, gates, gated = o3.Irreps(scalars), o3.Irreps(gates), o3.Irreps(gated)
        self.gate = Gate(scalars, [torch.nn.functional.silu], gates, [torch.sigmoid], gated)
        self.linear_out = o3.Linear(o3.Irreps(mid), self.gate.irreps_in)
        self.irreps_out = self.gate.irreps_out

    def forward(self, h, sh, rad, src, dst):
        h = self.linear_in(h)
        m = self.tp(h[src], sh, self.mlp(rad))
        agg = torch.zeros(h.shape[0], m.shape[1]).index_add_(0, dst, m) * self.norm
        return self.gate(self.linear_out(agg))


class NequIP(torch.nn.Module):
    def __init__(self):
        super().__init__()
        irreps_sh = o3.Irreps.spherical_harmonics(2)
        self.embed = o3.Linear('4x0e', '32x0e')
        self.blocks = torch.nn.ModuleList()
        irreps = o3.Irreps('32x0e')
        for gates, gated in [('16x0e', '8x1o + 8x2e'), ('32x0e', '8x1o + 8x1e + 8x2o + 8x2e'), ('32x0e', '8x1o + 8x1e + 8x2o + 8x2e')]:
            b = Interaction(irreps, irreps_sh, '32x0e', gates, gated, 12)
            self.blocks.append(b)
            irreps = b.irreps_out
        self.head1 = o3.Linear(irreps, '16x0e')
        self.head2 = o3.Linear('16x0e', '1x0e', biases=True)

    def forward(self, pos, species, src, dst, batch, graphs):
        v = pos[src] - pos[dst]
        sh = o3.spherical_harmonics([0, 1, 2], v, True, normalization='component')
        rad = soft_one_hot_linspace(v.norm(dim=1), 0.0, 5.0, 8, basis='bessel', cutoff=True)
        h = self.embed(species)
        for b in self.blocks:
            h = b(h, sh, rad, src, dst)
        e = self.head2(torch.nn.functional.silu(self.head1(h)))
        return torch.zeros(graphs, 1).index_add_(0, batch, e)


def nequip():
    graphs, k = 16, 24
    pos, src, dst = complete_graphs(graphs, k, 1.2)
    species = torch.nn.functional.one_hot(torch.randint(0, 4, (graphs * k,)), 4).float()
    batch = torch.arange(graphs).repeat_interleave(k)
    target = torch.randn(graphs, 1)
    model = NequIP()
    opt = torch.optim.Adam(model.parameters(), lr=0.01)

    def step():
        loss = ((model(pos, species, src, dst, batch, graphs) - target) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()

    record(f'NequIP train step ({graphs} molecules, {graphs * k} atoms, {src.numel()} edges)', timed(step), graphs, 'forward, mse on energies, backward, Adam (all weights)')


only = sys.argv[1].split(',') if len(sys.argv) > 1 else ['W1', 'NequIP']
if 'W1' in only:
    w1()
if 'NequIP' in only:
    nequip()
json.dump(results, sys.stdout, indent=2)
print()
