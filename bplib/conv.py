"""The 2-D convolution layer as pure functions: forward, dgrad, wgrad, bias gradient.

Layout is NCHW, kernels are ``(K, C, kh, kw)`` and biases ``(K,)``, as in
PyTorch. The forward "convolution" is a cross-correlation, as in every
deep-learning library:

    z[n, k, u, v] = b[k] + sum_{c, i, j} x_pad[n, c, u*sh + i*dh, v*sw + j*dw] * w[k, c, i, j]

with output size ``Ho = (H + 2*ph - dh*(kh - 1) - 1) // sh + 1`` (likewise ``Wo``).

The functions are written with array operations only, never a Python loop over
pixels or batch items. The columns are laid out per image, ``(N, C*kh*kw,
Ho*Wo)`` ("im2col"), so that every product is a batched matrix product whose
result is already in NCHW order: the forward is ``W (K, C*kh*kw) @ cols``, the
dgrad ``W^T @ dz`` followed by adding its ``kh*kw`` slices back onto the input
grid with strided slices, the wgrad ``dz @ cols^T`` summed over the batch.
Large batches are split between two threads (see ``bplib._parallel``).

The same code runs on NumPy arrays of ``dtype=object`` holding SymPy
expressions and then returns the exact symbolic result: the book derives with
the code that computes.
"""
from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from . import _parallel
from ._checks import as_array, check_ndim, check_numeric_or_object, pair, shape4

