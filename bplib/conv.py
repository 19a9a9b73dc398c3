"""The 2-D convolution layer as pure functions: forward, dgrad, wgrad, bias gradient.

Layout is NCHW, kernels are ``(K, C, kh, kw)`` and biases ``(K,)``, as in
PyTorch. The forward "convolution" is a cross-correlation (⋆), as in every
deep-learning library; with stride ``S``, padding ``P`` and dilation ``D``

    z[n, k, u, v] = b[k] + sum_{c, p, q} a_pad[n, c, u*S + p*D, v*S + q*D] * w[k, c, p, q]

and ``H_out = (H_in + 2P - D*(kh - 1) - 1) // S + 1`` (``W_out`` likewise).

How it computes: the receptive fields are copied into columns, image by image
("im2col", ``(N, C*kh*kw, H_out*W_out)``), so that every pass is one matrix
product per image whose result is already in NCHW order:

* forward: ``z = W cols``, with ``W`` the kernels as a ``(K, C*kh*kw)`` matrix;
* dgrad: ``W^T dz``, whose block for kernel entry ``(p, q)`` is added back onto
  the input positions that entry read (one strided slice per entry); the
  padding is then cropped;
* wgrad: ``dz cols^T``, summed over the batch.

The module reads top to bottom: first the math of each pass on one slice of
the batch (``_im2col``, ``_forward``, ``_dgrad``, ``_wgrad``: short functions
of arrays), then the public functions, which check their arguments, compute
the geometry once (``bplib._geometry``), and apply the math over the batch with
``bplib._parallel.over_batch`` (two threads on large batches).

The same code runs on NumPy arrays of ``dtype=object`` holding SymPy
expressions and then returns the exact symbolic result: the book derives with
the code that computes.
"""
from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import ArrayLike

from ._checks import IntPair, as_common_dtype, check_array, check_shape, common_dtype
from ._geometry import Geometry, conv_geometry, pad
from ._parallel import over_batch

__all__ = [
    "conv2d",
    "conv2d_dgrad",
    "conv2d_wgrad",
    "conv2d_bgrad",
    "conv2d_output_shape",
    "rot180",
    "conv2d_with_columns",
    "conv2d_wgrad_from_columns",
]

_NCHW, _KCHW, _DZ = "(N, C, H, W)", "(K, C, kh, kw)", "(N, K, H_out, W_out)"


# ----------------------------------------------------------------------------- the math, one slice of the batch
def _im2col(x: np.ndarray, g: Geometry, out: np.ndarray | None = None) -> np.ndarray:
    """Columns ``(n, C*kh*kw, H_out*W_out)``: ``cols[n, (c, p, q), (u, v)] = x_pad[n, c, u*S + p*D, v*S + q*D]``.

    One copy of a strided view of every window (no data is copied before it),
    read with the output width innermost so that it streams through memory;
    written into ``out`` when given.
    """
    n, C = x.shape[:2]
    shape6 = (n, C) + g.kernel + g.out
    cols = np.empty(shape6, dtype=x.dtype) if out is None else out.reshape(shape6)
    (S_h, S_w), (D_h, D_w) = g.stride, g.dilation
    windows = sliding_window_view(pad(x, g.padding), g.span, axis=(2, 3))   # (n, C, ., ., span_h, span_w)
    cols[...] = windows[:, :, ::S_h, ::S_w, ::D_h, ::D_w].transpose(0, 1, 4, 5, 2, 3)
    return cols.reshape(n, C * g.kernel[0] * g.kernel[1], -1)


def _forward(x: np.ndarray, w_mat: np.ndarray, g: Geometry, cols: np.ndarray, z: np.ndarray) -> None:
    """``cols = im2col(x)``, then ``z = W cols`` (one product per image): ``z`` of shape ``(n, K, H_out*W_out)``."""
    np.matmul(w_mat, _im2col(x, g, out=cols), out=z)


