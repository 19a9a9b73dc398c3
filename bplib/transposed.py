"""The convolution gradients written as convolutions: dilated δ, transposed convolution, wgrad by correlation.

``bplib.conv.conv2d_dgrad`` and ``conv2d_wgrad`` scatter and gather directly.
The functions here compute the same two gradients the way
book/part2/stride_padding_dilation.ipynb (Stride, padding and dilation)
derives them, as ordinary cross-correlations (``bplib.conv2d``) of a *dilated*
and *padded* δ:

* dgrad (a transposed convolution): insert ``S - 1`` zeros between the entries
  of δ (``dilate``), pad ``D*(k - 1) - P`` zeros before and as many plus the
  leftover ``r = (H + 2P - D*(k - 1) - 1) mod S`` after (the input rows the
  forward window never reached), and cross-correlate with the 180°-rotated
  kernel, dilated by ``D`` as in the forward pass (``conv_transpose2d``).
* wgrad: cross-correlate the zero-padded input with δ dilated by ``S``, taking
  every ``D``-th output (the forward dilation becomes the stride)
  (``wgrad_by_correlation``).

A negative amount of padding (padding larger than the dilated kernel's reach)
crops instead. Everything is array operations and runs on arrays of SymPy
expressions too.
"""
from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._checks import IntPair, check_array, check_int, check_shape, pair
from ._geometry import Axis, conv_geometry, kernel_span, pad, window_geometry
from .conv import conv2d, rot180

__all__ = ["dilate", "dgrad_padding", "conv_transpose2d", "conv2d_dgrad_transposed", "wgrad_by_correlation"]


def dilate(x: ArrayLike, factor: IntPair) -> np.ndarray:
    """Insert ``factor - 1`` zeros between neighbouring entries of the last two axes.

    The dilated δ of book/part2/stride_padding_dilation.ipynb (Stride, padding and dilation).

    Parameters
    ----------
    x : array of shape (..., H, W)
    factor : int or (h, w) pair, >= 1

    Returns
    -------
    array of shape (..., (H - 1)*fh + 1, (W - 1)*fw + 1)
        ``out[..., i*fh, j*fw] = x[..., i, j]``, zero elsewhere (same dtype as ``x``).
    """
    x = check_array(x, "x")
    if x.ndim < 2:
        raise ValueError(f"x must have at least 2 dimensions (..., H, W), got shape {x.shape}")
    fh, fw = pair(factor, "factor", 1)
    H, W = x.shape[-2:]
    out = np.zeros(x.shape[:-2] + ((H - 1) * fh + 1, (W - 1) * fw + 1), dtype=x.dtype)
    out[..., ::fh, ::fw] = x
    return out


def _transposed_padding(axis: Axis) -> tuple[int, int]:
    """Zeros ``(before, after)`` around the dilated δ: ``span - 1 - P`` before, that plus the leftover after."""
    before = axis.span - 1 - axis.padding
    return before, before + axis.leftover


def dgrad_padding(size: int, k: int, stride: int = 1, padding: int = 0, dilation: int = 1) -> tuple[int, int]:
    """Zeros ``(before, after)`` around the dilated δ of one axis for the dgrad as a correlation.

    For an input axis of length ``size`` (H or W) and kernel length ``k``:
    ``before = D*(k - 1) - P`` and ``after = before + r`` with the leftover
    ``r = (size + 2P - D*(k - 1) - 1) mod S`` (rows of the padded input after
    the last window; they receive no gradient). Negative values mean cropping.
    Derived in book/part2/stride_padding_dilation.ipynb (Stride, padding and dilation).
    """
    size, k = check_int(size, "size", 1), check_int(k, "k", 1)
    s, p, d = check_int(stride, "stride", 1), check_int(padding, "padding", 0), check_int(dilation, "dilation", 1)
    g = window_geometry((size, size), (k, k), s, p, d)
    if not g.fits:
        raise ValueError(f"kernel of length {k} with dilation {d} spans more than the padded input {size + 2 * p}")
    return _transposed_padding(g.rows)