__all__ = [
    "conv2d",
    "conv2d_dgrad",
    "conv2d_wgrad",
    "conv2d_bgrad",
    "conv2d_output_shape",
    "conv2d_with_columns",
    "conv2d_wgrad_from_columns",
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


def _im2col(x, kh, kw, s, p, d, out):
    """Columns ``(N, C*kh*kw, Ho*Wo)``: column ``u*Wo + v`` of image ``n`` is its receptive field at ``(u, v)``.

    One copy of the strided window view, read with the output width innermost
    (contiguous in the input for stride 1), so the copy streams through memory.
    """
    N, C = x.shape[:2]
    cols = np.empty((N, C, kh, kw, out[0], out[1]), dtype=x.dtype)
    _im2col_into(cols, x, s, p, d)
    return cols.reshape(N, C * kh * kw, out[0] * out[1])


def _im2col_into(cols6, x, s, p, d):
    """Copy the receptive fields of ``x`` into ``cols6`` of shape (N, C, kh, kw, Ho, Wo)."""
    v = _windows(_pad(x, p), cols6.shape[2], cols6.shape[3], s, d)   # (N, C, Ho, Wo, kh, kw), a view
    cols6[...] = v.transpose(0, 1, 4, 5, 2, 3)


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
    return conv2d_with_columns(x, w, b, stride, padding, dilation)[0]


def conv2d_with_columns(x, w, b=None, stride=1, padding=0, dilation=1):
    """``conv2d`` that also returns its im2col matrix ``cols`` of shape ``(N, C*kh*kw, Ho*Wo)``.

    A layer keeps ``cols`` from the forward pass and hands it to
    ``conv2d_wgrad_from_columns`` in the backward pass, saving a second copy of
    the receptive fields. Arguments and ``z`` as in ``conv2d``.
    """
    x, w = _check_conv_args(x, w)
    if b is not None:
        b = as_array(b, "b")
        if b.shape != (w.shape[0],):
            raise ValueError(
                f"b must have shape (K,) = ({w.shape[0]},) for w of shape {w.shape}, got {b.shape}"
            )
    return _forward(x, w, b, *_geometry(x.shape, w.shape, stride, padding, dilation))


def _forward(x, w, b, s, p, d, out):
    """``conv2d`` on checked arguments; also returns the columns, which ``conv2d_wgrad_from_columns`` reuses."""
    K, C, kh, kw = w.shape
    N, P = x.shape[0], out[0] * out[1]
    w2 = w.reshape(K, C * kh * kw)
    cols = np.empty((N, C * kh * kw, P), dtype=x.dtype)               # (N, C*kh*kw, Ho*Wo)
    z = np.empty((N, K, P), dtype=np.result_type(w, x))

    def part(sl):
        _im2col_into(cols[sl].reshape(-1, C, kh, kw, out[0], out[1]), x[sl], s, p, d)
        np.matmul(w2, cols[sl], out=z[sl])                              # one GEMM per image

    _parallel.run(part, _parallel.batch_slices(N, N * K * C * kh * kw * P, z.dtype))
    z = z.reshape(N, K, out[0], out[1])
    if b is not None:
        if np.result_type(z, b) == z.dtype:
            z += b.reshape(1, -1, 1, 1)                     # in place: no second output-sized array
        else:
            z = z + b.reshape(1, -1, 1, 1)
    return z, cols


def conv2d_wgrad_from_columns(dz, cols, w_shape):
    """Weight gradient from the forward's columns: ``dw = sum_n dz[n] @ cols[n]^T``.

    Parameters
    ----------
    dz : array of shape (N, K, Ho, Wo)
    cols : array of shape (N, C*kh*kw, Ho*Wo), from ``conv2d_with_columns``
    w_shape : tuple (K, C, kh, kw)

    Returns
    -------
    dw : array of shape (K, C, kh, kw), equal to ``conv2d_wgrad(dz, x, w_shape, ...)``
    """
    dz = as_array(dz, "dz")
    cols = as_array(cols, "cols")
    check_ndim(dz, 4, "dz", "(N, K, Ho, Wo)")
    check_ndim(cols, 3, "cols", "(N, C*kh*kw, Ho*Wo)")
    K, C, kh, kw = shape4(w_shape, "w_shape")
    N, _, Ho, Wo = dz.shape
    if dz.shape[:2] != (cols.shape[0], K) or cols.shape[1:] != (C * kh * kw, Ho * Wo):
        raise ValueError(f"dz of shape {dz.shape} and cols of shape {cols.shape} do not fit w_shape {w_shape}: "
                         f"cols must have shape ({N}, {C * kh * kw}, {Ho * Wo})")
    return _wgrad(dz, cols, w_shape)


def _wgrad(dz, cols, w_shape):
    N, K = dz.shape[:2]
    dz3 = dz.reshape(N, K, -1)

    def part(sl):
        return np.matmul(dz3[sl], cols[sl].transpose(0, 2, 1)).sum(axis=0)

    partial = _parallel.run(part, _parallel.batch_slices(N, dz3.size * cols.shape[1], np.result_type(dz, cols)))
    return sum(partial[1:], partial[0]).reshape(w_shape)


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
    wT = w.reshape(K, C * kh * kw).T
    dz3 = dz.reshape(N, K, Ho * Wo)
    dx = np.empty((N, C, H, W), dtype=np.result_type(w, dz))

    def part(sl):
        # W^T (C*kh*kw, K) @ dz[n] (K, Ho*Wo): what every kernel tap sends back from every output position
        contrib = np.matmul(wT, dz3[sl]).reshape(-1, C, kh, kw, Ho, Wo)
        dxp = np.zeros((contrib.shape[0], C, H + 2 * p[0], W + 2 * p[1]), dtype=dx.dtype)
        for i in range(kh):                                  # scatter-back: one strided add per tap
            for j in range(kw):
                r, c = i * d[0], j * d[1]
                dxp[:, :, r : r + s[0] * (Ho - 1) + 1 : s[0], c : c + s[1] * (Wo - 1) + 1 : s[1]] += contrib[:, :, i, j]
        dx[sl] = dxp[:, :, p[0] : p[0] + H, p[1] : p[1] + W]

    _parallel.run(part, _parallel.batch_slices(N, N * K * C * kh * kw * Ho * Wo, dx.dtype))
    return dx


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
    return _wgrad(dz, _im2col(x, kh, kw, s, p, d, (Ho, Wo)), w_shape)


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
