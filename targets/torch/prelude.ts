// The helper functions every generated PyTorch module starts with: activations, batch index
// arithmetic (graphs, pairs, radius graphs), pooling and scattering with index_add_ and
// scatter_reduce, spherical/circular harmonics, radial bases and the flow convolutions. Plain
// PyTorch (>= 1.13) and TorchScript-compatible: every function is type-annotated and uses only
// what torch.jit.script compiles. Each mirrors a float64 oracle in targets/ref/ops/ or stdlib/.

export const PYTHON_PRELUDE = String.raw`import math
from typing import Dict, List, Optional, Tuple

import torch
from torch import Tensor


def _activation(x: Tensor, name: str, scale: float) -> Tensor:
    """act(x) * scale, the activations of docs/ir.md (scale: e3nn's normalize2mom constant)."""
    if name == "silu":
        y = torch.nn.functional.silu(x)
    elif name == "tanh":
        y = torch.tanh(x)
    elif name == "relu":
        y = torch.relu(x)
    elif name == "sigmoid":
        y = torch.sigmoid(x)
    elif name == "abs":
        y = torch.abs(x)
    elif name == "gelu":
        y = torch.nn.functional.gelu(x)
    elif name == "ssp":
        # shifted softplus, log(0.5 e^x + 0.5)
        y = torch.nn.functional.softplus(x) - math.log(2.0)
    elif name == "identity":
        y = x
    else:
        raise RuntimeError("unknown activation " + name)
    if scale != 1.0:
        y = y * scale
    return y


def _node_graph(graph_ptr: Tensor) -> Tensor:
    """The graph of every node of the batch."""
    sizes = graph_ptr[1:] - graph_ptr[:-1]
    return torch.repeat_interleave(torch.arange(sizes.numel(), device=graph_ptr.device), sizes)


def _pairs(graph_ptr: Tensor) -> Tuple[Tensor, Tensor, Tensor, Tensor, Tensor]:
    """Ordered pairs (i, j) of nodes of each graph, row i * n + j within a graph (targets/io/pairs.ts).

    Returns per pair row: its graph, the global node i, the global node j, the row of (j, i);
    and per node: the row of its diagonal pair (i, i)."""
    sizes = graph_ptr[1:] - graph_ptr[:-1]
    counts = sizes * sizes
    num_graphs = sizes.numel()
    pair_ptr = torch.zeros(num_graphs + 1, dtype=torch.long, device=graph_ptr.device)
    pair_ptr[1:] = torch.cumsum(counts, 0)
    pair_graph = torch.repeat_interleave(torch.arange(num_graphs, device=graph_ptr.device), counts)
    local = torch.arange(pair_graph.numel(), device=graph_ptr.device) - pair_ptr[pair_graph]
    n = sizes[pair_graph]
    li = torch.div(local, n, rounding_mode="floor")
    lj = local - li * n
    first = graph_ptr[pair_graph]
    transpose = pair_ptr[pair_graph] + lj * n + li
    node_graph = _node_graph(graph_ptr)
    node_local = torch.arange(node_graph.numel(), device=graph_ptr.device) - graph_ptr[node_graph]
    diagonal = pair_ptr[node_graph] + node_local * (sizes[node_graph] + 1)
    return pair_graph, first + li, first + lj, transpose, diagonal


def _radius_graph(pos: Tensor, graph_ptr: Tensor, r: float) -> Tuple[Tensor, Tensor]:
    """Edges (src, dst) between distinct nodes of the same graph with |pos_src - pos_dst|^2 < r^2
    (strict, as torch_cluster), sorted by (dst, src). Distances in float64 whatever the dtype."""
    _, row, col, _, _ = _pairs(graph_ptr)
    p = pos.detach().to(torch.float64)
    d = p[col] - p[row]
    d2 = torch.zeros_like(d[:, 0])
    for c in range(d.shape[1]):
        d2 = d2 + d[:, c] * d[:, c]
    keep = (row != col) & (d2 < r * r)
    return col[keep], row[keep]


def _sqrt0(s: Tensor) -> Tensor:
    """sqrt of sums of squares with the gradient 0 at 0 (as the reference's norm), not inf * 0 = nan:
    a node that receives no message (every edge beyond the cutoff) has a zero norm."""
    positive = s > 0
    return torch.where(positive, torch.sqrt(torch.where(positive, s, torch.ones_like(s))), torch.zeros_like(s))


def _periodic_radius_graph(pos: Tensor, cell: Tensor, graph_ptr: Tensor, r: float) -> Tuple[Tensor, Tensor, Tensor]:
    """Edges (src, dst, shift) of every graph with a periodic cell (rows of cell[g] are the lattice
    vectors): every image pos[src] + shift . cell within r of pos[dst] (strict), except a node's own
    zero-shift image, sorted by (dst, src, shift) as targets/io/neighbours.ts. Per graph, the integer
    shifts that can reach are bounded through the cell's faces: along lattice vector k an edge
    within r spans at most r * |reciprocal vector k| in fractional coordinates, so with the
    positions' fractional spread the box of shifts is exact; then a masked search over all pairs
    and those images (n^2 * images rows per graph: fine for the graph sizes torch batches).
    Distances in float64 whatever the dtype, with the edge vector's own arithmetic."""
    dim = pos.shape[1]
    p = pos.detach().to(torch.float64)
    lattice = cell.detach().to(torch.float64).reshape(-1, dim, dim)
    srcs: List[Tensor] = []
    dsts: List[Tensor] = []
    shift_rows: List[Tensor] = []
    for g in range(graph_ptr.numel() - 1):
        a = int(graph_ptr[g])
        b = int(graph_ptr[g + 1])
        n = b - a
        if n == 0:
            continue
        L = lattice[g]
        inv = torch.linalg.inv(L)
        if not bool(torch.isfinite(inv).all()):
            raise ValueError("graph " + str(g) + ": the cell is singular (its lattice vectors are not independent)")
        x = p[a:b]
        frac = x @ inv
        spread = frac.max(0)[0] - frac.min(0)[0]
        reach = r * torch.sqrt((inv * inv).sum(0))
        bound = torch.ceil(spread + reach).to(torch.long)
        axes: List[Tensor] = []
        for k in range(dim):
            m = int(bound[k])
            axes.append(torch.arange(-m, m + 1, device=pos.device))
        # Lexicographic order of the shifts (first component slowest), as the sort key.
        grids = torch.meshgrid(axes, indexing="ij")
        S = torch.stack([t.reshape(-1) for t in grids], 1)
        K = S.shape[0]
        d_loc = torch.arange(n, device=pos.device).reshape(n, 1, 1).expand(n, n, K).reshape(-1)
        s_loc = torch.arange(n, device=pos.device).reshape(1, n, 1).expand(n, n, K).reshape(-1)
        k_idx = torch.arange(K, device=pos.device).reshape(1, 1, K).expand(n, n, K).reshape(-1)
        v = x[s_loc] - x[d_loc]
        for k in range(dim):
            v = v + S[k_idx, k].to(torch.float64).unsqueeze(1) * L[k].unsqueeze(0)
        d2 = torch.zeros_like(v[:, 0])
        for c in range(dim):
            d2 = d2 + v[:, c] * v[:, c]
        zero = (S == 0).all(1)
        keep = (d2 < r * r) & ~((s_loc == d_loc) & zero[k_idx])
        srcs.append(s_loc[keep] + a)
        dsts.append(d_loc[keep] + a)
        shift_rows.append(S[k_idx[keep]])
    if len(srcs) == 0:
        empty = torch.zeros(0, dtype=torch.long, device=pos.device)
        return empty, empty, torch.zeros((0, dim), dtype=torch.long, device=pos.device)
    return torch.cat(srcs), torch.cat(dsts), torch.cat(shift_rows)


def _periodic_edge_vectors(pos: Tensor, src: Tensor, dst: Tensor, shift: Tensor, cell: Tensor, graph_ptr: Tensor) -> Tensor:
    """pos[src] + shift . cell[graph of dst] - pos[dst] (differentiable in pos and cell)."""
    dim = pos.shape[1]
    lattice = cell.reshape(-1, dim, dim)[_node_graph(graph_ptr)[dst]]
    v = pos[src] - pos[dst]
    for k in range(dim):
        v = v + shift[:, k].to(pos.dtype).unsqueeze(1) * lattice[:, k, :]
    return v


def _positions_gradient(e: Tensor, pos: Tensor, create_graph: bool) -> Tensor:
    """d(sum of e)/d(pos) by autograd (eqv's grad op): one row per node. The graph is retained, so
    that other outputs (and other gradients) can still be differentiated; create_graph makes the
    gradient itself differentiable (training on forces). Zero when e does not depend on pos."""
    if not e.requires_grad:
        return torch.zeros_like(pos)
    g = torch.autograd.grad([e.sum()], [pos], create_graph=create_graph, retain_graph=True, allow_unused=True)[0]
    if g is None:
        return torch.zeros_like(pos)
    return g


def _strain_stress(e: Tensor, strain: Tensor, cell: Tensor, basis: Tensor, create_graph: bool) -> Tensor:
    """eqv's stress op: sigma = (1/V) d(sum of e)/d(strain) at strain 0 (ASE's sign), per graph, as the
    components <B_k, sigma> on the orthonormal symmetric basis B (rows of basis, 1x0e + 1x2e; the
    antisymmetric part of the derivative drops out). V = |det cell|, the cell as given. The graph
    is retained (other outputs and gradients still see it); create_graph makes the stress itself
    differentiable. Zero when e does not depend on the strain."""
    volume = torch.abs(torch.linalg.det(cell.reshape(-1, 3, 3).to(strain.dtype)))
    if not bool((volume > 0).all()):
        bad = int(torch.nonzero(torch.logical_not(volume > 0))[0, 0])
        raise ValueError("stress: graph " + str(bad) + "'s cell has zero volume: its lattice vectors are linearly dependent")
    g: Optional[Tensor] = None
    if e.requires_grad:
        g = torch.autograd.grad([e.sum()], [strain], create_graph=create_graph, retain_graph=True, allow_unused=True)[0]
    if g is None:
        return torch.zeros((strain.shape[0], 6), dtype=e.dtype, device=e.device)
    return (g.reshape(-1, 9) @ basis.to(g.dtype).t()) / volume.unsqueeze(1)


def _segment_reduce(x: Tensor, index: Tensor, count: int, reduce: str) -> Tensor:
    """Rows of x summed (mean, max) into count rows by index; rows that receive nothing are 0."""
    out = torch.zeros((count, x.shape[1]), dtype=x.dtype, device=x.device)
    if reduce == "max":
        return out.scatter_reduce(0, index.unsqueeze(1).expand(-1, x.shape[1]), x, reduce="amax", include_self=False)
    out = out.index_add(0, index, x)
    if reduce == "mean":
        ones = torch.ones((index.numel(),), dtype=x.dtype, device=x.device)
        n = torch.zeros((count,), dtype=x.dtype, device=x.device).index_add(0, index, ones)
        out = out / n.clamp(min=1.0).unsqueeze(1)
    return out


def _attention(logits: Tensor, values: Tensor, dst: Tensor, count: int, head: Tensor) -> Tensor:
    """Per receiver and head, a softmax of the logits of its incoming edges (the receiver's
    maximum subtracted; the shift cancels, so it carries no gradient), then the sum of the
    edges' values weighted by the softmax of each component's head. Receivers without edges: 0."""
    heads = logits.shape[1]
    mx = torch.full((count, heads), float("-inf"), dtype=logits.dtype, device=logits.device)
    mx = mx.scatter_reduce(0, dst.unsqueeze(1).expand(-1, heads), logits.detach(), reduce="amax", include_self=True)
    w = torch.exp(logits - mx.index_select(0, dst))
    den = torch.zeros((count, heads), dtype=logits.dtype, device=logits.device).index_add(0, dst, w)
    alpha = w / den.index_select(0, dst)
    out = torch.zeros((count, values.shape[1]), dtype=values.dtype, device=values.device)
    return out.index_add(0, dst, alpha.index_select(1, head) * values)


def _spherical_harmonics(v: Tensor, ls: List[int], normalize: bool, normalization: str) -> Tensor:
    """e3nn's spherical_harmonics(ls, v, normalize, normalization): components m = -l..l of each l,
    by the sectoral terms (X + iY)^m and the three-term recurrence in l on solid harmonics."""
    x = v[:, 0]
    y = v[:, 1]
    z = v[:, 2]
    if normalize:
        inv = 1.0 / torch.clamp(_sqrt0(x * x + y * y + z * z), min=1e-12)
        x = x * inv
        y = y * inv
        z = z * inv
    r2 = x * x + y * y + z * z
    # Textbook axes: X = z, Y = x, polar Z = y (e3nn's convention).
    X = z
    Y = x
    Z = y
    lmax = 0
    for l in ls:
        lmax = max(lmax, l)
    width = 2 * lmax + 1
    comp: Dict[int, Tensor] = {}
    ones = torch.ones_like(x)
    cm = ones
    sm = torch.zeros_like(x)
    amm = 1.0
    for m in range(lmax + 1):
        if m > 0:
            c = X * cm - Y * sm
            sm = X * sm + Y * cm
            cm = c
            amm = amm * math.sqrt((2.0 * m + 1.0) / (2.0 * m))
        prev2 = torch.zeros_like(x)
        prev1 = ones * amm
        for l in range(m, lmax + 1):
            if l > m:
                d = float((l - m) * (l + m))
                a = math.sqrt((2.0 * l - 1.0) * (2.0 * l + 1.0) / d)
                nxt = Z * (prev1 * a)
                if l >= m + 2:
                    b = math.sqrt((2.0 * l + 1.0) * (l - 1.0 - m) * (l - 1.0 + m) / ((2.0 * l - 3.0) * d))
                    nxt = nxt - r2 * (prev2 * b)
                prev2 = prev1
                prev1 = nxt
            if normalization == "norm":
                s0 = 1.0 / math.sqrt(2.0 * l + 1.0)
            elif normalization == "integral":
                s0 = 1.0 / math.sqrt(4.0 * math.pi)
            else:
                s0 = 1.0
            if m == 0:
                comp[l * width + l] = prev1 * s0
            else:
                f = prev1 * (math.sqrt(2.0) * s0)
                comp[l * width + l + m] = f * cm
                comp[l * width + l - m] = f * sm
    rows: List[Tensor] = []
    for l in ls:
        for k in range(2 * l + 1):
            rows.append(comp[l * width + k])
    return torch.stack(rows, 1)


def _circular_harmonics(v: Tensor, ks: List[int], normalize: bool, normalization: str) -> Tensor:
    """Circular harmonics of 2D vectors: per frequency k, 1 (k = 0) or s_k (Re, Im)(x + iy)^k."""
    x = v[:, 0]
    y = v[:, 1]
    if normalize:
        inv = 1.0 / torch.clamp(_sqrt0(x * x + y * y), min=1e-12)
        x = x * inv
        y = y * inv
    kmax = 0
    for k in ks:
        kmax = max(kmax, k)
    re: List[Tensor] = [torch.ones_like(x)]
    im: List[Tensor] = [torch.zeros_like(x)]
    for k in range(1, kmax + 1):
        if k == 1:
            re.append(x)
            im.append(y)
        else:
            re.append(re[k - 1] * x - im[k - 1] * y)
            im.append(re[k - 1] * y + im[k - 1] * x)
    rows: List[Tensor] = []
    for k in ks:
        component = 1.0 if k == 0 else math.sqrt(2.0)
        if normalization == "norm":
            s = 1.0
        elif normalization == "integral":
            s = component / math.sqrt(2.0 * math.pi)
        else:
            s = component
        rows.append(re[k] * s)
        if k > 0:
            rows.append(im[k] * s)
    return torch.stack(rows, 1)


def _soft_unit_step(x: Tensor) -> Tensor:
    safe = torch.where(x > 0, x, torch.ones_like(x))
    return torch.where(x > 0, torch.exp(-1.0 / safe), torch.zeros_like(x))


def _soft_one_hot(x: Tensor, basis: str, number: int, start: float, end: float, cutoff: bool, centers: Tensor, step: float) -> Tensor:
    """e3nn soft_one_hot_linspace(x, start, end, number, basis, cutoff); centers (a float64 buffer:
    TorchScript's torch.tensor(list) would round them through float32) and step precomputed."""
    x = x.reshape(-1, 1)
    zero = torch.zeros((x.shape[0], number), dtype=x.dtype, device=x.device)
    if basis == "gaussian" or basis == "cosine" or basis == "smooth_finite":
        diff = (x - centers.to(x.dtype)) / step
        if basis == "gaussian":
            return torch.exp(-(diff * diff)) / 1.12
        if basis == "cosine":
            return torch.where((diff < 1.0) & (diff > -1.0), torch.cos((math.pi / 2.0) * diff), zero)
        return 8.433573722839355 * _soft_unit_step(diff + 1.0) * _soft_unit_step(1.0 - diff)
    i = torch.arange(number, dtype=x.dtype, device=x.device)
    if basis == "fourier":
        t = (x - start) / (end - start)
        if not cutoff:
            return torch.cos(math.pi * i * t) / math.sqrt(0.25 + number / 2.0)
        inside = (t > 0.0) & (t < 1.0)
        return torch.where(inside, torch.sin(math.pi * (i + 1.0) * t) / math.sqrt(0.25 + number / 2.0), zero)
    if basis == "bessel":
        t = x - start
        c = end - start
        root = (i + 1.0) * math.pi
        # At t = 0 the limit sqrt(2/c) k pi / c instead of e3nn's 0/0 (targets/ref agrees).
        safe = torch.where(t == 0.0, torch.ones_like(t), t)
        v = torch.where(t == 0.0, math.sqrt(2.0 / c) * root / c + zero, math.sqrt(2.0 / c) * torch.sin(root * safe / c) / safe)
        if cutoff:
            v = torch.where((t / c < 1.0) & (t > 0.0), v, zero)
        return v
    raise RuntimeError("unknown radial basis " + basis)


def _frame_average(pos: Tensor, x: Tensor, graph_ptr: Tensor, weights: List[Tensor], frames: int, tol: float, scalars: int, vectors: int, act: str, act_scale: float) -> Tensor:
    """Frame averaging (Puny et al. 2022) of an MLP over PCA-framed coordinates (docs/ir.md,
    frame_average): per graph the covariance eigenvectors by decreasing eigenvalue, with 8 sign
    choices (or the 4 with det = +1); the MLP's scalars averaged, its vectors rotated back by F."""
    n = pos.shape[0]
    dim_out = scalars + 3 * vectors
    out = torch.zeros((n, dim_out), dtype=pos.dtype, device=pos.device)
    num_graphs = graph_ptr.numel() - 1
    for g in range(num_graphs):
        a = int(graph_ptr[g])
        b = int(graph_ptr[g + 1])
        if b == a:
            continue
        p = pos[a:b].to(torch.float64)
        c = p.mean(0)
        d = p - c
        cov = torch.matmul(d.t(), d) / float(b - a)
        values, vecs = torch.linalg.eigh(cov)
        values = torch.flip(values, [0])
        vecs = torch.flip(vecs, [1])
        gap = torch.min(values[0] - values[1], values[1] - values[2])
        # All points at the centroid (a single point): every frame gives the same result.
        single = bool(torch.all(cov == 0.0))
        if single:
            vecs = torch.eye(3, dtype=torch.float64, device=pos.device)
        elif not bool(gap > tol * torch.clamp(values[0], min=0.0)):
            raise RuntimeError("frame_average: graph " + str(g) + " (" + str(b - a) + " points) has no unique PCA frame: the eigenvalues of its covariance are not separated by more than " + str(tol) + " times the largest; frame averaging needs 3 distinct principal axes (at least 3 points, not symmetric about an axis)")
        det = float(torch.linalg.det(vecs))
        signs: List[List[float]] = []
        for s1 in [1.0, -1.0]:
            for s2 in [1.0, -1.0]:
                for s3 in [1.0, -1.0]:
                    if frames == 8 or s1 * s2 * s3 * det > 0.0:
                        signs.append([s1, s2, s3])
        acc = torch.zeros((b - a, dim_out), dtype=pos.dtype, device=pos.device)
        centred = pos[a:b] - c.to(pos.dtype)
        for s in signs:
            frame = (vecs * torch.tensor(s, dtype=torch.float64, device=pos.device)).to(pos.dtype)
            h = torch.cat([torch.matmul(centred, frame), x[a:b]], 1)
            for i in range(len(weights)):
                w = weights[i]
                h = torch.matmul(h, w.reshape(-1, w.shape[-1]) / math.sqrt(float(w.shape[0])))
                if i < len(weights) - 1:
                    h = _activation(h, act, act_scale)
            parts = [h[:, :scalars]]
            if vectors > 0:
                v = h[:, scalars:].reshape(b - a, vectors, 3)
                parts.append(torch.matmul(v, frame.t()).reshape(b - a, 3 * vectors))
            acc = acc + torch.cat(parts, 1)
        out[a:b] = acc / float(len(signs))
    return out


def _radial_spline(x: Tensor, weight: Tensor, number: int, spacing: float) -> Tensor:
    """Facet's radial spline: the cubic B-spline basis of x (knots spacing apart, basis k centred
    at (k - 1) spacing) times weight (number, out). B3 is written around its centre,
    phi(|u - 2|), so both branches stay small (see targets/tfjs/ops/radialSpline.ts)."""
    x = x.reshape(-1, 1)
    k = torch.arange(number, dtype=x.dtype, device=x.device)
    t = torch.abs(x / spacing + 1.0 - k)
    near = 2.0 / 3.0 - t * t + 0.5 * t * t * t
    far = torch.clamp(2.0 - t, min=0.0) ** 3 / 6.0
    basis = torch.where(t < 1.0, near, far)
    return torch.matmul(basis, weight.reshape(number, -1))


def _frame_starts(graph_ptr: Tensor, size: int) -> Tensor:
    """Where each sequence's frames start: each graph of the batch is a sequence of size x size frames."""
    cells = size * size
    if bool(torch.any(graph_ptr % cells != 0)):
        raise RuntimeError("a sequence of " + str(size) + "x" + str(size) + " frames needs a multiple of " + str(cells) + " cell rows per graph")
    return torch.div(graph_ptr, cells, rounding_mode="floor")


def _correlate(x: Tensor, w: Tensor, factor: float) -> Tensor:
    """Circular cross-correlation of frames x (F, S, S, Cin, V) with w (k, k, Cin, Cout):
    out[f, y, x, co, v] = factor sum W[ky, kx, ci, co] x[f, y + ky - r, x + kx - r, ci, v], modulo S."""
    k = w.shape[0]
    r = (k - 1) // 2
    out = torch.zeros((x.shape[0], x.shape[1], x.shape[2], w.shape[3], x.shape[4]), dtype=x.dtype, device=x.device)
    for ky in range(k):
        for kx in range(k):
            shifted = torch.roll(x, shifts=[r - ky, r - kx], dims=[1, 2])
            out = out + torch.einsum("fyxcv,cd->fyxdv", [shifted, w[ky, kx] * factor])
    return out


def _shift_velocities(h: Tensor, velocities: List[List[int]]) -> Tensor:
    """h (S, S, C, V) moved by each velocity: out[y, x, c, v] = h[y - vy, x - vx, c, v]."""
    parts: List[Tensor] = []
    for v in range(len(velocities)):
        parts.append(torch.roll(h[:, :, :, v], shifts=[velocities[v][1], velocities[v][0]], dims=[0, 1]))
    return torch.stack(parts, 3)


def _flow_rnn(x: Tensor, starts: Tensor, size: int, velocities: List[List[int]], in_channels: int, in_lifted: bool, hidden: int,
              w_in: Tensor, w_rec: Tensor, bias: Tensor, in_factor: float, rec_factor: float, act: str, act_scale: float) -> Tensor:
    """The flow-equivariant recurrence over every sequence (docs/ir.md, Flows), h_{-1} = 0."""
    nv = len(velocities)
    cells = size * size
    frames = x.reshape(-1, size, size, in_channels, nv if in_lifted else 1)
    if not in_lifted:
        frames = frames.expand(-1, size, size, in_channels, nv)
    outs: List[Tensor] = []
    bounds: List[int] = starts.tolist()
    for s in range(len(bounds) - 1):
        h = torch.zeros((size, size, hidden, nv), dtype=x.dtype, device=x.device)
        for t in range(bounds[s], bounds[s + 1]):
            pre = _correlate(frames[t].unsqueeze(0), w_in, in_factor)[0]
            pre = pre + _correlate(_shift_velocities(h, velocities).unsqueeze(0), w_rec, rec_factor)[0]
            h = _activation(pre + bias.reshape(1, 1, hidden, 1), act, act_scale)
            outs.append(h.reshape(cells, hidden * nv))
    if len(outs) == 0:
        return torch.zeros((0, hidden * nv), dtype=x.dtype, device=x.device)
    return torch.cat(outs, 0)


def _pool_time(x: Tensor, starts: Tensor, reduce: str) -> Tensor:
    """seq -> graph: the last frame of each sequence, or sum, mean, max over its frames (0 when empty)."""
    lengths = starts[1:] - starts[:-1]
    count = lengths.numel()
    if reduce == "last":
        last = (starts[1:] - 1).clamp(min=0)
        picked = x[last] if x.shape[0] > 0 else torch.zeros((count, x.shape[1]), dtype=x.dtype, device=x.device)
        return torch.where((lengths > 0).unsqueeze(1), picked, torch.zeros_like(picked))
    seq = torch.repeat_interleave(torch.arange(count, device=x.device), lengths)
    return _segment_reduce(x, seq, count, reduce)


def _dense_table(shape: List[int], entries: List[float]) -> Tensor:
    """A coupling table C[i, j, k] from its non-zeros [i, j, k, value, ...] (docs/ir.md)."""
    c = torch.zeros(shape, dtype=torch.float64)
    for q in range(len(entries) // 4):
        c[int(entries[4 * q]), int(entries[4 * q + 1]), int(entries[4 * q + 2])] = entries[4 * q + 3]
    return c


def _register_parameter(root: torch.nn.Module, name: str, shape: List[int], init: str, buffer: bool = False) -> None:
    """Registers eqv's dotted parameter name in nested submodules, so that state_dict() keys are
    exactly the dotted names (h1.m.linear_in.weight); e3nn's initialization. A batch norm's
    running statistics and data statistics are persistent buffers (in state_dict, not in
    parameters()), as e3nn's and MACE's."""
    parts = name.split(".")
    module = root
    for part in parts[:-1]:
        child = module._modules.get(part)
        if child is None:
            child = torch.nn.Module()
            module.add_module(part, child)
        module = child
    if init == "normal":
        data = torch.randn(shape, dtype=torch.float64)
    elif init == "ones":
        data = torch.ones(shape, dtype=torch.float64)
    else:
        data = torch.zeros(shape, dtype=torch.float64)
    if buffer:
        module.register_buffer(parts[-1], data)
    else:
        module.register_parameter(parts[-1], torch.nn.Parameter(data))
`;
