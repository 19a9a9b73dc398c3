"""The convolution gradients written as convolutions: dilated δ, transposed convolution, wgrad by correlation.

``bplib.conv.conv2d_dgrad`` and ``conv2d_wgrad`` scatter and gather directly.
The functions here compute the same two gradients the way the derivation
reads them, as ordinary cross-correlations (``bplib.conv2d``) of a
*dilated* and *padded* δ:

* dgrad (a transposed convolution): insert ``s - 1`` zeros between the entries
  of δ (``dilate``), pad ``P = d*(k - 1) - p`` zeros before and ``P + r`` after,
  with ``r = (H + 2p - d*(k - 1) - 1) mod s`` the input rows the forward
  window never reached, and cross-correlate with the 180°-rotated kernel,
  dilated by ``d`` as in the forward pass (``conv_transpose2d``).
* wgrad: cross-correlate the zero-padded input with δ dilated by ``s``,
  taking every ``d``-th output (the forward dilation becomes the stride)
  (``wgrad_by_correlation``).

A negative ``P`` (padding larger than the dilated kernel reach) crops instead
of padding. Everything is array operations and runs on arrays of SymPy
expressions too.
"""
from __future__ import annotations

import numpy as np

from ._checks import as_array, check_int, pair
from .conv import conv2d, conv2d_output_shape, rot180

__all__ = ["dilate", "dgrad_padding", "conv_transpose2d", "conv2d_dgrad_transposed", "wgrad_by_correlation"]


def dilate(x, factor):
    """Insert ``factor - 1`` zeros between neighbouring entries of the last two axes.

    Parameters
    ----------
    x : array of shape (..., H, W)
    factor : int or (fh, fw) pair, >= 1

    Returns
    -------
    array of shape (..., (H - 1)*fh + 1, (W - 1)*fw + 1)
        ``out[..., i*fh, j*fw] = x[..., i, j]``, zero elsewhere (same dtype as ``x``).
    """
    x = as_array(x, "x")
    if x.ndim < 2:
        raise ValueError(f"x must have at least 2 dimensions (..., H, W), got shape {x.shape}")
    fh, fw = pair(factor, "factor", 1)
    H, W = x.shape[-2:]
    out = np.zeros(x.shape[:-2] + ((H - 1) * fh + 1, (W - 1) * fw + 1), dtype=x.dtype)
    out[..., ::fh, ::fw] = x
    return out


def dgrad_padding(size, k, stride=1, padding=0, dilation=1):
    """Zeros ``(before, after)`` around the dilated δ of one axis for the dgrad as a correlation.

    For an input axis of length ``size`` (H or W), kernel length ``k``:
    ``before = d*(k - 1) - p`` and ``after = before + r`` with the leftover
    ``r = (size + 2p - d*(k - 1) - 1) mod s`` (rows of the padded input after
    the last window; they receive no gradient). Negative values mean cropping.
    """
    size = check_int(size, "size", 1)
    k = check_int(k, "k", 1)
    s = check_int(stride, "stride", 1)
    p = check_int(padding, "padding", 0)
    d = check_int(dilation, "dilation", 1)
    reach = size + 2 * p - d * (k - 1) - 1
    if reach < 0:
        raise ValueError(f"kernel of length {k} with dilation {d} spans more than the padded input {size + 2 * p}")
    before = d * (k - 1) - p
    return before, before + reach % s


def _pad_or_crop(x, before, after):
    """Pad (positive) or crop (negative) the last two axes by ``before=(top, left)``, ``after=(bottom, right)``."""
    pads = [(0, 0)] * (x.ndim - 2) + [(max(before[0], 0), max(after[0], 0)), (max(before[1], 0), max(after[1], 0))]
    x = np.pad(x, pads)
    H, W = x.shape[-2:]
    return x[..., max(-before[0], 0) : H - max(-after[0], 0), max(-before[1], 0) : W - max(-after[1], 0)]


