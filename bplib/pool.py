"""Max and average pooling, forward and backward, as pure functions on NCHW arrays.

A pooling window of ``kernel_size = (kh, kw)`` moves with ``stride`` (by
default the kernel size, so windows tile the input); the output ``z`` has
``H_out = (H_in - kh) // S + 1`` rows and ``W_out = (W_in - kw) // S + 1``
columns, the convolution's geometry with ``P = 0`` and ``D = 1``
(``bplib._geometry``). Pooling has no parameters: its backward pass only routes
``dz = δ`` back to the inputs. Derived in book/part2/pooling.ipynb (Pooling,
forward and backward).

Every function loops over the ``kh*kw`` entries of the window, each a strided
slice of the whole batch (``g.tap(p, q)``), never over pixels or batch items.
The max-pooling backward applies its math (``_max_pool_backward``, one slice of
the batch) over the batch with ``bplib._parallel.over_batch``.
"""
from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._checks import IntPair, check_array, check_shape, common_dtype
from ._geometry import Geometry, pool_geometry
from ._parallel import over_batch

__all__ = [
    "max_pool2d",
    "max_pool2d_backward",
    "avg_pool2d",
    "avg_pool2d_backward",
    "pool2d_output_shape",
]

_NCHW, _DZ = "(N, C, H, W)", "(N, C, H_out, W_out)"


def pool2d_output_shape(x_shape: tuple[int, int, int, int], kernel_size: IntPair,
                        stride: IntPair | None = None) -> tuple[int, int, int, int]:
    """Shape ``(N, C, H_out, W_out)`` of a pooling output: ``H_out = (H_in - kh) // S + 1``, ``W_out`` likewise.

    Derived in book/part2/pooling.ipynb (Pooling, forward and backward).
    """
    g = pool_geometry(x_shape, kernel_size, stride)
    return (int(x_shape[0]), int(x_shape[1])) + g.out


def _numbers(x: ArrayLike, name: str, what: str) -> np.ndarray:
    x = check_array(x, name, _NCHW)
    if x.dtype == object:
        raise TypeError(f"{what} needs numbers (a maximum of symbols has no order); got {name} of dtype object")
    return x


def max_pool2d(x: ArrayLike, kernel_size: IntPair, stride: IntPair | None = None) -> np.ndarray:
    """Max pooling: ``z[n, c, u, v] = max_{p<kh, q<kw} x[n, c, u*S + p, v*S + q]``.

    Derived in book/part2/pooling.ipynb (Pooling, forward and backward).

    Parameters
    ----------
    x : array of shape (N, C, H_in, W_in), numbers
    kernel_size : int or (kh, kw)
    stride : int or (h, w) pair, optional
        Defaults to ``kernel_size`` (non-overlapping windows).

    Returns
    -------
    z : array of shape (N, C, H_out, W_out), ``H_out = (H_in - kh) // S + 1``, ``W_out`` likewise
    """
    x = _numbers(x, "x", "max_pool2d")
    g = pool_geometry(x.shape, kernel_size, stride)
    taps = [x[g.tap(p, q)] for p, q in g.entries]
    z = taps[0].copy()
    for tap in taps[1:]:
        np.maximum(z, tap, out=z)
    return z


def _max_pool_backward(x: np.ndarray, z: np.ndarray, dz: np.ndarray, g: Geometry, dx: np.ndarray) -> None:
    """``dx`` for one slice of the batch: each window's δ goes to its first maximum in row-major order."""
    disjoint = g.stride == g.kernel
    if disjoint:                            # the taps below write every input a window covers, once:
        dx[:, :, g.rows.covered:] = 0       # only rows and columns after the last window need zeros
        dx[:, :, :, g.cols.covered:] = 0
    else:
        dx[...] = 0
    taken = np.zeros(z.shape, dtype=bool)   # windows whose maximum has been found
    for p, q in g.entries:      # row-major order: the first maximum takes δ
        first = np.equal(x[g.tap(p, q)], z)
        np.greater(first, taken, out=first)  # a maximum, and the first one
        taken |= first
        if disjoint:
            np.multiply(first, dz, out=dx[g.tap(p, q)])
        else:                               # overlapping windows accumulate
            dx[g.tap(p, q)] += first * dz