def _dgrad(dz: np.ndarray, w_mat: np.ndarray, g: Geometry, dx: np.ndarray) -> None:
    """``dx``: what every kernel entry sends back, ``W^T dz``, added where that entry read, then cropped."""
    n, C = dx.shape[:2]
    sent = np.matmul(w_mat.T, dz.reshape(n, dz.shape[1], -1)).reshape((n, C) + g.kernel + g.out)
    dx_pad = np.zeros((n, C, g.rows.padded, g.cols.padded), dtype=dx.dtype)
    for p, q in g.entries:
        dx_pad[g.tap(p, q)] += sent[:, :, p, q]
    dx[...] = pad(dx_pad, (-g.rows.padding, -g.cols.padding))


def _wgrad(dz: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """``sum_n dz[n] cols[n]^T``: the weight gradient of one slice, a ``(K, C*kh*kw)`` matrix."""
    n, K = dz.shape[:2]
    return np.matmul(dz.reshape(n, K, -1), cols.transpose(0, 2, 1)).sum(axis=0)


def _sum(parts: list[np.ndarray]) -> np.ndarray:
    return sum(parts[1:], parts[0])


# ----------------------------------------------------------------------------- the public functions
def conv2d_output_shape(x_shape: tuple[int, int, int, int], w_shape: tuple[int, int, int, int],
                        stride: IntPair = 1, padding: IntPair = 0, dilation: IntPair = 1) -> tuple[int, int, int, int]:
    """Shape ``(N, K, H_out, W_out)`` of ``conv2d`` for an input of ``x_shape`` and kernels of ``w_shape``.

    ``H_out = (H_in + 2P - D*(kh - 1) - 1) // S + 1`` and ``W_out`` likewise.
    Derived in book/part2/conv_forward.ipynb (The convolution layer, forward).
    """
    g = conv_geometry(x_shape, w_shape, stride, padding, dilation)
    return (int(x_shape[0]), int(w_shape[0])) + g.out


def conv2d(x: ArrayLike, w: ArrayLike, b: ArrayLike | None = None, stride: IntPair = 1, padding: IntPair = 0,
           dilation: IntPair = 1) -> np.ndarray:
    """Forward pass of a convolution layer (a cross-correlation, as in PyTorch).

    Derived in book/part2/conv_forward.ipynb (The convolution layer, forward);
    stride, padding and dilation in book/part2/stride_padding_dilation.ipynb.

    Parameters
    ----------
    x : array of shape (N, C, H_in, W_in)
        Input activations ``a^{(l-1)}``.
    w : array of shape (K, C, kh, kw)
        One ``(C, kh, kw)`` kernel per output channel: ``K*C`` 2-D kernels ``W_{k,c}`` in all.
    b : array of shape (K,), optional
        One bias per output channel, shared by every output position.
    stride : int or (h, w) pair
        ``S``, the step of the window.
    padding : int or (h, w) pair
        ``P``, the zeros added on each side.
    dilation : int or (h, w) pair
        ``D``, the spacing of the kernel taps.

    Returns
    -------
    z : array of shape (N, K, H_out, W_out)
        ``z[n, k, u, v] = b[k] + sum_{c,p,q} a_pad[n, c, u*S + p*D, v*S + q*D] * w[k, c, p, q]``
        with ``H_out = (H_in + 2P - D*(kh - 1) - 1) // S + 1``, ``W_out`` likewise.
    """
    return conv2d_with_columns(x, w, b, stride, padding, dilation)[0]


def conv2d_with_columns(x: ArrayLike, w: ArrayLike, b: ArrayLike | None = None, stride: IntPair = 1,
                        padding: IntPair = 0, dilation: IntPair = 1) -> tuple[np.ndarray, np.ndarray]:
    """``conv2d`` that also returns its im2col matrix ``cols`` of shape ``(N, C*kh*kw, H_out*W_out)``.

    ``bplib.Conv2d`` keeps ``cols`` from the forward pass and hands it to
    ``conv2d_wgrad_from_columns`` in the backward pass, saving a second copy of
    the receptive fields. Arguments and ``z`` as in ``conv2d`` (book/part2/conv_forward.ipynb);
    book/part2/conv_as_matrix.ipynb builds ``cols`` (im2col); the speed-up is measured in
    book/part3/performance.md.
    """
    x, w = check_array(x, "x", _NCHW), check_array(w, "w", _KCHW)
    if b is not None:
        b = check_array(b, "b", "(K,)", shape=(w.shape[0],), why=f"for w of shape {w.shape}")
    dtype = common_dtype(x=x, w=w, b=b)
    g = conv_geometry(x.shape, w.shape, stride, padding, dilation)
    N, K, taps = x.shape[0], w.shape[0], w[0].size
    w_mat = w.reshape(K, taps).astype(dtype, copy=False)
    cols = np.empty((N, taps, g.out[0] * g.out[1]), dtype=dtype)
    z = np.empty((N, K, g.out[0] * g.out[1]), dtype=dtype)
    over_batch(lambda s: _forward(x[s], w_mat, g, cols[s], z[s]), N, z.size * taps, dtype)
    z = z.reshape((N, K) + g.out)
    if b is not None:
        z += b.reshape(1, K, 1, 1)
    return z, cols


def conv2d_dgrad(dz: ArrayLike, w: ArrayLike, x_shape: tuple[int, int, int, int], stride: IntPair = 1,
                 padding: IntPair = 0, dilation: IntPair = 1) -> np.ndarray:
    """Data gradient (dgrad) ``dx = dL/dx`` of a convolution layer, given ``dz = dL/dz = δ``.

    Each input entry collects ``δ * w`` from every output whose window covered
    it. For stride 1 and no padding this is the full cross-correlation of the
    zero-padded δ with ``rot180(w)``; in general, a transposed convolution.
    Derived in book/part2/conv_dgrad.ipynb (The input gradient and the 180°
    rotation); stride, padding and dilation in book/part2/stride_padding_dilation.ipynb.

    Parameters
    ----------
    dz : array of shape (N, K, H_out, W_out)
    w : array of shape (K, C, kh, kw)
    x_shape : tuple (N, C, H_in, W_in)
        Shape of the forward input.
    stride, padding, dilation : as in ``conv2d``.

    Returns
    -------
    dx : array of shape (N, C, H_in, W_in)
        ``dx[n, c, i, j] = sum of dz[n, k, u, v] * w[k, c, p, q]`` over every ``(k, u, v, p, q)``
        with ``u*S + p*D - P = i`` and ``v*S + q*D - P = j``.
    """
    w, x_shape = check_array(w, "w", _KCHW), check_shape(x_shape, "x_shape", _NCHW)
    g = conv_geometry(x_shape, w.shape, stride, padding, dilation)
    N, K, taps = x_shape[0], w.shape[0], w[0].size
    dz = check_array(dz, "dz", _DZ, shape=(N, K) + g.out, why=f"(what conv2d gives for x_shape {x_shape} "
                     f"and w of shape {w.shape})")
    dz, w = as_common_dtype(dz=dz, w=w)
    w_mat, dtype = w.reshape(K, taps), dz.dtype
    dx = np.empty(x_shape, dtype=dtype)
    over_batch(lambda s: _dgrad(dz[s], w_mat, g, dx[s]), N, dz.size * taps, dtype)
    return dx


def conv2d_wgrad(dz: ArrayLike, x: ArrayLike, w_shape: tuple[int, int, int, int], stride: IntPair = 1,
                 padding: IntPair = 0, dilation: IntPair = 1) -> np.ndarray:
    """Weight gradient (wgrad) ``dw = dL/dw`` of a convolution layer, given ``dz = dL/dz = δ``.

    Weight sharing: each kernel entry is used at every output position, so its
    gradient sums ``δ * a`` over all positions and over the batch. For stride 1
    it is the cross-correlation of the input with δ. Derived in
    book/part2/conv_wgrad.ipynb (The weight gradient and the bias gradient);
    stride, padding and dilation in book/part2/stride_padding_dilation.ipynb.

    Parameters
    ----------
    dz : array of shape (N, K, H_out, W_out)
    x : array of shape (N, C, H_in, W_in)
        The forward input.
    w_shape : tuple (K, C, kh, kw)
    stride, padding, dilation : as in ``conv2d``.

    Returns
    -------
    dw : array of shape (K, C, kh, kw)
        ``dw[k, c, p, q] = sum_{n,u,v} dz[n, k, u, v] * a_pad[n, c, u*S + p*D, v*S + q*D]``
    """
    x, w_shape = check_array(x, "x", _NCHW), check_shape(w_shape, "w_shape", _KCHW)
    g = conv_geometry(x.shape, w_shape, stride, padding, dilation)
    dz = check_array(dz, "dz", _DZ, shape=(x.shape[0], w_shape[0]) + g.out,
                     why=f"(what conv2d gives for x of shape {x.shape} and w_shape {w_shape})")
    dz, x = as_common_dtype(dz=dz, x=x)
    taps = w_shape[1] * w_shape[2] * w_shape[3]
    parts = over_batch(lambda s: _wgrad(dz[s], _im2col(x[s], g)), x.shape[0], dz.size * taps, dz.dtype)
    return _sum(parts).reshape(w_shape)


def conv2d_wgrad_from_columns(dz: ArrayLike, cols: ArrayLike, w_shape: tuple[int, int, int, int]) -> np.ndarray:
    """Weight gradient from the forward's columns: ``dw = sum_n dz[n] @ cols[n]^T``.

    The wgrad of book/part2/conv_wgrad.ipynb as one matrix product per image.

    Parameters
    ----------
    dz : array of shape (N, K, H_out, W_out)
    cols : array of shape (N, C*kh*kw, H_out*W_out), from ``conv2d_with_columns``
    w_shape : tuple (K, C, kh, kw)

    Returns
    -------
    dw : array of shape (K, C, kh, kw), equal to ``conv2d_wgrad(dz, x, w_shape, ...)``
    """
    dz = check_array(dz, "dz", _DZ)
    K, C, kh, kw = check_shape(w_shape, "w_shape", _KCHW)
    N, _, Ho, Wo = dz.shape
    cols = check_array(cols, "cols", "(N, C*kh*kw, H_out*W_out)", shape=(N, C * kh * kw, Ho * Wo),
                       why=f"for dz of shape {dz.shape} and w_shape {w_shape}")
    if dz.shape[1] != K:
        raise ValueError(f"dz has {dz.shape[1]} channels but w_shape {w_shape} has K={K}")
    dz, cols = as_common_dtype(dz=dz, cols=cols)
    parts = over_batch(lambda s: _wgrad(dz[s], cols[s]), N, dz.size * cols.shape[1], dz.dtype)
    return _sum(parts).reshape(w_shape)


def conv2d_bgrad(dz: ArrayLike) -> np.ndarray:
    """Bias gradient ``db = dL/db`` of a convolution layer: ``db[k] = sum_{n,u,v} dz[n, k, u, v]``.

    The bias of channel ``k`` is added at every output position, so its gradient
    is the sum of δ over the batch and over the ``H_out x W_out`` map. Derived in
    book/part2/conv_wgrad.ipynb (The weight gradient and the bias gradient).

    Parameters
    ----------
    dz : array of shape (N, K, H_out, W_out)

    Returns
    -------
    db : array of shape (K,)
    """
    return check_array(dz, "dz", _DZ).sum(axis=(0, 2, 3))


def rot180(w: ArrayLike) -> np.ndarray:
    """The kernel turned by 180 degrees in its last two axes: ``rot180(w)[..., p, q] = w[..., kh-1-p, kw-1-q]``.

    Derived in book/part2/conv_dgrad.ipynb (The input gradient and the 180° rotation).

    Parameters
    ----------
    w : array of shape (..., kh, kw)

    Returns
    -------
    array of shape (..., kh, kw)
        A view; no data is copied.
    """
    w = check_array(w, "w")
    if w.ndim < 2:
        raise ValueError(f"w must have at least 2 dimensions (..., kh, kw), got shape {w.shape}")
    return w[..., ::-1, ::-1]
