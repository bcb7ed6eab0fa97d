"""What the e3nn benchmark scripts share (bench/e3nn/cpu.py, bench/e3nn/train_step.py,
bench/gpu/e3nn_bench.py): the median timer and the uvu convolution's instructions, so that every
script times and builds the same thing."""
import time

from e3nn import o3


def timed(fn, runs, warmups=2, sync=None):
    """Median wall time of `runs` calls of fn after `warmups` calls; `sync` (e.g.
    torch.cuda.synchronize) runs after every call so that a GPU's queued work is counted."""
    for _ in range(warmups):
        fn()
    if sync:
        sync()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        if sync:
            sync()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[len(times) // 2]


def uvu_instructions(irreps_in, irreps_sh, irreps_out):
    """Every path of a convolution's tensor product in 'uvu' mode with per-edge weights, as
    NequIP's and bench/models/w1*.eqv's `conv` build it."""
    ins = []
    for i1, (_, ir1) in enumerate(irreps_in):
        for i2, (_, ir2) in enumerate(irreps_sh):
            for k, (_, ir_out) in enumerate(irreps_out):
                if ir_out in ir1 * ir2:
                    ins.append((i1, i2, k, 'uvu', True))
    return ins


def uvu_tp(irreps, lmax):
    """The convolution's tensor product irreps x sh(lmax) -> irreps, weights given per edge."""
    irreps_in = o3.Irreps(irreps)
    irreps_sh = o3.Irreps.spherical_harmonics(lmax)
    tp = o3.TensorProduct(irreps_in, irreps_sh, irreps_in, uvu_instructions(irreps_in, irreps_sh, irreps_in), shared_weights=False, internal_weights=False)
    return tp, irreps_in, irreps_sh
