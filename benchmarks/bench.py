"""Benchmark bplib's convolution and pooling against the reference loops and PyTorch.

Usage::

    make bench                       # or: .venv/bin/python benchmarks/bench.py
    python benchmarks/bench.py --repeats 15 --output benchmarks/results.md

For three shapes (the issue's S1, S2, S3) it times, as the median of repeated
runs at 2 threads: the convolution forward and forward+backward (dgrad, wgrad,
bias), max pooling forward and forward+backward, in float32 and float64; the
reference loops on the smallest shape; PyTorch's CPU conv with autograd when
torch is installed (optional: the column is skipped when it is not); and one
epoch of the digits CNN. It reports GFLOP/s against NumPy's matmul at the same
FLOP count (the practical limit of the machine) and bplib's peak memory
(tracemalloc). NumPy and PyTorch run in separate processes so that one's idle
BLAS threads do not slow the other. Results go to ``benchmarks/results.md``.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time

THREADS = os.environ.get("BENCH_THREADS", "2")
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = THREADS

import numpy as np  # noqa: E402  (after the thread settings)

SHAPES = {  # name: (N, C, H, W, K, k, padding)
    "S1": (32, 3, 32, 32, 16, 3, 1),
    "S2": (64, 16, 28, 28, 32, 3, 1),
    "S3": (128, 1, 8, 8, 8, 3, 0),
}
DTYPES = ("float32", "float64")


def median_time(fn, repeats, warmup=2):
    """Median wall time of ``fn()`` in milliseconds over ``repeats`` runs after ``warmup`` runs."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return 1e3 * statistics.median(times)


def conv_flops(shape):
    """Multiply-adds x 2 of one conv forward: ``2 N K Ho Wo C k k``."""
    N, C, H, W, K, k, p = shape
    Ho, Wo = H + 2 * p - k + 1, W + 2 * p - k + 1
    return 2 * N * K * Ho * Wo * C * k * k


def make_inputs(shape, dtype, seed=0):
    N, C, H, W, K, k, p = shape
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((N, C, H, W)).astype(dtype)
    w = (rng.standard_normal((K, C, k, k)) * 0.1).astype(dtype)
    b = rng.standard_normal(K).astype(dtype)
    return x, w, b


