"""Figures of the convolution as a matrix: which kernel entry sits where in ``T`` and ``T^T``.

The matrix ``T`` of a convolution (``vec(z) = T vec(a)``, ``bplib.conv_matrix``)
holds nothing but copies of the kernel entries ``w_pq`` and zeros.
``kernel_entry_index`` finds, for every entry of such a matrix, *which* kernel
entry it is; ``draw_kernel_matrix`` draws the matrix as a grid with one colour
per kernel entry (its band structure), and ``draw_column_maps`` lays each
column out on a grid of its own (a column of ``T^T`` on the input grid is the
kernel "stamped" where one ``delta_uv`` sends it). The figures are drawn from
the very arrays the chapter computes and checks: book/part2/conv_as_matrix.ipynb
(Convolution as a matrix).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import sympy as sp
from numpy.typing import ArrayLike

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["kernel_colors", "kernel_entry_index", "draw_kernel_matrix", "draw_column_maps"]


def kernel_colors(n: int) -> list[tuple[float, float, float, float]]:
    """``n`` distinct light colours, one per kernel entry in row-major order (``tab10``, ``tab20`` beyond 10).

    Parameters
    ----------
    n : int >= 1
        Number of kernel entries ``k_h * k_w``.

    Returns
    -------
    list of ``n`` RGBA tuples, blended halfway towards white so black labels stay readable.
    """
    from matplotlib import colormaps

    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1:
        raise ValueError(f"n must be an integer >= 1, got {n!r}")
    if n > 20:
        raise ValueError(f"at most 20 distinguishable colours, got n = {n}")
    cmap = colormaps["tab10" if n <= 10 else "tab20"]
    return [tuple(0.5 + 0.5 * c for c in cmap(i)[:3]) + (1.0,) for i in range(n)]


def kernel_entry_index(m: ArrayLike, w: ArrayLike) -> np.ndarray:
    """For every entry of ``m``: the row-major index ``p*k_w + q`` of the kernel entry ``w[p, q]`` it equals.

    Parameters
    ----------
    m : array of shape (R, Q)
        A matrix built from the kernel, e.g. ``bplib.conv_matrix(w, x_shape)``
        or its transpose: every entry is 0 or one entry of ``w`` (numbers or
        SymPy expressions).
    w : array of shape (k_h, k_w)
        The kernel; its entries must be distinct and non-zero, so that each
        entry of ``m`` names exactly one of them (SymPy symbols ``w11 ...``).

    Returns
    -------
    int array of shape (R, Q): ``p*k_w + q`` where ``m[r, c] == w[p, q]``, -1 where ``m[r, c] == 0``.
    """
    m, w = np.asarray(m, dtype=object), np.asarray(w, dtype=object)
    if m.ndim != 2 or w.ndim != 2:
        raise ValueError(f"m and w must be 2-D (R, Q) and (k_h, k_w), got shapes {m.shape} and {w.shape}")
    where = {}
    for n, v in enumerate(w.ravel()):
        v = sp.sympify(v)
        if v.is_zero or v in where:
            raise ValueError(f"the entries of w must be distinct and non-zero to be told apart; "
                             f"entry {np.unravel_index(n, w.shape)} is {v}")
        where[v] = n
    out = np.full(m.shape, -1, dtype=int)
    for (r, c), v in np.ndenumerate(m):
        v = sp.sympify(v)
        if v.is_zero:
            continue
        if v not in where:
            raise ValueError(f"m[{r}, {c}] = {v} is neither 0 nor an entry of w")
        out[r, c] = where[v]
    return out


def _cells(ax: Axes, index: np.ndarray, labels: Sequence[str], colors: Sequence, fontsize: float) -> None:
    """Unit cells centred at (column, row): kernel entry ``index[r, c]`` coloured and labelled, -1 white."""
    from matplotlib.patches import Rectangle

    R, Q = index.shape
    for (r, c), n in np.ndenumerate(index):
        face = "white" if n < 0 else colors[n]
        ax.add_patch(Rectangle((c - 0.5, r - 0.5), 1, 1, facecolor=face, edgecolor="0.75", linewidth=0.6))
        if n >= 0:
            ax.text(c, r, labels[n], ha="center", va="center", fontsize=fontsize)
    ax.add_patch(Rectangle((-0.5, -0.5), Q, R, fill=False, edgecolor="black", linewidth=1.2))
    ax.set_xlim(-0.5, Q - 0.5)
    ax.set_ylim(R - 0.5, -0.5)
    ax.set_aspect("equal")


def _kernel_labels(w: np.ndarray) -> list[str]:
    return [f"${sp.latex(sp.sympify(v))}$" for v in w.ravel()]


def draw_kernel_matrix(ax: Axes, m: ArrayLike, w: ArrayLike, row_labels: Sequence[str] | None = None,
                       col_labels: Sequence[str] | None = None, blocks: tuple[int, int] | None = None,
                       title: str | None = None, fontsize: float = 10, labelsize: float | None = None) -> Axes:
    """Draw a matrix made of kernel entries as a grid: ``w_pq`` in its own colour, zeros white; returns ``ax``.

    The band-structure figures of book/part2/conv_as_matrix.ipynb.

    Parameters
    ----------
    ax : matplotlib Axes
    m : array of shape (R, Q)
        Every entry 0 or an entry of ``w`` (see ``kernel_entry_index``).
    w : array of shape (k_h, k_w), distinct non-zero entries
        Entry ``w[p, q]`` is drawn in colour ``kernel_colors(k_h*k_w)[p*k_w + q]``
        and labelled with its LaTeX (``$w_{12}$``).
    row_labels : R str, optional
        Written left of the rows (e.g. ``$z_{11}$``).
    col_labels : Q str, optional
        Written above the columns, turned by 90° when there are more than 12.
    blocks : (bh, bw), optional
        A thick line after every ``bh`` rows and every ``bw`` columns: the blocks
        of a doubly block Toeplitz matrix (``bh = W_out``, ``bw = W_in`` for ``T``).
    title : str, optional
    fontsize : float
        Size of the labels in the cells.
    labelsize : float, optional
        Size of the row and column labels (default: ``fontsize``).
    """
    w = np.asarray(w, dtype=object)
    index = kernel_entry_index(m, w)
    R, Q = index.shape
    for name, labels, n in (("row_labels", row_labels, R), ("col_labels", col_labels, Q)):
        if labels is not None and len(labels) != n:
            raise ValueError(f"{name} must have {n} entries for m of shape {index.shape}, got {len(labels)}")
    _cells(ax, index, _kernel_labels(w), kernel_colors(w.size), fontsize)
    if blocks is not None:
        bh, bw = blocks
        if bh < 1 or bw < 1:
            raise ValueError(f"blocks must be two integers >= 1, got {blocks}")
        for r in range(bh, R, bh):
            ax.axhline(r - 0.5, color="black", linewidth=1.2)
        for c in range(bw, Q, bw):
            ax.axvline(c - 0.5, color="black", linewidth=1.2)
    size = fontsize if labelsize is None else labelsize
    ax.tick_params(length=0, labelsize=size, top=False, labeltop=col_labels is not None, bottom=False,
                   labelbottom=False, left=False, labelleft=row_labels is not None)
    ax.set_xticks(range(Q), col_labels if col_labels is not None else [""] * Q,
                  rotation=90 if Q > 12 else 0)
    ax.set_yticks(range(R), row_labels if row_labels is not None else [""] * R)
    for spine in ax.spines.values():
        spine.set_visible(False)
    if title:
        ax.set_title(title, fontsize=size + 1)
    return ax


def draw_column_maps(axes: Sequence[Axes] | np.ndarray, m: ArrayLike, w: ArrayLike, shape: tuple[int, int],
                     titles: Sequence[str] | None = None, fontsize: float = 10) -> None:
    """Draw every column of ``m`` reshaped (row-major) to ``shape``, one axes each, coloured as ``draw_kernel_matrix``.

    For ``m = T^T`` and ``shape = (H_in, W_in)``, column ``(u, v)`` is where
    ``delta_uv`` is sent on the input grid: the kernel, stamped at the window of
    ``z_uv`` (with holes where it is dilated, cut where the window hangs over
    the padding). The transposed-convolution figures of book/part2/conv_as_matrix.ipynb.

    Parameters
    ----------
    axes : sequence (or array) of matplotlib Axes, at least as many as ``m`` has columns
        Axes beyond the last column are switched off.
    m : array of shape (R, Q) with ``R = shape[0] * shape[1]``
    w : array of shape (k_h, k_w), distinct non-zero entries
    shape : (H, W)
        The grid a column is laid out on.
    titles : Q str, optional
        One title per column.
    fontsize : float
    """
    w = np.asarray(w, dtype=object)
    index = kernel_entry_index(m, w)
    R, Q = index.shape
    H, W = (int(n) for n in shape)
    if H * W != R:
        raise ValueError(f"shape {tuple(shape)} has {H * W} cells, but the columns of m have {R} entries")
    axes = list(np.ravel(np.asarray(axes, dtype=object)))
    if len(axes) < Q:
        raise ValueError(f"{Q} columns need {Q} axes, got {len(axes)}")
    if titles is not None and len(titles) != Q:
        raise ValueError(f"titles must have {Q} entries, one per column, got {len(titles)}")
    labels, colors = _kernel_labels(w), kernel_colors(w.size)
    for c, ax in enumerate(axes):
        if c >= Q:
            ax.axis("off")
            continue
        _cells(ax, index[:, c].reshape(H, W), labels, colors, fontsize)
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_visible(False)
        if titles is not None:
            ax.set_title(titles[c], fontsize=fontsize + 1)
