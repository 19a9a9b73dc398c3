"""The 2-D convolution layer as pure functions: forward, dgrad, wgrad, bias gradient.

Layout is NCHW, kernels are ``(K, C, kh, kw)`` and biases ``(K,)``, as in
PyTorch. The forward "convolution" is a cross-correlation, as in every
deep-learning library:

    z[n, k, u, v] = b[k] + sum_{c, i, j} x_pad[n, c, u*sh + i*dh, v*sw + j*dw] * w[k, c, i, j]

with output size ``Ho = (H + 2*ph - dh*(kh - 1) - 1) // sh + 1`` (likewise ``Wo``).

The functions are written with array operations only (a strided window view,
one ``tensordot`` and a loop over the ``kh*kw`` kernel offsets), never a Python
loop over pixels or batch items. The same code runs on NumPy arrays of
``dtype=object`` holding SymPy expressions and then returns the exact symbolic
result: the book derives with the code that computes.
"""
from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._checks import as_array, check_ndim, check_numeric_or_object, pair, shape4

__all__ = [
    "conv2d",
    "conv2d_dgrad",
    "conv2d_wgrad",
    "conv2d_bgrad",
    "conv2d_output_shape",
    "rot180",
]

_NCHW = "(N, C, H, W)"
_KCHW = "(K, C, kh, kw)"


def _geometry(x_shape, w_shape, stride, padding, dilation):
    """Check the hyper-parameters against the shapes; return ``(s, p, d, (Ho, Wo))``."""
    s = pair(stride, "stride", 1)
    p = pair(padding, "padding", 0)
    d = pair(dilation, "dilation", 1)
    N, C, H, W = x_shape
    K, Cw, kh, kw = w_shape
    if C != Cw:
        raise ValueError(
            f"channel mismatch: x has C={C} channels (shape {tuple(x_shape)}) but w expects "
            f"C={Cw} (shape {tuple(w_shape)})"
        )
    span = (d[0] * (kh - 1) + 1, d[1] * (kw - 1) + 1)
    padded = (H + 2 * p[0], W + 2 * p[1])
    if span[0] > padded[0] or span[1] > padded[1]:
        raise ValueError(
            f"kernel larger than the padded input: w of shape {tuple(w_shape)} with dilation {d} "
            f"spans {span}, but x of shape {tuple(x_shape)} with padding {p} is only {padded}"
        )
    out = ((padded[0] - span[0]) // s[0] + 1, (padded[1] - span[1]) // s[1] + 1)
    return s, p, d, out


def conv2d_output_shape(x_shape, w_shape, stride=1, padding=0, dilation=1):
    """Shape ``(N, K, Ho, Wo)`` of ``conv2d`` for an input of ``x_shape`` and kernels of ``w_shape``.

    ``Ho = (H + 2*ph - dh*(kh - 1) - 1) // sh + 1`` and ``Wo`` likewise.
    """
    x_shape = shape4(x_shape, "x_shape")
    w_shape = shape4(w_shape, "w_shape")
    _, _, _, (Ho, Wo) = _geometry(x_shape, w_shape, stride, padding, dilation)
    return (x_shape[0], w_shape[0], Ho, Wo)


def _pad(x, p):
    if p == (0, 0):
        return x
    return np.pad(x, ((0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])))


def _windows(xp, kh, kw, s, d):
    """Strided view ``(N, C, Ho, Wo, kh, kw)`` of every receptive field of the padded input (no copy)."""
    span = (d[0] * (kh - 1) + 1, d[1] * (kw - 1) + 1)
    v = sliding_window_view(xp, span, axis=(2, 3))
    return v[:, :, :: s[0], :: s[1], :: d[0], :: d[1]]


def _check_conv_args(x, w, name_x="x"):
    x = as_array(x, name_x)
    w = as_array(w, "w")
    check_ndim(x, 4, name_x, _NCHW)
    check_ndim(w, 4, "w", _KCHW)
    check_numeric_or_object(x, name_x)
    check_numeric_or_object(w, "w")
    return x, w


