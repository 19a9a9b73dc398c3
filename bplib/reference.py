"""Naive loop versions of the layer functions, written index by index like the derivation.

These are the teaching text and the test oracle for the fast functions in
``bplib.conv`` and ``bplib.pool``: each line is one equation of the book. They
are slow on purpose (a Python loop over every index) and accept the same
arguments, in the same layouts: NCHW activations, ``(K, C, kh, kw)`` kernels.
Each works on numbers and on arrays of SymPy expressions.
"""
from __future__ import annotations

import numpy as np

from ._checks import pair
from .conv import conv2d_output_shape
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


def _zeros(shape, *like):
    dtype = object if any(np.asarray(a).dtype == object for a in like) else np.result_type(*like, np.float64)
    out = np.zeros(shape, dtype=dtype)
    return out


def conv2d(x, w, b=None, stride=1, padding=0, dilation=1):
    """``z[n,k,u,v] = b[k] + sum_{c,i,j} x[n, c, u*sh + i*dh - ph, v*sw + j*dw - pw] * w[k,c,i,j]`` (zero outside x).

    x: (N, C, H, W), w: (K, C, kh, kw), b: (K,) or None -> z: (N, K, Ho, Wo).
    """
    x, w = np.asarray(x), np.asarray(w)
    (sh, sw), (ph, pw), (dh, dw) = pair(stride, "stride", 1), pair(padding, "padding", 0), pair(dilation, "dilation", 1)
    N, K, Ho, Wo = conv2d_output_shape(x.shape, w.shape, stride, padding, dilation)
    _, C, H, W = x.shape
    _, _, kh, kw = w.shape
    z = _zeros((N, K, Ho, Wo), x, w)
    for n in range(N):
        for k in range(K):
            for u in range(Ho):
                for v in range(Wo):
                    total = 0 if b is None else b[k]
                    for c in range(C):
                        for i in range(kh):
                            for j in range(kw):
                                h, ww = u * sh + i * dh - ph, v * sw + j * dw - pw
                                if 0 <= h < H and 0 <= ww < W:
                                    total = total + x[n, c, h, ww] * w[k, c, i, j]
                    z[n, k, u, v] = total
    return z


def conv2d_dgrad(dz, w, x_shape, stride=1, padding=0, dilation=1):
    """``dx[n,c,h,w'] = sum over (k,u,v,i,j) with u*sh + i*dh - ph = h, v*sw + j*dw - pw = w' of dz[n,k,u,v] * w[k,c,i,j]``.

    The chain rule read off the forward sum: every output ``z[n,k,u,v]`` that
    used ``x[n,c,h,w']`` passes back ``dz[n,k,u,v]`` times the weight it used.
    dz: (N, K, Ho, Wo), w: (K, C, kh, kw) -> dx: x_shape = (N, C, H, W).
    """
    dz, w = np.asarray(dz), np.asarray(w)
    (sh, sw), (ph, pw), (dh, dw) = pair(stride, "stride", 1), pair(padding, "padding", 0), pair(dilation, "dilation", 1)
    N, C, H, W = x_shape
    K, _, kh, kw = w.shape
    _, _, Ho, Wo = conv2d_output_shape(x_shape, w.shape, stride, padding, dilation)
    dx = _zeros((N, C, H, W), dz, w)
    for n in range(N):
        for k in range(K):
            for u in range(Ho):
                for v in range(Wo):
                    for c in range(C):
                        for i in range(kh):
                            for j in range(kw):
                                h, ww = u * sh + i * dh - ph, v * sw + j * dw - pw
                                if 0 <= h < H and 0 <= ww < W:
                                    dx[n, c, h, ww] = dx[n, c, h, ww] + dz[n, k, u, v] * w[k, c, i, j]
    return dx


def conv2d_wgrad(dz, x, w_shape, stride=1, padding=0, dilation=1):
    """``dw[k,c,i,j] = sum_{n,u,v} dz[n,k,u,v] * x[n, c, u*sh + i*dh - ph, v*sw + j*dw - pw]`` (zero outside x).

    dz: (N, K, Ho, Wo), x: (N, C, H, W) -> dw: w_shape = (K, C, kh, kw).
    """
    dz, x = np.asarray(dz), np.asarray(x)
    (sh, sw), (ph, pw), (dh, dw_) = pair(stride, "stride", 1), pair(padding, "padding", 0), pair(dilation, "dilation", 1)
    K, C, kh, kw = w_shape
    N, _, H, W = x.shape
    _, _, Ho, Wo = conv2d_output_shape(x.shape, w_shape, stride, padding, dilation)
    dw = _zeros((K, C, kh, kw), dz, x)
    for k in range(K):
        for c in range(C):
            for i in range(kh):
                for j in range(kw):
                    total = 0
                    for n in range(N):
                        for u in range(Ho):
                            for v in range(Wo):
                                h, ww = u * sh + i * dh - ph, v * sw + j * dw_ - pw
                                if 0 <= h < H and 0 <= ww < W:
                                    total = total + dz[n, k, u, v] * x[n, c, h, ww]
                    dw[k, c, i, j] = total
    return dw


