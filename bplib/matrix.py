"""Convolution as a matrix: the dense ``T`` with ``vec(conv2d(x, w)) = T @ vec(x)``.

A convolution is linear in its input, so for one example it is a matrix
product. Row ``(k, u, v)`` of ``T`` holds the kernel entries ``w[k, c, p, q]``
at the columns ``(c, i, j)`` of the inputs that output ``z_uv`` reads,
``i = u*S + p*D - P``, ``j = v*S + q*D - P``; everything else is zero. Its
transpose maps δ back to the input: ``T^T @ vec(δ) = vec(conv2d_dgrad(δ, w,
x_shape))``, the "transposed convolution". Derived in
book/part2/conv_as_matrix.ipynb (convolution as a matrix).
"""
from __future__ import annotations

import itertools

import numpy as np
from numpy.typing import ArrayLike

from ._checks import IntPair, check_array, check_shape
from ._geometry import conv_geometry

__all__ = ["conv_matrix"]


def conv_matrix(w: ArrayLike, x_shape: tuple[int, ...], stride: IntPair = 1, padding: IntPair = 0,
                dilation: IntPair = 1) -> np.ndarray:
    """The matrix ``T`` of a convolution: ``vec(conv2d(x, w)) = T @ vec(x)`` for one example (row-major ``vec``).

    Built entry by entry from the index rule of the forward pass (not by
    calling ``conv2d``), so that comparing the two is a real check. Derived in
    book/part2/conv_as_matrix.ipynb (convolution as a matrix).

    Parameters
    ----------
    w : array of shape (kh, kw) or (K, C, kh, kw)
        One single-channel kernel, or ``K*C`` kernels as in ``conv2d``;
        numbers or SymPy expressions.
    x_shape : tuple (H_in, W_in) for a 2-D ``w``, (C, H_in, W_in) for a 4-D one
        Shape of one input example (no batch axis).
    stride, padding, dilation : int or (h, w) pair, as in ``conv2d``.

    Returns
    -------
    T : array of shape (H_out*W_out, H_in*W_in) for a 2-D ``w``, (K*H_out*W_out, C*H_in*W_in) for a 4-D one
        Same dtype as ``w``. ``T[(k, u, v), (c, i, j)] = w[k, c, p, q]`` when
        ``i = u*S + p*D - P`` and ``j = v*S + q*D - P`` for some kernel entry
        ``(p, q)`` (at most one), else 0. ``T.T @ vec(δ)`` equals
        ``vec(conv2d_dgrad(δ, w, x_shape))``.
    """
    w = check_array(w, "w")
    if w.ndim == 2:
        w4, x3 = w[None, None], (1,) + check_shape(x_shape, "x_shape", "(H_in, W_in)")
    elif w.ndim == 4:
        w4, x3 = w, check_shape(x_shape, "x_shape", "(C, H_in, W_in)")
    else:
        raise ValueError(f"w must have 2 dimensions (kh, kw) or 4 (K, C, kh, kw), got shape {w.shape}")
    g = conv_geometry((1,) + x3, w4.shape, stride, padding, dilation)
    (K, C), (Ho, Wo) = w4.shape[:2], g.out
    m = np.zeros((K, Ho, Wo) + x3, dtype=w.dtype)          # T as (k, u, v) rows by (c, i, j) columns
    for (u, v), (p, q) in itertools.product(np.ndindex(Ho, Wo), g.entries):
        if (ij := g.at(u, v, p, q)) is not None:          # i = u*S + p*D - P, j = v*S + q*D - P
            m[:, u, v, :, *ij] = w4[:, :, p, q]
    return m.reshape(K * Ho * Wo, C * x3[1] * x3[2])