def conv2d(x, w, b=None, stride=1, padding=0, dilation=1):
    """Forward pass of a convolution layer (a cross-correlation, as in PyTorch).

    Parameters
    ----------
    x : array of shape (N, C, H, W)
        Input activations ``a^{l-1}``.
    w : array of shape (K, C, kh, kw)
        One ``(C, kh, kw)`` kernel per output channel: ``K*C`` 2-D kernels in all.
    b : array of shape (K,), optional
        One bias per output channel, shared by every output position.
    stride, padding, dilation : int or (h, w) pair
        Step of the window, zeros added on each side, spacing of the kernel taps.

    Returns
    -------
    z : array of shape (N, K, Ho, Wo)
        ``z[n, k, u, v] = b[k] + sum_{c,i,j} x_pad[n, c, u*sh + i*dh, v*sw + j*dw] * w[k, c, i, j]``
        with ``Ho = (H + 2*ph - dh*(kh - 1) - 1) // sh + 1``, ``Wo`` likewise.
    """
    x, w = _check_conv_args(x, w)
    if b is not None:
        b = as_array(b, "b")
        if b.shape != (w.shape[0],):
            raise ValueError(
                f"b must have shape (K,) = ({w.shape[0]},) for w of shape {w.shape}, got {b.shape}"
            )
    s, p, d, _ = _geometry(x.shape, w.shape, stride, padding, dilation)
    cols = _windows(_pad(x, p), w.shape[2], w.shape[3], s, d)
    # (K, C, kh, kw) . (N, C, Ho, Wo, kh, kw) over (C, kh, kw) -> (K, N, Ho, Wo): one GEMM
    z = np.tensordot(w, cols, axes=([1, 2, 3], [1, 4, 5])).transpose(1, 0, 2, 3)
    if b is not None:
        z = z + b.reshape(1, -1, 1, 1)
    return np.ascontiguousarray(z)


def _check_dz(dz, expected, what):
    dz = as_array(dz, "dz")
    check_ndim(dz, 4, "dz", "(N, K, Ho, Wo)")
    check_numeric_or_object(dz, "dz")
    if dz.shape != expected:
        raise ValueError(f"dz must have the shape conv2d produces, {expected}, for {what}; got {dz.shape}")
    return dz


def conv2d_dgrad(dz, w, x_shape, stride=1, padding=0, dilation=1):
    """Data gradient (dgrad) ``dx = dL/dx`` of a convolution layer, given ``dz = dL/dz``.

    Each input pixel collects ``dz * w`` from every output whose window covered
    it. For stride 1 and no padding this is the full cross-correlation of the
    zero-padded ``dz`` with ``rot180(w)``; in general, a transposed convolution.
    Computed as one GEMM ``w^T dz`` followed by scattering its ``kh*kw`` slices
    back onto the input grid.

    Parameters
    ----------
    dz : array of shape (N, K, Ho, Wo)
    w : array of shape (K, C, kh, kw)
    x_shape : tuple (N, C, H, W)
        Shape of the forward input.
    stride, padding, dilation : as in ``conv2d``.

    Returns
    -------
    dx : array of shape (N, C, H, W)
        ``dx[n, c, h, w'] = sum_{k,u,v,i,j : u*sh + i*dh - ph = h, v*sw + j*dw - pw = w'} dz[n, k, u, v] * w[k, c, i, j]``
    """
    w = as_array(w, "w")
    check_ndim(w, 4, "w", _KCHW)
    check_numeric_or_object(w, "w")
    x_shape = shape4(x_shape, "x_shape")
    s, p, d, (Ho, Wo) = _geometry(x_shape, w.shape, stride, padding, dilation)
    N, C, H, W = x_shape
    K, _, kh, kw = w.shape
    dz = _check_dz(dz, (N, K, Ho, Wo), f"x_shape {x_shape} and w of shape {w.shape}")
    # (K, C, kh, kw) . (N, K, Ho, Wo) over K -> (C, kh, kw, N, Ho, Wo): one GEMM
    contrib = np.tensordot(w, dz, axes=([0], [1]))
    dxp = np.zeros((C, N, H + 2 * p[0], W + 2 * p[1]), dtype=contrib.dtype)
    for i in range(kh):
        for j in range(kw):
            r, c = i * d[0], j * d[1]
            dxp[:, :, r : r + s[0] * (Ho - 1) + 1 : s[0], c : c + s[1] * (Wo - 1) + 1 : s[1]] += contrib[:, i, j]
    dx = dxp[:, :, p[0] : p[0] + H, p[1] : p[1] + W].transpose(1, 0, 2, 3)
    return np.ascontiguousarray(dx)