def conv2d_bgrad(dz):
    """``db[k] = sum_{n,u,v} dz[n,k,u,v]``. dz: (N, K, Ho, Wo) -> db: (K,)."""
    dz = np.asarray(dz)
    N, K, Ho, Wo = dz.shape
    db = _zeros((K,), dz)
    for k in range(K):
        total = 0
        for n in range(N):
            for u in range(Ho):
                for v in range(Wo):
                    total = total + dz[n, k, u, v]
        db[k] = total
    return db


def max_pool2d(x, kernel_size, stride=None):
    """``y[n,c,u,v] = max_{i,j} x[n, c, u*sh + i, v*sw + j]``. x: (N, C, H, W) -> y: (N, C, Ho, Wo)."""
    x = np.asarray(x)
    (kh, kw) = pair(kernel_size, "kernel_size", 1)
    (sh, sw) = (kh, kw) if stride is None else pair(stride, "stride", 1)
    N, C, Ho, Wo = pool2d_output_shape(x.shape, kernel_size, stride)
    y = np.zeros((N, C, Ho, Wo), dtype=x.dtype)
    for n in range(N):
        for c in range(C):
            for u in range(Ho):
                for v in range(Wo):
                    y[n, c, u, v] = max(x[n, c, u * sh + i, v * sw + j] for i in range(kh) for j in range(kw))
    return y


def max_pool2d_backward(dy, x, kernel_size, stride=None):
    """Each window's ``dy`` goes to its first maximum in row-major order. dy: (N, C, Ho, Wo) -> dx: x.shape."""
    dy, x = np.asarray(dy), np.asarray(x)
    (kh, kw) = pair(kernel_size, "kernel_size", 1)
    (sh, sw) = (kh, kw) if stride is None else pair(stride, "stride", 1)
    N, C, Ho, Wo = pool2d_output_shape(x.shape, kernel_size, stride)
    dx = np.zeros(x.shape, dtype=np.result_type(dy, x))
    for n in range(N):
        for c in range(C):
            for u in range(Ho):
                for v in range(Wo):
                    best = None
                    for i in range(kh):
                        for j in range(kw):
                            h, ww = u * sh + i, v * sw + j
                            if best is None or x[n, c, h, ww] > x[n, c, best[0], best[1]]:
                                best = (h, ww)
                    dx[n, c, best[0], best[1]] += dy[n, c, u, v]
    return dx


def avg_pool2d(x, kernel_size, stride=None):
    """``y[n,c,u,v] = (1/(kh*kw)) sum_{i,j} x[n, c, u*sh + i, v*sw + j]``. x: (N, C, H, W) -> y: (N, C, Ho, Wo)."""
    x = np.asarray(x)
    (kh, kw) = pair(kernel_size, "kernel_size", 1)
    (sh, sw) = (kh, kw) if stride is None else pair(stride, "stride", 1)
    N, C, Ho, Wo = pool2d_output_shape(x.shape, kernel_size, stride)
    y = _zeros((N, C, Ho, Wo), x)
    for n in range(N):
        for c in range(C):
            for u in range(Ho):
                for v in range(Wo):
                    total = 0
                    for i in range(kh):
                        for j in range(kw):
                            total = total + x[n, c, u * sh + i, v * sw + j]
                    y[n, c, u, v] = total / (kh * kw) if x.dtype != object else total * _rational(kh * kw)
    return y


def avg_pool2d_backward(dy, x_shape, kernel_size, stride=None):
    """Each input gets ``dy[n,c,u,v] / (kh*kw)`` from every window ``(u, v)`` that holds it. -> dx: x_shape."""
    dy = np.asarray(dy)
    (kh, kw) = pair(kernel_size, "kernel_size", 1)
    (sh, sw) = (kh, kw) if stride is None else pair(stride, "stride", 1)
    N, C, Ho, Wo = pool2d_output_shape(x_shape, kernel_size, stride)
    dx = _zeros(x_shape, dy)
    share = _rational(kh * kw) if dy.dtype == object else 1.0 / (kh * kw)
    for n in range(N):
        for c in range(C):
            for u in range(Ho):
                for v in range(Wo):
                    for i in range(kh):
                        for j in range(kw):
                            dx[n, c, u * sh + i, v * sw + j] += dy[n, c, u, v] * share
    return dx


def _rational(k):
    import sympy

    return sympy.Rational(1, k)
