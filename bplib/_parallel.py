"""Split array work over the batch between threads.

NumPy releases the GIL inside copies, ufuncs and BLAS calls, so two Python
threads, each working on half of the batch with BLAS held to one thread, keep
both cores of a small machine busy during the parts of a convolution that are
single-threaded in NumPy (the im2col copy, the scatter-back of the input
gradient), not only during the matrix products.

The split is fixed (``BPLIB_THREADS``, default 2, whatever the number of
cores), so results are bit-for-bit the same on every machine; ``BPLIB_THREADS=1``
turns it off. Small problems (below ``MIN_WORK`` multiply-adds) and symbolic
arrays are never split.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import numpy as np

WORKERS = max(1, int(os.environ.get("BPLIB_THREADS", "2")))
MIN_WORK = 1 << 21
T = TypeVar("T")

_executor = None
_controller = None


def over_batch(step: Callable[[slice], T], n: int, work: int, dtype) -> list[T]:
    """``[step(s) for s in batch slices of range(n)]``: the one place where bplib splits a batch.

    ``work`` is the number of multiply-adds of the whole call; ``step`` computes
    one slice of the batch (writing into slices of preallocated outputs, or
    returning a partial result that the caller adds up).
    """
    return run(step, batch_slices(n, work, dtype))


def batch_slices(n: int, work: int, dtype) -> list[slice]:
    """Slices of ``range(n)``: one per worker when ``work`` is large enough, else one slice of all."""
    if WORKERS < 2 or n < 2 or work < MIN_WORK or np.dtype(dtype) == object:
        return [slice(0, n)]
    step = -(-n // WORKERS)
    return [slice(i, min(i + step, n)) for i in range(0, n, step)]


def run(fn: Callable[[slice], T], slices: list[slice]) -> list[T]:
    """``[fn(s) for s in slices]``, in parallel threads (BLAS at one thread each) when there are several."""
    global _executor, _controller
    if len(slices) == 1:
        return [fn(slices[0])]
    if _executor is None:
        from threadpoolctl import ThreadpoolController

        _executor = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="bplib")
        _controller = ThreadpoolController()
    with _controller.limit(limits=1, user_api="blas"):
        return list(_executor.map(fn, slices))