def conv2d_wgrad(dz, x, w_shape, stride=1, padding=0, dilation=1):
    """Weight gradient (wgrad) ``dw = dL/dw`` of a convolution layer, given ``dz = dL/dz``.

    Weight sharing: each kernel weight is used at every output position, so its
    gradient sums ``dz * x`` over all positions and over the batch. For stride 1
    it is the cross-correlation of the input with ``dz``.

    Parameters
    ----------
    dz : array of shape (N, K, Ho, Wo)
    x : array of shape (N, C, H, W)
        The forward input.
    w_shape : tuple (K, C, kh, kw)
    stride, padding, dilation : as in ``conv2d``.

    Returns
    -------
    dw : array of shape (K, C, kh, kw)
        ``dw[k, c, i, j] = sum_{n,u,v} dz[n, k, u, v] * x_pad[n, c, u*sh + i*dh, v*sw + j*dw]``
    """
    x = as_array(x, "x")
    check_ndim(x, 4, "x", _NCHW)
    check_numeric_or_object(x, "x")
    w_shape = shape4(w_shape, "w_shape")
    s, p, d, (Ho, Wo) = _geometry(x.shape, w_shape, stride, padding, dilation)
    K, C, kh, kw = w_shape
    dz = _check_dz(dz, (x.shape[0], K, Ho, Wo), f"x of shape {x.shape} and w_shape {w_shape}")
    cols = _windows(_pad(x, p), kh, kw, s, d)
    # (N, C, Ho, Wo, kh, kw) . (N, K, Ho, Wo) over (N, Ho, Wo) -> (C, kh, kw, K): one GEMM
    dw = np.tensordot(cols, dz, axes=([0, 2, 3], [0, 2, 3])).transpose(3, 0, 1, 2)
    return np.ascontiguousarray(dw)


def conv2d_bgrad(dz):
    """Bias gradient ``db = dL/db`` of a convolution layer: ``db[k] = sum_{n,u,v} dz[n, k, u, v]``.

    The bias of channel ``k`` is added at every output position, so its gradient
    is the sum of ``dz`` over the batch and over the ``Ho x Wo`` map.

    Parameters
    ----------
    dz : array of shape (N, K, Ho, Wo)

    Returns
    -------
    db : array of shape (K,)
    """
    dz = as_array(dz, "dz")
    check_ndim(dz, 4, "dz", "(N, K, Ho, Wo)")
    check_numeric_or_object(dz, "dz")
    return dz.sum(axis=(0, 2, 3))


def rot180(w):
    """The kernel turned by 180 degrees in its last two axes: ``rot180(w)[..., i, j] = w[..., kh-1-i, kw-1-j]``.

    Parameters
    ----------
    w : array of shape (..., kh, kw)

    Returns
    -------
    array of shape (..., kh, kw)
        A view; no data is copied.
    """
    w = as_array(w, "w")
    if w.ndim < 2:
        raise ValueError(f"w must have at least 2 dimensions (..., kh, kw), got shape {w.shape}")
    return w[..., ::-1, ::-1]