def conv_transpose2d(dz, w, stride=1, padding=0, dilation=1, output_padding=0):
    """Transposed convolution (PyTorch's ``conv_transpose2d``) as dilate + pad + cross-correlation with ``rot180(w)``.

    Parameters
    ----------
    dz : array of shape (N, K, Ho, Wo)
    w : array of shape (K, C, kh, kw)
        The forward kernel (output channels first, as in ``conv2d``).
    stride, padding, dilation : int or (h, w) pair
        Those of the forward ``conv2d`` this transposes.
    output_padding : int or (h, w) pair
        Extra rows/columns at the bottom/right (the forward leftover ``r``), each < stride.

    Returns
    -------
    array of shape (N, C, H, W) with ``H = (Ho - 1)*sh - 2*ph + dh*(kh - 1) + oh + 1`` (``W`` likewise):
    ``conv2d(pad(dilate(dz, s)), rot180(w) with K and C swapped, dilation=d)``.
    """
    dz, w = as_array(dz, "dz"), as_array(w, "w")
    if dz.ndim != 4 or w.ndim != 4 or dz.shape[1] != w.shape[0]:
        raise ValueError(f"dz must be (N, K, Ho, Wo) and w (K, C, kh, kw) with the same K; got {dz.shape} and {w.shape}")
    s, p, d = pair(stride, "stride", 1), pair(padding, "padding", 0), pair(dilation, "dilation", 1)
    op = pair(output_padding, "output_padding", 0)
    if op[0] >= s[0] or op[1] >= s[1]:
        raise ValueError(f"output_padding {op} must be smaller than stride {s}")
    kh, kw = w.shape[2:]
    before = (d[0] * (kh - 1) - p[0], d[1] * (kw - 1) - p[1])
    after = (before[0] + op[0], before[1] + op[1])
    dzp = _pad_or_crop(dilate(dz, s), before, after)
    return conv2d(dzp, rot180(w).transpose(1, 0, 2, 3), dilation=d)


def conv2d_dgrad_transposed(dz, w, x_shape, stride=1, padding=0, dilation=1):
    """dgrad ``dL/dx`` of ``conv2d`` as a transposed convolution (equals ``bplib.conv2d_dgrad``).

    dz: (N, K, Ho, Wo), w: (K, C, kh, kw), x_shape = (N, C, H, W) -> dx of shape x_shape.
    The leftover rows ``r = (H + 2p - d*(kh - 1) - 1) mod s`` become the ``output_padding``.
    """
    N, C, H, W = x_shape
    K, _, kh, kw = np.shape(w)
    conv2d_output_shape(x_shape, np.shape(w), stride, padding, dilation)  # validates the geometry
    s, p, d = pair(stride, "stride", 1), pair(padding, "padding", 0), pair(dilation, "dilation", 1)
    (top, bottom), (left, right) = (dgrad_padding(n, k, s_, p_, d_) for n, k, s_, p_, d_
                                    in ((H, kh, s[0], p[0], d[0]), (W, kw, s[1], p[1], d[1])))
    return conv_transpose2d(dz, w, s, p, d, output_padding=(bottom - top, right - left))


def wgrad_by_correlation(dz, x, w_shape, stride=1, padding=0, dilation=1):
    """wgrad ``dL/dw`` of ``conv2d`` as a correlation of the padded input with δ dilated by the stride.

    ``dw[k, c] = (x_pad[:, c] ⋆ dilate(dz[:, k], s))`` evaluated with stride ``d``
    (the forward dilation) and summed over the batch; the first ``kh x kw``
    outputs are kept (further ones exist only when the forward left rows unused).

    dz: (N, K, Ho, Wo), x: (N, C, H, W), w_shape = (K, C, kh, kw) -> dw: (K, C, kh, kw).
    """
    dz, x = as_array(dz, "dz"), as_array(x, "x")
    K, C, kh, kw = w_shape
    conv2d_output_shape(x.shape, w_shape, stride, padding, dilation)  # validates the geometry
    s, p, d = pair(stride, "stride", 1), pair(padding, "padding", 0), pair(dilation, "dilation", 1)
    xp = _pad_or_crop(x, p, p)
    # the batch plays the role of the channel axis: (C, N, Hp, Wp) correlated with (K, N, ., .) -> (C, K, ., .)
    out = conv2d(xp.transpose(1, 0, 2, 3), dilate(dz, s).transpose(1, 0, 2, 3), stride=d)
    return np.ascontiguousarray(out[:, :, :kh, :kw].transpose(1, 0, 2, 3))