def max_pool2d_backward(dz: ArrayLike, x: ArrayLike, kernel_size: IntPair, stride: IntPair | None = None,
                        z: ArrayLike | None = None) -> np.ndarray:
    """Backward pass of max pooling: each window sends its δ to the input that was its maximum.

    Ties: when several inputs of one window equal its maximum, the whole
    gradient goes to the **first** of them in row-major order (top row first,
    then left to right), as PyTorch does; the others get zero. Where windows
    overlap (stride < kernel size), an input that is the maximum of several
    windows accumulates the gradient of each. ``dz`` should be finite: an
    infinite entry spreads NaN over its window. Derived in
    book/part2/pooling.ipynb (Pooling, forward and backward).

    Parameters
    ----------
    dz : array of shape (N, C, H_out, W_out)
        δ, the gradient at the pooling output.
    x : array of shape (N, C, H_in, W_in)
        The forward input.
    kernel_size, stride : as in ``max_pool2d``.
    z : array of shape (N, C, H_out, W_out), optional
        The forward output ``max_pool2d(x, kernel_size, stride)``, if the caller
        kept it (as ``MaxPool2d`` does); recomputed when omitted.

    Returns
    -------
    dx : array of shape (N, C, H_in, W_in)
    """
    x = _numbers(x, "x", "max_pool2d_backward")
    g = pool_geometry(x.shape, kernel_size, stride)
    dz = check_array(dz, "dz", _DZ, shape=x.shape[:2] + g.out, why="(the shape of the forward output)")
    dtype = common_dtype(dz=dz, x=x)
    if z is None:
        z = max_pool2d(x, kernel_size, stride)
    z = _as_forward_output(z, dz.shape, x.dtype)
    dx = np.empty(x.shape, dtype=dtype)
    over_batch(lambda s: _max_pool_backward(x[s], z[s], dz[s], g, dx[s]), x.shape[0], x.size, dtype)
    return dx


def _as_forward_output(z: ArrayLike, shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """Check a kept forward output: ``z`` of the given shape and dtype."""
    z = check_array(z, "z")
    if z.shape != shape or z.dtype != dtype:
        raise ValueError(f"z must be the forward output, shape {shape} and dtype {dtype}; "
                         f"got shape {z.shape} and dtype {z.dtype}")
    return z


def _mean_factor(dtype: np.dtype, kernel: tuple[int, int]):
    """``1 / (kh*kw)``: an exact ``sympy.Rational`` for symbolic arrays, a float otherwise."""
    if dtype == object:
        import sympy

        return sympy.Rational(1, kernel[0] * kernel[1])
    return 1.0 / (kernel[0] * kernel[1])


def avg_pool2d(x: ArrayLike, kernel_size: IntPair, stride: IntPair | None = None) -> np.ndarray:
    """Average pooling: ``z[n, c, u, v] = (1 / (kh*kw)) * sum_{p<kh, q<kw} x[n, c, u*S + p, v*S + q]``.

    Accepts arrays of SymPy expressions (``dtype=object``) and returns the exact
    mean. Derived in book/part2/pooling.ipynb (Pooling, forward and backward).

    Parameters
    ----------
    x : array of shape (N, C, H_in, W_in)
    kernel_size : int or (kh, kw)
    stride : int or (h, w) pair, optional
        Defaults to ``kernel_size``.

    Returns
    -------
    z : array of shape (N, C, H_out, W_out), ``H_out = (H_in - kh) // S + 1``, ``W_out`` likewise
    """
    x = check_array(x, "x", _NCHW)
    g = pool_geometry(x.shape, kernel_size, stride)
    total = sum(x[g.tap(p, q)] for p, q in g.entries)
    return total * _mean_factor(x.dtype, g.kernel)


def avg_pool2d_backward(dz: ArrayLike, x_shape: tuple[int, int, int, int], kernel_size: IntPair,
                        stride: IntPair | None = None) -> np.ndarray:
    """Backward pass of average pooling: each input gets ``δ / (kh*kw)`` from every window that holds it.

    With non-overlapping windows this is the upsampling of δ: every entry
    spread evenly over its ``kh x kw`` block. Accepts arrays of SymPy
    expressions. Derived in book/part2/pooling.ipynb (Pooling, forward and backward).

    Parameters
    ----------
    dz : array of shape (N, C, H_out, W_out)
    x_shape : tuple (N, C, H_in, W_in)
    kernel_size, stride : as in ``avg_pool2d``.

    Returns
    -------
    dx : array of shape (N, C, H_in, W_in)
    """
    x_shape = check_shape(x_shape, "x_shape", _NCHW)
    g = pool_geometry(x_shape, kernel_size, stride)
    dz = check_array(dz, "dz", _DZ, shape=x_shape[:2] + g.out, why="(the shape of the forward output)")
    share = dz * _mean_factor(dz.dtype, g.kernel)
    dx = np.zeros(x_shape, dtype=share.dtype)
    for p, q in g.entries:
        dx[g.tap(p, q)] += share
    return dx