def conv_transpose2d(dz: ArrayLike, w: ArrayLike, stride: IntPair = 1, padding: IntPair = 0, dilation: IntPair = 1,
                     output_padding: IntPair = 0) -> np.ndarray:
    """Transposed convolution (PyTorch's ``conv_transpose2d``) as dilate + pad + cross-correlation with ``rot180(w)``.

    Derived in book/part2/stride_padding_dilation.ipynb (Stride, padding and dilation).

    Parameters
    ----------
    dz : array of shape (N, K, H_out, W_out)
    w : array of shape (K, C, kh, kw)
        The forward kernel (output channels first, as in ``conv2d``).
    stride, padding, dilation : int or (h, w) pair
        Those of the forward ``conv2d`` this transposes.
    output_padding : int or (h, w) pair
        Extra rows/columns at the bottom/right (the forward leftover ``r``), each < stride.

    Returns
    -------
    array of shape (N, C, H_in, W_in) with ``H_in = (H_out - 1)*S - 2P + D*(kh - 1) + r + 1`` (``W_in`` likewise):
    ``conv2d(pad(dilate(dz, S)), rot180(w) with K and C swapped, dilation=D)``.
    """
    dz, w = check_array(dz, "dz", "(N, K, H_out, W_out)"), check_array(w, "w", "(K, C, kh, kw)")
    if dz.shape[1] != w.shape[0]:
        raise ValueError(f"dz (N, K, H_out, W_out) and w (K, C, kh, kw) must have the same K; "
                         f"got {dz.shape} and {w.shape}")
    s, p, d = pair(stride, "stride", 1), pair(padding, "padding", 0), pair(dilation, "dilation", 1)
    r = pair(output_padding, "output_padding", 0)
    if r[0] >= s[0] or r[1] >= s[1]:
        raise ValueError(f"output_padding {r} must be smaller than stride {s}")
    # the forward input this transposes; its geometry has leftover r
    x_size = tuple((n - 1) * s_ - 2 * p_ + kernel_span(k, d_) + r_
                   for n, k, s_, p_, d_, r_ in zip(dz.shape[2:], w.shape[2:], s, p, d, r))
    if min(x_size) < 1:
        raise ValueError(f"padding {p} leaves no input for dz of shape {dz.shape} and w of shape {w.shape}: "
                         f"(H_out - 1)*S - 2P + D*(k - 1) + r + 1 = {x_size}")
    g = conv_geometry((dz.shape[0], w.shape[1]) + x_size, w.shape, s, p, d)
    (top, bottom), (left, right) = _transposed_padding(g.rows), _transposed_padding(g.cols)
    dz_padded = pad(dilate(dz, s), (top, left), (bottom, right))
    return conv2d(dz_padded, rot180(w).transpose(1, 0, 2, 3), dilation=d)


def conv2d_dgrad_transposed(dz: ArrayLike, w: ArrayLike, x_shape: tuple[int, int, int, int], stride: IntPair = 1,
                            padding: IntPair = 0, dilation: IntPair = 1) -> np.ndarray:
    """dgrad ``dL/dx`` of ``conv2d`` as a transposed convolution (equals ``bplib.conv2d_dgrad``).

    ``dz`` of shape (N, K, H_out, W_out), ``w`` of shape (K, C, kh, kw), ``x_shape = (N, C, H_in, W_in)``;
    returns ``dx`` of shape ``x_shape``. The leftover rows
    ``r = (H_in + 2P - D*(kh - 1) - 1) mod S`` become the ``output_padding``.
    Derived in book/part2/stride_padding_dilation.ipynb (Stride, padding and dilation).
    """
    w = check_array(w, "w", "(K, C, kh, kw)")
    g = conv_geometry(x_shape, w.shape, stride, padding, dilation)
    dz = check_array(dz, "dz", "(N, K, H_out, W_out)", shape=(x_shape[0], w.shape[0]) + g.out,
                     why=f"(what conv2d gives for x_shape {tuple(x_shape)} and w of shape {w.shape})")
    r = (g.rows.leftover, g.cols.leftover)
    return conv_transpose2d(dz, w, g.stride, g.padding, g.dilation, output_padding=r)


def wgrad_by_correlation(dz: ArrayLike, x: ArrayLike, w_shape: tuple[int, int, int, int], stride: IntPair = 1,
                         padding: IntPair = 0, dilation: IntPair = 1) -> np.ndarray:
    """wgrad ``dL/dw`` of ``conv2d`` as a correlation of the padded input with δ dilated by the stride.

    ``dw[k, c] = (x_pad[:, c] ⋆ dilate(dz[:, k], S))`` evaluated with stride ``D``
    (the forward dilation) and summed over the batch; the first ``kh x kw``
    outputs are kept (further ones exist only when the forward left rows unused).
    ``dz`` of shape (N, K, H_out, W_out), ``x`` of shape (N, C, H_in, W_in),
    ``w_shape = (K, C, kh, kw)``; returns ``dw`` of shape ``w_shape``.
    Derived in book/part2/stride_padding_dilation.ipynb (Stride, padding and dilation).
    """
    x, w_shape = check_array(x, "x", "(N, C, H, W)"), check_shape(w_shape, "w_shape", "(K, C, kh, kw)")
    g = conv_geometry(x.shape, w_shape, stride, padding, dilation)
    dz = check_array(dz, "dz", "(N, K, H_out, W_out)", shape=(x.shape[0], w_shape[0]) + g.out,
                     why=f"(what conv2d gives for x of shape {x.shape} and w_shape {w_shape})")
    # the batch plays the role of the channel axis: (C, N, H', W') correlated with (K, N, ., .) -> (C, K, ., .)
    out = conv2d(pad(x, g.padding).transpose(1, 0, 2, 3), dilate(dz, g.stride).transpose(1, 0, 2, 3),
                 stride=g.dilation)
    return np.ascontiguousarray(out[:, :, : g.kernel[0], : g.kernel[1]].transpose(1, 0, 2, 3))