# ----------------------------------------------------------------------------- bplib side
def bplib_worker(repeats, shapes):
    import tracemalloc

    import bplib
    from bplib import reference

    out = {}
    for name in shapes:
        shape = SHAPES[name]
        p = shape[6]
        for dtype in DTYPES:
            x, w, b = make_inputs(shape, dtype)
            z = bplib.conv2d(x, w, b, padding=p)
            dz = np.random.default_rng(1).standard_normal(z.shape).astype(dtype)

            def fwd():
                return bplib.conv2d(x, w, b, padding=p)

            def fwd_bwd():  # as bplib.Conv2d trains: the wgrad reuses the forward's columns
                _, cols = bplib.conv.conv2d_with_columns(x, w, b, padding=p)
                bplib.conv2d_dgrad(dz, w, x.shape, padding=p)
                bplib.conv.conv2d_wgrad_from_columns(dz, cols, w.shape)
                bplib.conv2d_bgrad(dz)

            def pool_fwd():
                return bplib.max_pool2d(z, 2)

            dy = np.ones(bplib.pool2d_output_shape(z.shape, 2), dtype=dtype)

            def pool_fwd_bwd():  # as bplib.MaxPool2d trains: the backward reuses the forward's output
                pooled = bplib.max_pool2d(z, 2)
                bplib.max_pool2d_backward(dy, z, 2, z=pooled)

            r = {
                "conv_fwd": median_time(fwd, repeats),
                "conv_fwd_bwd": median_time(fwd_bwd, repeats),
                "pool_fwd": median_time(pool_fwd, repeats),
                "pool_fwd_bwd": median_time(pool_fwd_bwd, repeats),
            }
            # NumPy's matmul at the FLOP count of the forward: the practical limit
            N, C, _, _, K, k, _ = shape
            Ho, Wo = z.shape[2], z.shape[3]
            a = np.random.default_rng(2).standard_normal((K, C * k * k)).astype(dtype)
            m = np.random.default_rng(3).standard_normal((C * k * k, N * Ho * Wo)).astype(dtype)
            r["matmul_fwd_flops"] = median_time(lambda: a @ m, repeats)
            tracemalloc.start()
            fwd_bwd()
            r["peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
            if name == "S3":  # the reference loops, smallest shape only (a single run: they are slow)
                r["ref_fwd"] = median_time(lambda: reference.conv2d(x, w, b, padding=p), 1, warmup=0)
                r["ref_fwd_bwd"] = median_time(lambda: (reference.conv2d(x, w, b, padding=p),
                                                        reference.conv2d_dgrad(dz, w, x.shape, padding=p),
                                                        reference.conv2d_wgrad(dz, x, w.shape, padding=p),
                                                        reference.conv2d_bgrad(dz)), 1, warmup=0)
                r["ref_pool_fwd_bwd"] = median_time(lambda: (reference.max_pool2d(z, 2),
                                                             reference.max_pool2d_backward(dy, z, 2)), 1, warmup=0)
            out[f"{name}/{dtype}"] = r
            print(f"  bplib {name} {dtype} done", file=sys.stderr, flush=True)
    out["digits_epoch"] = digits_epoch_bplib(repeats=3)
    return out


def digits_epoch_bplib(repeats):
    import bplib
    from bplib.data import digits_split

    x, y, _, _ = digits_split(dtype=np.float32)

    def epoch():
        rng = np.random.default_rng(0)
        model = bplib.Sequential(bplib.Conv2d(1, 8, 3, padding=1, rng=rng, dtype=np.float32), bplib.ReLU(),
                                 bplib.MaxPool2d(2), bplib.Flatten(),
                                 bplib.Linear(8 * 4 * 4, 10, rng=rng, dtype=np.float32))
        bplib.fit(model, x, y, epochs=1, batch_size=32, lr=0.05, progress=False)

    return median_time(epoch, repeats, warmup=1)


# ----------------------------------------------------------------------------- torch side
def torch_worker(repeats, shapes):
    import torch

    torch.set_num_threads(int(THREADS))
    F = torch.nn.functional
    out = {"version": torch.__version__}
    for name in shapes:
        shape = SHAPES[name]
        p = shape[6]
        for dtype in DTYPES:
            x, w, b = (torch.from_numpy(a) for a in make_inputs(shape, dtype))
            x.requires_grad_(True), w.requires_grad_(True), b.requires_grad_(True)
            with torch.no_grad():
                z0 = F.conv2d(x, w, b, padding=p)
            dz = torch.from_numpy(np.random.default_rng(1).standard_normal(tuple(z0.shape)).astype(dtype))

            def fwd():
                with torch.no_grad():
                    return F.conv2d(x, w, b, padding=p)

            def fwd_bwd():
                F.conv2d(x, w, b, padding=p).backward(dz)

            zp = z0.clone().requires_grad_(True)
            dy = torch.ones(F.max_pool2d(z0, 2).shape, dtype=z0.dtype)

            def pool_fwd():
                with torch.no_grad():
                    return F.max_pool2d(zp, 2)

            def pool_fwd_bwd():
                F.max_pool2d(zp, 2).backward(dy)

            out[f"{name}/{dtype}"] = {"conv_fwd": median_time(fwd, repeats),
                                      "conv_fwd_bwd": median_time(fwd_bwd, repeats),
                                      "pool_fwd": median_time(pool_fwd, repeats),
                                      "pool_fwd_bwd": median_time(pool_fwd_bwd, repeats)}
            print(f"  torch {name} {dtype} done", file=sys.stderr, flush=True)
    out["digits_epoch"] = digits_epoch_torch(torch, repeats=3)
    return out


def digits_epoch_torch(torch, repeats):
    from bplib.data import digits_split

    x, y, _, _ = digits_split(dtype=np.float32)
    x, y = torch.from_numpy(x), torch.from_numpy(y)

    def epoch():
        torch.manual_seed(0)
        model = torch.nn.Sequential(torch.nn.Conv2d(1, 8, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                                    torch.nn.Flatten(), torch.nn.Linear(8 * 4 * 4, 10))
        opt = torch.optim.SGD(model.parameters(), lr=0.05)
        order = torch.from_numpy(np.random.default_rng(0).permutation(len(x)))
        for i in range(0, len(x), 32):
            idx = order[i : i + 32]
            opt.zero_grad()
            torch.nn.functional.cross_entropy(model(x[idx]), y[idx]).backward()
            opt.step()

    return median_time(epoch, repeats, warmup=1)


# ----------------------------------------------------------------------------- driver
def run_worker(kind, repeats, shapes):
    cmd = [sys.executable, __file__, f"--{kind}-worker", "--repeats", str(repeats), "--shapes", *shapes]
    res = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
    if res.returncode != 0:
        raise SystemExit(f"the {kind} benchmark process failed (exit code {res.returncode})")
    return json.loads(res.stdout)


def torch_available():
    res = subprocess.run([sys.executable, "-c", "import torch"], capture_output=True)
    return res.returncode == 0


def machine():
    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return (f"{cpu}, {os.cpu_count()} logical cores; {platform.system()} {platform.machine()}; "
            f"Python {platform.python_version()}; NumPy {np.__version__}; {THREADS} threads")


HEADER = "# Benchmark results\n\nWritten by `make bench` (`benchmarks/bench.py`).\n\n"


def fmt(v, spec=".2f"):
    return "n/a" if v is None else format(v, spec)


def shapes_table():
    """Markdown table defining the shapes S1, S2, S3 the results refer to."""
    rows = ["| shape | batch N | channels C | input H x W | kernels K | kernel | padding | output |",
            "|---|---|---|---|---|---|---|---|"]
    for name, (N, C, H, W, K, k, p) in SHAPES.items():
        Ho, Wo = H + 2 * p - k + 1, W + 2 * p - k + 1
        rows.append(f"| {name} | {N} | {C} | {H} x {W} | {K} | {k} x {k} | {p} | {K} x {Ho} x {Wo} |")
    return "\n".join(rows)


# Times move by up to 25 % from run to run on a shared machine (book/part3/performance.md): a
# ratio closer to 1 than that says neither library is faster.
NOISE = 1.25


def summary(table):
    """Sentences generated from a results table: where bplib is faster or slower than PyTorch.

    ``table`` is the Markdown of the results (the rows written by ``report``); rows without
    a PyTorch time are left out. A time ratio below ``1 / NOISE`` is "faster", above ``NOISE``
    "slower", in between "about as fast". Every claim on the book's performance page comes
    from here.
    """
    groups = {"faster": [], "same": [], "slower": []}
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 10 or cells[0] not in SHAPES or cells[5] == "n/a":
            continue
        ratio = float(cells[5])
        groups[_verdict(ratio)].append(f"{cells[0]} {cells[1]} {cells[2]} ({ratio:.2f})")
    total = sum(len(rows) for rows in groups.values())
    if not total:
        return "PyTorch was not measured: no comparison."
    out = [f"Of {total} measurements, bplib is faster than PyTorch (time ratio below {1 / NOISE:.2f}) "
           f"in {len(groups['faster'])}: " + ("; ".join(groups["faster"]) or "none") + ".",
           "",
           f"It is slower (ratio above {NOISE:.2f}) in {len(groups['slower'])}: "
           + ("; ".join(groups["slower"]) or "none") + ".",
           "",
           f"In {len(groups['same'])} the two are about as fast, within the run-to-run variation: "
           + ("; ".join(groups["same"]) or "none") + "."]
    digits = re.search(r"ratio (\d+(?:\.\d+)?)", table)
    if digits:
        verdict = {"faster": "faster", "slower": "slower", "same": "about as fast"}[_verdict(float(digits.group(1)))]
        out += ["", f"On one epoch of the digits network bplib is {verdict} (ratio {digits.group(1)})."]
    return "\n".join(out)


def _verdict(ratio):
    """"faster", "slower" or "same" for a bplib / PyTorch time ratio (see NOISE)."""
    if ratio < 1 / NOISE:
        return "faster"
    return "slower" if ratio > NOISE else "same"


def report(b, t, repeats):
    lines = []
    say = lines.append
    say(shapes_table())
    say("")
    say(f"Measured {datetime.date.today().isoformat()} on {machine()}.")
    say(f"Median of {repeats} runs; times in ms. PyTorch: "
        + (f"{t['version']}, CPU, autograd, same thread count." if t else "not installed (column skipped)."))
    say("")
    say("| shape | dtype | op | bplib ms | torch ms | bplib / torch | bplib GFLOP/s | matmul GFLOP/s "
        "| reference ms | peak MB |")
    say("|---|---|---|---|---|---|---|---|---|---|")
    for name in SHAPES:
        for dtype in DTYPES:
            key = f"{name}/{dtype}"
            if key not in b:
                continue
            r, rt = b[key], (t or {}).get(key)
            flops = conv_flops(SHAPES[name])
            mm_rate = flops / r["matmul_fwd_flops"] / 1e6
            for op, label, f in [("conv_fwd", "conv forward", flops),
                                 ("conv_fwd_bwd", "conv fwd+dgrad+wgrad", 3 * flops),
                                 ("pool_fwd", "max-pool forward", None), ("pool_fwd_bwd", "max-pool fwd+bwd", None)]:
                tt = rt[op] if rt else None
                ref_key = {"conv_fwd": "ref_fwd", "conv_fwd_bwd": "ref_fwd_bwd", "pool_fwd_bwd": "ref_pool_fwd_bwd"}
                ref = r.get(ref_key.get(op, ""))
                say(f"| {name} | {dtype} | {label} | {r[op]:.3f} | {fmt(tt, '.3f')} | "
                    f"{fmt(r[op] / tt if tt else None)} | {fmt(f / r[op] / 1e6 if f else None, '.1f')} | "
                    f"{fmt(mm_rate if f else None, '.1f')} | {fmt(ref, '.1f')} | "
                    f"{fmt(r['peak_mb'] if op == 'conv_fwd_bwd' else None, '.1f')} |")
    tb, tt = b["digits_epoch"], (t or {}).get("digits_epoch")
    say("")
    say(f"Digits CNN (conv 3x3 x8, ReLU, max-pool 2, linear 128->10; float32; 1,437 images, batch 32), "
        f"one epoch: bplib {tb:.1f} ms, torch {fmt(tt, '.1f')} ms, ratio {fmt(tb / tt if tt else None)}.")
    say("")
    say("## Summary\n")
    say(summary("\n".join(lines)))
    return "\n".join(lines)


def resummarize(path):
    """Rewrite the shapes table and the summary of an existing results file (no timing)."""
    text = open(path).read()
    start = text.index("Measured ")
    end = text.find("\n## Summary")
    body = text[start:end if end >= 0 else None].rstrip("\n")
    new = "\n".join([shapes_table(), "", body, "", "## Summary\n", summary(body)])
    with open(path, "w") as f:
        f.write(HEADER + new + "\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=9, help="timed runs per measurement (median reported)")
    ap.add_argument("--shapes", nargs="+", default=list(SHAPES), choices=list(SHAPES))
    ap.add_argument("--output", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "results.md"),
                    help="Markdown file for the results ('-' for none)")
    ap.add_argument("--resummarize", metavar="FILE",
                    help="rewrite the shapes table and summary of an existing results file, then stop")
    ap.add_argument("--bplib-worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--torch-worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.repeats < 1:
        ap.error("--repeats must be at least 1")
    if args.resummarize:
        resummarize(args.resummarize)
        return
    if args.bplib_worker:
        print(json.dumps(bplib_worker(args.repeats, args.shapes)))
        return
    if args.torch_worker:
        print(json.dumps(torch_worker(args.repeats, args.shapes)))
        return
    print(f"bplib benchmark at {THREADS} threads, {args.repeats} repeats", file=sys.stderr)
    b = run_worker("bplib", args.repeats, args.shapes)
    if torch_available():
        t = run_worker("torch", args.repeats, args.shapes)
    else:
        print("PyTorch is not installed: its column is skipped (pip install torch==2.13.0 to compare).",
              file=sys.stderr)
        t = None
    text = report(b, t, args.repeats)
    print(text)
    if args.output != "-":
        with open(args.output, "w") as f:
            f.write(HEADER + text + "\n")
        print(f"written to {os.path.relpath(args.output)}", file=sys.stderr)


if __name__ == "__main__":
    main()
