"""Naive loop versions of the layer functions, written index by index like the derivation.

These are the teaching text and the test oracle for the fast functions in
``bplib.conv`` and ``bplib.pool``: each line is one equation of the book, in
its notation (book/notation.md): output entry ``(u, v)``, kernel entry
``(p, q)``, input entry ``(i, j)``, stride ``S``, padding ``P``, dilation ``D``.
They are slow on purpose (a Python loop over every index) and accept the same
arguments, in the same layouts: NCHW activations, ``(K, C, kh, kw)`` kernels.
Each works on numbers and on arrays of SymPy expressions.
"""
from __future__ import annotations

import itertools

import numpy as np
from numpy.typing import ArrayLike

from ._checks import IntPair
from ._geometry import conv_geometry, pool_geometry
from .pool import pool2d_output_shape

__all__ = [
    "conv2d",
    "conv2d_dgrad",
    "conv2d_wgrad",
    "conv2d_bgrad",
    "max_pool2d",
    "max_pool2d_backward",
    "avg_pool2d",
    "avg_pool2d_backward",
]


def _indices(*sizes: int) -> itertools.product:
    """Every index tuple of an array of shape ``sizes``, last axis fastest (like ``np.ndindex``, faster)."""
    return itertools.product(*(range(n) for n in sizes))


def _zeros(shape: tuple[int, ...], *like: np.ndarray) -> np.ndarray:
    """Zeros of ``shape``: ``object`` if any of ``like`` holds SymPy objects, else their float type."""
    if any(a.dtype == object for a in like):
        return np.zeros(shape, dtype=object)
    return np.zeros(shape, dtype=np.result_type(*like, np.float64))


def _mean(size: int, dtype: np.dtype):
    """``1 / size`` (the window's ``kh*kw``): an exact ``sympy.Rational`` on symbols, a float on numbers."""
    if dtype == object:
        import sympy

        return sympy.Rational(1, size)
    return 1.0 / size


def conv2d(x: ArrayLike, w: ArrayLike, b: ArrayLike | None = None, stride: IntPair = 1, padding: IntPair = 0,
           dilation: IntPair = 1) -> np.ndarray:
    """``z[n,k,u,v] = b[k] + sum_{c,p,q} x[n, c, u*S + p*D - P, v*S + q*D - P] * w[k,c,p,q]`` (zero outside x).

    x: (N, C, H_in, W_in), w: (K, C, kh, kw), b: (K,) or None -> z: (N, K, H_out, W_out).
    ``g.at(u, v, p, q)`` is the input entry ``(i, j)`` of that sum, ``None`` in the padding.
    Derived in book/part2/conv_forward.ipynb (The convolution layer, forward).
    """
    x, w = np.asarray(x), np.asarray(w)
    g = conv_geometry(x.shape, w.shape, stride, padding, dilation)
    (N, C), (K, _, kh, kw), (Ho, Wo) = x.shape[:2], w.shape, g.out
    z = _zeros((N, K, Ho, Wo), x, w)
    for n, k, u, v in _indices(N, K, Ho, Wo):
        total = 0 if b is None else b[k]
        for c, p, q in _indices(C, kh, kw):
            if (ij := g.at(u, v, p, q)) is not None:
                total = total + x[n, c, *ij] * w[k, c, p, q]
        z[n, k, u, v] = total
    return z


def conv2d_dgrad(dz: ArrayLike, w: ArrayLike, x_shape: tuple[int, int, int, int], stride: IntPair = 1,
                 padding: IntPair = 0, dilation: IntPair = 1) -> np.ndarray:
    """``dx[n,c,i,j] = sum of dz[n,k,u,v] * w[k,c,p,q]`` over ``u*S + p*D - P = i`` and ``v*S + q*D - P = j``.

    The chain rule read off the forward sum: every output ``z[n,k,u,v]`` that
    used ``x[n,c,i,j]`` passes back ``dz[n,k,u,v]`` times the weight it used.
    dz: (N, K, H_out, W_out), w: (K, C, kh, kw) -> dx: x_shape = (N, C, H_in, W_in).
    Derived in book/part2/conv_dgrad.ipynb (The input gradient and the 180° rotation).
    """
    dz, w = np.asarray(dz), np.asarray(w)
    g = conv_geometry(x_shape, w.shape, stride, padding, dilation)
    dx = _zeros(tuple(x_shape), dz, w)
    for n, k, u, v, c, p, q in _indices(*dz.shape, x_shape[1], *g.kernel):
        if (ij := g.at(u, v, p, q)) is not None:
            dx[n, c, *ij] = dx[n, c, *ij] + dz[n, k, u, v] * w[k, c, p, q]
    return dx


