"""Max and average pooling, forward and backward, as pure functions on NCHW arrays.

A pooling window of ``kernel_size = (kh, kw)`` moves with ``stride`` (by
default the kernel size, so windows tile the input); the output size is
``Ho = (H - kh) // sh + 1`` and ``Wo = (W - kw) // sw + 1``. Pooling has no
parameters: its backward pass only routes ``dy`` back to the inputs.

Every function loops over the ``kh*kw`` offsets inside a window (each a
strided slice of the whole batch), never over pixels or batch items.
"""
from __future__ import annotations

import numpy as np

from . import _parallel
from ._checks import as_array, check_ndim, check_numeric_or_object, pair, shape4

__all__ = [
    "max_pool2d",
    "max_pool2d_backward",
    "avg_pool2d",
    "avg_pool2d_backward",
    "pool2d_output_shape",
]


def _geometry(x_shape, kernel_size, stride):
    k = pair(kernel_size, "kernel_size", 1)
    s = k if stride is None else pair(stride, "stride", 1)
    N, C, H, W = x_shape
    if k[0] > H or k[1] > W:
        raise ValueError(f"kernel_size {k} is larger than the input of shape {tuple(x_shape)}")
    return k, s, ((H - k[0]) // s[0] + 1, (W - k[1]) // s[1] + 1)


def pool2d_output_shape(x_shape, kernel_size, stride=None):
    """Shape ``(N, C, Ho, Wo)`` of a pooling output: ``Ho = (H - kh) // sh + 1``, ``Wo`` likewise."""
    x_shape = shape4(x_shape, "x_shape")
    _, _, (Ho, Wo) = _geometry(x_shape, kernel_size, stride)
    return (x_shape[0], x_shape[1], Ho, Wo)


def _tap(a, i, j, s, out):
    """The strided slice of ``a`` that offset ``(i, j)`` of every window reads: shape (N, C, Ho, Wo)."""
    return a[:, :, i : i + s[0] * (out[0] - 1) + 1 : s[0], j : j + s[1] * (out[1] - 1) + 1 : s[1]]


def _check_x(x, name="x"):
    x = as_array(x, name)
    check_ndim(x, 4, name, "(N, C, H, W)")
    check_numeric_or_object(x, name)
    return x


def _check_dy(dy, expected):
    dy = as_array(dy, "dy")
    check_ndim(dy, 4, "dy", "(N, C, Ho, Wo)")
    check_numeric_or_object(dy, "dy")
    if dy.shape != expected:
        raise ValueError(f"dy must have the shape the forward pass produces, {expected}; got {dy.shape}")
    return dy


def max_pool2d(x, kernel_size, stride=None):
    """Max pooling: ``y[n, c, u, v] = max_{i<kh, j<kw} x[n, c, u*sh + i, v*sw + j]``.

    Parameters
    ----------
    x : array of shape (N, C, H, W)
    kernel_size : int or (kh, kw)
    stride : int or (sh, sw), optional
        Defaults to ``kernel_size`` (non-overlapping windows).

    Returns
    -------
    y : array of shape (N, C, Ho, Wo), ``Ho = (H - kh) // sh + 1``, ``Wo = (W - kw) // sw + 1``
    """
    x = _check_x(x)
    if x.dtype == object:
        raise TypeError("max_pool2d needs numbers (a max of symbols has no order); got dtype object")
    k, s, out = _geometry(x.shape, kernel_size, stride)
    y = _tap(x, 0, 0, s, out).copy()
    for i in range(k[0]):
        for j in range(k[1]):
            if i or j:
                np.maximum(y, _tap(x, i, j, s, out), out=y)
    return y


def max_pool2d_backward(dy, x, kernel_size, stride=None, y=None):
    """Backward pass of max pooling: each window sends its ``dy`` to the input that was its maximum.

    Ties: when several inputs of one window equal its maximum, the whole
    gradient goes to the **first** of them in row-major order (top row first,
    then left to right), as PyTorch does; the others get zero. Where windows
    overlap (stride < kernel size), an input that is the maximum of several
    windows accumulates the gradient of each. ``dy`` should be finite: an
    infinite entry spreads NaN over its window.

    Parameters
    ----------
    dy : array of shape (N, C, Ho, Wo)
    x : array of shape (N, C, H, W)
        The forward input.
    kernel_size, stride : as in ``max_pool2d``.
    y : array of shape (N, C, Ho, Wo), optional
        The forward output ``max_pool2d(x, kernel_size, stride)``, if the caller
        kept it (as ``MaxPool2d`` does); recomputed when omitted.

    Returns
    -------
    dx : array of shape (N, C, H, W)
    """
    x = _check_x(x)
    if x.dtype == object:
        raise TypeError("max_pool2d_backward needs numbers; got x of dtype object")
    k, s, out = _geometry(x.shape, kernel_size, stride)
    dy = _check_dy(dy, (x.shape[0], x.shape[1]) + out)
    if y is not None:
        y = as_array(y, "y")
        if y.shape != dy.shape or y.dtype != x.dtype:
            raise ValueError(f"y must be the forward output, shape {dy.shape} and dtype {x.dtype}; "
                             f"got shape {y.shape} and dtype {y.dtype}")
    dtype = np.result_type(dy.dtype, x.dtype)
    dx = np.empty(x.shape, dtype=dtype)

    def part(sl):                              # one half of the batch per thread on large inputs
        xs, dys, dxs = x[sl], dy[sl], dx[sl]
        ys = max_pool2d(xs, k, s) if y is None else y[sl]
        if s == k:                             # disjoint windows: the taps below write every covered input;
            dxs[:, :, out[0] * k[0]:] = 0      # only rows and columns no window reaches need zeros
            dxs[:, :, :, out[1] * k[1]:] = 0
        else:
            dxs[...] = 0
        taken = np.zeros(ys.shape, dtype=bool)  # windows whose maximum has been found
        for i in range(k[0]):                  # taps in row-major order: the first maximum takes dy
            for j in range(k[1]):
                first = np.equal(_tap(xs, i, j, s, out), ys)
                np.greater(first, taken, out=first)              # a maximum, and the first one
                taken |= first
                tap_dx = _tap(dxs, i, j, s, out)
                if s == k:                                       # disjoint windows: each input once
                    np.multiply(first, dys, out=tap_dx)
                else:                                            # overlapping windows accumulate
                    tap_dx += first * dys

    _parallel.run(part, _parallel.batch_slices(x.shape[0], x.size, dtype))
    return dx


def _mean_factor(dtype, k):
    """``1 / (kh*kw)`` exact for symbolic arrays, a float otherwise."""
    if dtype == object:
        import sympy

        return sympy.Rational(1, k[0] * k[1])
    return 1.0 / (k[0] * k[1])


def avg_pool2d(x, kernel_size, stride=None):
    """Average pooling: ``y[n, c, u, v] = (1 / (kh*kw)) * sum_{i<kh, j<kw} x[n, c, u*sh + i, v*sw + j]``.

    Accepts arrays of SymPy expressions (``dtype=object``) and returns the exact mean.

    Parameters
    ----------
    x : array of shape (N, C, H, W)
    kernel_size : int or (kh, kw)
    stride : int or (sh, sw), optional
        Defaults to ``kernel_size``.

    Returns
    -------
    y : array of shape (N, C, Ho, Wo), ``Ho = (H - kh) // sh + 1``, ``Wo = (W - kw) // sw + 1``
    """
    x = _check_x(x)
    k, s, out = _geometry(x.shape, kernel_size, stride)
    total = sum(_tap(x, i, j, s, out) for i in range(k[0]) for j in range(k[1]))
    return total * _mean_factor(x.dtype, k)


def avg_pool2d_backward(dy, x_shape, kernel_size, stride=None):
    """Backward pass of average pooling: each input gets ``dy / (kh*kw)`` from every window that holds it.

    With non-overlapping windows this is the upsampling of ``dy``: every entry
    spread evenly over its ``kh x kw`` block. Accepts arrays of SymPy expressions.

    Parameters
    ----------
    dy : array of shape (N, C, Ho, Wo)
    x_shape : tuple (N, C, H, W)
    kernel_size, stride : as in ``avg_pool2d``.

    Returns
    -------
    dx : array of shape (N, C, H, W)
    """
    x_shape = shape4(x_shape, "x_shape")
    k, s, out = _geometry(x_shape, kernel_size, stride)
    dy = _check_dy(dy, tuple(x_shape[:2]) + out)
    share = dy * _mean_factor(dy.dtype, k)
    dx = np.zeros(x_shape, dtype=share.dtype)
    for i in range(k[0]):
        for j in range(k[1]):
            _tap(dx, i, j, s, out)[...] += share
    return dx
