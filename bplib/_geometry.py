"""Window geometry: where a kernel reads, computed once per call and passed on by name.

A kernel of size ``k``, dilated by ``D`` and moved with stride ``S`` over an
input of size ``H`` padded with ``P`` zeros on each side reads, for output ``u``
and kernel entry ``p`` (0-based), the padded input at row ``u*S + p*D``. Every
other size follows from that, per axis (book/notation.md):

    span     = D*(k - 1) + 1                 rows one window covers
    out      = (H + 2P - span) // S + 1      H_out, the output size
    covered  = S*(out - 1) + span            padded rows that some window reaches
    leftover = H + 2P - covered              rows after the last window (they get no gradient)

Convolution and pooling (``P = 0``, ``D = 1``) share this geometry; ``pad`` is
the one helper that adds (or crops) zeros around the last two axes.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from ._checks import IntPair, check_shape, pair


def kernel_span(kernel: int, dilation: int) -> int:
    """``D*(k - 1) + 1``: input rows one dilated kernel covers (the one place this formula is written)."""
    return dilation * (kernel - 1) + 1


class Axis(NamedTuple):
    """The geometry of one axis (rows or columns): input size, kernel size, S, P, D and what follows.

    Build it with ``Axis.of``, which computes the derived sizes once:
    ``span = D*(k - 1) + 1``, ``padded = H + 2P``, ``out = (H + 2P - span) // S + 1``,
    ``covered = S*(out - 1) + span`` (padded rows up to the end of the last window) and
    ``leftover = H + 2P - covered = (H + 2P - span) mod S`` (rows no output reads).
    """

    size: int
    kernel: int
    stride: int
    padding: int
    dilation: int
    span: int
    padded: int
    out: int
    covered: int
    leftover: int

    @classmethod
    def of(cls, size: int, kernel: int, stride: int, padding: int, dilation: int) -> Axis:
        span = kernel_span(kernel, dilation)
        padded = size + 2 * padding
        out = (padded - span) // stride + 1
        covered = stride * (out - 1) + span
        return cls(size, kernel, stride, padding, dilation, span, padded, out, covered, padded - covered)

    def tap(self, p: int) -> slice:
        """Rows of the padded input that kernel entry ``p`` reads, one per output: ``p*D, p*D + S, ...``."""
        start = p * self.dilation
        return slice(start, start + self.stride * (self.out - 1) + 1, self.stride)


class Geometry(NamedTuple):
    """The geometry of a 2-D window: one ``Axis`` for the rows, one for the columns.

    ``kernel``, ``stride``, ``padding``, ``dilation``, ``span`` and ``out`` are
    the ``(rows, cols)`` pairs of the two axes (``g.out`` is ``(H_out, W_out)``),
    computed once by ``Geometry.of``.
    """

    rows: Axis
    cols: Axis
    kernel: tuple[int, int]
    stride: tuple[int, int]
    padding: tuple[int, int]
    dilation: tuple[int, int]
    span: tuple[int, int]
    out: tuple[int, int]
    entries: tuple[tuple[int, int], ...]

    @classmethod
    def of(cls, rows: Axis, cols: Axis) -> Geometry:
        """The geometry of the two axes, with their ``(rows, cols)`` pairs and the kernel ``entries``
        ``(p, q)`` in row-major order."""
        pairs = ((getattr(rows, name), getattr(cols, name)) for name in cls._fields[2:-1])
        entries = tuple((p, q) for p in range(rows.kernel) for q in range(cols.kernel))
        return cls(rows, cols, *pairs, entries)

    @property
    def fits(self) -> bool:
        """Whether the dilated kernel fits the padded input (there is at least one output)."""
        return self.rows.span <= self.rows.padded and self.cols.span <= self.cols.padded

    def at(self, u: int, v: int, p: int, q: int) -> tuple[int, int] | None:
        """The input entry ``(i, j) = (u*S + p*D - P, v*S + q*D - P)`` that kernel entry ``(p, q)`` reads for
        output ``(u, v)``, or ``None`` where it reads a padding zero. The index rule of the forward pass."""
        i = u * self.rows.stride + p * self.rows.dilation - self.rows.padding
        j = v * self.cols.stride + q * self.cols.dilation - self.cols.padding
        return (i, j) if 0 <= i < self.rows.size and 0 <= j < self.cols.size else None

    def tap(self, p: int, q: int) -> tuple:
        """Index of the ``(..., H_out, W_out)`` block of a padded ``(..., H + 2P, W + 2P)`` array that
        kernel entry ``(p, q)`` reads: entry ``[..., u, v]`` is padded row ``u*S + p*D``, column ``v*S + q*D``."""
        return (Ellipsis, self.rows.tap(p), self.cols.tap(q))


def window_geometry(size: tuple[int, int], kernel: IntPair, stride: IntPair, padding: IntPair = 0,
                    dilation: IntPair = 1) -> Geometry:
    """The geometry of a window on an input of ``size`` ``(H, W)``; checks ``kernel`` (as ``kernel_size``),
    ``stride``, ``padding`` and ``dilation``. Whether the kernel fits is ``.fits``: each caller says why not."""
    k = pair(kernel, "kernel_size", 1)
    s, p, d = pair(stride, "stride", 1), pair(padding, "padding", 0), pair(dilation, "dilation", 1)
    return Geometry.of(*(Axis.of(*args) for args in zip(size, k, s, p, d)))


def _plain(value) -> bool:
    """An int, a tuple of ints or None: an argument that can key the cache (bools and lists cannot)."""
    return value is None or type(value) is int or (type(value) is tuple and all(type(v) is int for v in value))


def _cached(geometry: Callable[..., Geometry]) -> Callable[..., Geometry]:
    """Remember the geometries of plain arguments: a layer asks for the same one at every batch."""
    remembered = functools.lru_cache(maxsize=1024)(geometry)

    @functools.wraps(geometry)
    def lookup(*args):
        return remembered(*args) if all(_plain(a) for a in args) else geometry(*args)

    return lookup


@_cached
def conv_geometry(x_shape: tuple[int, ...], w_shape: tuple[int, ...], stride: IntPair = 1, padding: IntPair = 0,
                  dilation: IntPair = 1) -> Geometry:
    """The geometry of ``conv2d`` for an input of ``x_shape`` (N, C, H, W) and kernels of ``w_shape`` (K, C, kh, kw)."""
    x_shape = check_shape(x_shape, "x_shape", "(N, C, H, W)")
    w_shape = check_shape(w_shape, "w_shape", "(K, C, kh, kw)")
    if x_shape[1] != w_shape[1]:
        raise ValueError(f"channel mismatch: x has C={x_shape[1]} channels (shape {x_shape}) but w expects "
                         f"C={w_shape[1]} (shape {w_shape})")
    g = window_geometry(x_shape[2:], w_shape[2:], stride, padding, dilation)
    if not g.fits:
        raise ValueError(f"kernel larger than the padded input: w of shape {w_shape} with dilation {g.dilation} "
                         f"spans {g.span}, but x of shape {x_shape} with padding {g.padding} is only "
                         f"{(g.rows.padded, g.cols.padded)}")
    return g


@_cached
def pool_geometry(x_shape: tuple[int, ...], kernel_size: IntPair, stride: IntPair | None = None) -> Geometry:
    """The geometry of a pooling window on an input of ``x_shape`` (N, C, H, W); ``stride`` defaults to the kernel."""
    x_shape = check_shape(x_shape, "x_shape", "(N, C, H, W)")
    g = window_geometry(x_shape[2:], kernel_size, kernel_size if stride is None else stride)
    if not g.fits:
        raise ValueError(f"kernel_size {g.kernel} is larger than the input of shape {x_shape}")
    return g


def pad(a: np.ndarray, before: tuple[int, int], after: tuple[int, int] | None = None) -> np.ndarray:
    """Zeros around the last two axes: ``before = (top, left)``, ``after = (bottom, right)`` (default: ``before``).

    A negative amount crops instead; with nothing to add or remove, ``a`` itself is returned.
    """
    after = before if after is None else after
    (top, left), (bottom, right) = before, after
    if min(top, left, bottom, right) < 0:           # crop the negative sides first
        H, W = a.shape[-2:]
        a = a[..., max(-top, 0) : H - max(-bottom, 0), max(-left, 0) : W - max(-right, 0)]
        top, left, bottom, right = (max(n, 0) for n in (top, left, bottom, right))
    if not (top or left or bottom or right):
        return a
    H, W = a.shape[-2:]
    out = np.zeros(a.shape[:-2] + (top + H + bottom, left + W + right), dtype=a.dtype)
    out[..., top : top + H, left : left + W] = a
    return out