def conv2d_wgrad(dz: ArrayLike, x: ArrayLike, w_shape: tuple[int, int, int, int], stride: IntPair = 1,
                 padding: IntPair = 0, dilation: IntPair = 1) -> np.ndarray:
    """``dw[k,c,p,q] = sum_{n,u,v} dz[n,k,u,v] * x[n, c, u*S + p*D - P, v*S + q*D - P]`` (zero outside x).

    dz: (N, K, H_out, W_out), x: (N, C, H_in, W_in) -> dw: w_shape = (K, C, kh, kw).
    Derived in book/part2/conv_wgrad.ipynb (The weight gradient and the bias gradient).
    """
    dz, x = np.asarray(dz), np.asarray(x)
    g = conv_geometry(x.shape, w_shape, stride, padding, dilation)
    dw = _zeros(tuple(w_shape), dz, x)
    for k, c, p, q in _indices(*w_shape):
        total = 0
        for n, u, v in _indices(x.shape[0], *g.out):
            if (ij := g.at(u, v, p, q)) is not None:
                total = total + dz[n, k, u, v] * x[n, c, *ij]
        dw[k, c, p, q] = total
    return dw


def conv2d_bgrad(dz: ArrayLike) -> np.ndarray:
    """``db[k] = sum_{n,u,v} dz[n,k,u,v]``. dz: (N, K, H_out, W_out) -> db: (K,).

    Derived in book/part2/conv_wgrad.ipynb (The weight gradient and the bias gradient).
    """
    dz = np.asarray(dz)
    N, K, Ho, Wo = dz.shape
    db = _zeros((K,), dz)
    for k in range(K):
        db[k] = sum((dz[n, k, u, v] for n, u, v in _indices(N, Ho, Wo)), 0)
    return db


def _windows(x_shape: tuple[int, ...], kernel_size: IntPair, stride: IntPair | None):
    """``(n, c, u, v, [(i, j), ...])`` for every pooling window, its inputs in row-major order."""
    g = pool_geometry(x_shape, kernel_size, stride)
    for n, c, u, v in _indices(*x_shape[:2], *g.out):
        yield n, c, u, v, [g.at(u, v, p, q) for p, q in g.entries]


def max_pool2d(x: ArrayLike, kernel_size: IntPair, stride: IntPair | None = None) -> np.ndarray:
    """``z[n,c,u,v] = max_{p,q} x[n, c, u*S + p, v*S + q]``. x: (N, C, H_in, W_in) -> z: (N, C, H_out, W_out).

    Derived in book/part2/pooling.ipynb (Pooling, forward and backward).
    """
    x = np.asarray(x)
    z = np.zeros(pool2d_output_shape(x.shape, kernel_size, stride), dtype=x.dtype)
    for n, c, u, v, window in _windows(x.shape, kernel_size, stride):
        z[n, c, u, v] = max(x[n, c, i, j] for i, j in window)
    return z


def max_pool2d_backward(dz: ArrayLike, x: ArrayLike, kernel_size: IntPair, stride: IntPair | None = None) -> np.ndarray:
    """Each window's ``dz`` goes to its first maximum in row-major order. dz: (N, C, H_out, W_out) -> dx: x.shape.

    Derived in book/part2/pooling.ipynb (Pooling, forward and backward).
    """
    dz, x = np.asarray(dz), np.asarray(x)
    dx = np.zeros(x.shape, dtype=np.result_type(dz, x))
    for n, c, u, v, window in _windows(x.shape, kernel_size, stride):
        best = window[0]
        for i, j in window[1:]:
            if x[n, c, i, j] > x[n, c, best[0], best[1]]:     # strictly larger: ties keep the first
                best = (i, j)
        dx[n, c, best[0], best[1]] += dz[n, c, u, v]
    return dx


def avg_pool2d(x: ArrayLike, kernel_size: IntPair, stride: IntPair | None = None) -> np.ndarray:
    """``z[n,c,u,v] = (1/(kh*kw)) sum_{p,q} x[n, c, u*S + p, v*S + q]``.

    x: (N, C, H_in, W_in) -> z: (N, C, H_out, W_out).
    Derived in book/part2/pooling.ipynb (Pooling, forward and backward).
    """
    x = np.asarray(x)
    z = _zeros(pool2d_output_shape(x.shape, kernel_size, stride), x)
    for n, c, u, v, window in _windows(x.shape, kernel_size, stride):
        z[n, c, u, v] = sum((x[n, c, i, j] for i, j in window), 0) * _mean(len(window), x.dtype)
    return z


def avg_pool2d_backward(dz: ArrayLike, x_shape: tuple[int, int, int, int], kernel_size: IntPair,
                        stride: IntPair | None = None) -> np.ndarray:
    """Each input gets ``dz[n,c,u,v] / (kh*kw)`` from every window ``(u, v)`` that holds it. -> dx: x_shape.

    Derived in book/part2/pooling.ipynb (Pooling, forward and backward).
    """
    dz = np.asarray(dz)
    dx = _zeros(tuple(x_shape), dz)
    for n, c, u, v, window in _windows(x_shape, kernel_size, stride):
        for i, j in window:
            dx[n, c, i, j] += dz[n, c, u, v] * _mean(len(window), dz.dtype)
    return dx
