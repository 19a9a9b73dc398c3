"""Figures of the convolution chapters, drawn from the arrays the chapters compute.

Every function here takes the arrays a chapter has just computed and checked
(SymPy symbols or numbers) and draws them; what a figure shows is read off
those arrays, never laid out by hand, so a figure cannot disagree with the
numbers next to it:

* ``coefficient_map`` and ``draw_terms``: which entries of a grid a linear
  expression uses, and with what coefficient (the window of an output
  ``z_uv``; the inputs and δ's of a weight gradient);
* ``draw_receptive_fields``: every output's window on one input grid;
* ``stamps``, ``draw_map`` and ``draw_scatter``: the input gradient as a
  scatter, each ``δ_uv`` stamping ``δ_uv · W`` on its window, computed with
  ``bplib.conv2d_dgrad`` one ``δ_uv`` at a time;
* ``draw_window``: the input gradient as a gather, the rotated kernel's window
  on the zero-padded δ;
* ``draw_kernel_stack``: the ``K x C`` kernels ``W_{k,c}`` of a layer;
* ``zero_stuffing_kinds`` and ``draw_zero_stuffed``: δ with zeros inserted by
  the stride and padded, as the transposed convolution uses it.

Drawn by book/part2/conv_forward.ipynb, book/part2/conv_dgrad.ipynb and
book/part2/stride_padding_dilation.ipynb.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import sympy as sp
from numpy.typing import ArrayLike

from .conv import conv2d_dgrad

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["WINDOW_COLORS", "coefficient_map", "draw_terms", "draw_receptive_fields", "stamps", "draw_map",
           "draw_scatter", "draw_window", "draw_kernel_stack", "zero_stuffing_kinds", "draw_zero_stuffed"]

#: One colour per output position (row-major), cycled when there are more outputs.
WINDOW_COLORS = ("tab:red", "tab:blue", "tab:green", "tab:orange", "tab:purple", "tab:brown", "tab:pink",
                 "tab:olive", "tab:cyan")

_GREY = "0.55"          # text of the cells a panel does not use
_FILL_ALPHA = 0.28      # cell fills stay light, so black labels remain readable


def _color(n: int) -> str:
    return WINDOW_COLORS[n % len(WINDOW_COLORS)]


def _as_2d(m: ArrayLike, name: str) -> np.ndarray:
    m = np.asarray(m, dtype=object)
    if m.ndim != 2:
        raise ValueError(f"{name} must be 2-D (H, W), got shape {m.shape}")
    return m


def _is_zero(v: Any) -> bool:
    return bool(sp.sympify(v).is_zero)


def _tex(v: Any, fmt: str = "{:g}") -> str:
    """A cell label: numbers formatted, SymPy expressions as LaTeX, sums one term per line."""
    if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
        return fmt.format(v)
    v = sp.sympify(v)
    if v.is_Number:
        return fmt.format(int(v) if v.is_Integer else float(v))
    terms = sorted(sp.Add.make_args(sp.expand(v)), key=sp.default_sort_key)
    lines = [f"${sp.latex(t)}$" for t in terms]
    return " +\n".join(lines)


def _fill(color: Any, alpha: float = _FILL_ALPHA) -> tuple[float, float, float, float]:
    from matplotlib.colors import to_rgba

    r, g, b, _ = to_rgba(color)
    return (1 - alpha + alpha * r, 1 - alpha + alpha * g, 1 - alpha + alpha * b, 1.0)


def _cell_grids(shape: tuple[int, int], cell: Any) -> tuple[list, list, list]:
    """The labels, fills and text colours of a grid of ``shape``, ``cell(i, j) -> (label, fill, color)``."""
    rows = [[cell(i, j) for j in range(shape[1])] for i in range(shape[0])]
    return tuple([[entry[part] for entry in row] for row in rows] for part in range(3))


def _cells(ax: Axes, labels: Sequence[Sequence[str]], fills: Sequence[Sequence[Any]] | None = None,
           text_colors: Sequence[Sequence[Any]] | None = None, fontsize: float = 10,
           title: str | None = None) -> Axes:
    """An ``H x W`` grid of unit cells centred at ``(j, i)``, row 0 at the top, each with its label."""
    from matplotlib.patches import Rectangle

    H, W = len(labels), len(labels[0])
    for i, j in np.ndindex(H, W):
        face = fills[i][j] if fills is not None and fills[i][j] is not None else "white"
        ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor=face, edgecolor="black", linewidth=0.8))
        color = text_colors[i][j] if text_colors is not None else "black"
        ax.text(j, i, labels[i][j], ha="center", va="center", fontsize=fontsize, color=color)
    ax.set_xlim(-0.52, W - 0.48)          # a little room, so the outer lines are not clipped
    ax.set_ylim(H - 0.48, -0.52)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ax.spines.values():
        side.set_visible(False)
    if title is not None:
        ax.set_title(title, fontsize=fontsize + 1)
    return ax


def _outline(ax: Axes, top: float, left: float, height: float, width: float, color: Any, inset: float = 0.0,
             lw: float = 3.0) -> None:
    from matplotlib.patches import Rectangle

    ax.add_patch(Rectangle((left - 0.5 + inset, top - 0.5 + inset), width - 2 * inset, height - 2 * inset,
                           fill=False, edgecolor=color, linewidth=lw, zorder=5))


def coefficient_map(expr: Any, grid: ArrayLike) -> np.ndarray:
    """The coefficient of every symbol of ``grid`` in the linear expression ``expr``.

    For an output ``z_uv`` of a convolution and the input symbols ``a``, entry
    ``(i, j)`` is ``∂z_uv/∂a_ij``: the kernel entry that multiplies ``a_ij``, or
    0 outside the window. Used by the figures of book/part2/conv_forward.ipynb
    and book/part2/stride_padding_dilation.ipynb.

    Parameters
    ----------
    expr : SymPy expression, linear in the symbols of ``grid``
    grid : array of shape (H, W)
        SymPy symbols; entries that are not symbols (the zeros of a padding)
        get coefficient 0.

    Returns
    -------
    object array of shape (H, W): ``sympy.diff(expr, grid[i, j])`` where ``grid[i, j]`` is a symbol, else 0.
    """
    grid = _as_2d(grid, "grid")
    expr = sp.sympify(expr)
    symbols = {v for v in grid.ravel() if isinstance(v, sp.Symbol)}
    out = np.zeros(grid.shape, dtype=object)
    for (i, j), v in np.ndenumerate(grid):
        if isinstance(v, sp.Symbol):
            c = sp.expand(sp.diff(expr, v))
            if c.free_symbols & symbols:
                raise ValueError(f"expr must be linear in the symbols of grid; its derivative by {v} is {c}")
            out[i, j] = c
    return out


def draw_terms(ax: Axes, grid: ArrayLike, expr: Any, color: Any = "tab:blue", fontsize: float = 10,
               title: str | None = None) -> np.ndarray:
    """Draw ``grid`` with the entries ``expr`` uses shaded and labelled with their coefficient.

    A used cell reads ``a_ij`` over ``· w_pq`` (the symbol, then its coefficient
    in ``expr``); the other cells show their symbol (or 0) in grey. With an
    output ``z_uv`` as ``expr`` and the input as ``grid`` the shaded cells are
    the window of ``z_uv``. Drawn in book/part2/conv_forward.ipynb (the four
    windows) and book/part2/stride_padding_dilation.ipynb (the taps of a weight
    gradient).

    Parameters
    ----------
    ax : matplotlib Axes
    grid : array of shape (H, W) of SymPy symbols (or zeros)
    expr : SymPy expression, linear in the symbols of ``grid``
    color : matplotlib colour of the used cells
    fontsize : float
    title : str, optional

    Returns
    -------
    object array of shape (H, W): the coefficients (``coefficient_map(expr, grid)``).
    """
    grid = _as_2d(grid, "grid")
    coef = coefficient_map(expr, grid)

    def cell(i, j):
        name = _tex(grid[i, j])
        if _is_zero(coef[i, j]):
            return name, None, _GREY
        return f"{name}\n$\\cdot\\,{sp.latex(coef[i, j])}$", _fill(color), "black"

    _cells(ax, *_cell_grids(grid.shape, cell), fontsize, title)
    return coef


def draw_receptive_fields(ax: Axes, grid: ArrayLike, z: ArrayLike, counts: bool = True, fontsize: float = 10,
                          title: str | None = None) -> np.ndarray:
    """Every output's window on one input grid: the frame around the entries ``z[u, v]`` uses.

    Output ``(u, v)`` gets colour ``WINDOW_COLORS[u * W_out + v]``; frames of
    different outputs are inset by different amounts so that overlapping ones
    stay apart. Inputs that no output uses are shaded grey (the leftover rows
    of a stride). Drawn in book/part2/conv_forward.ipynb and
    book/part2/stride_padding_dilation.ipynb.

    Parameters
    ----------
    ax : matplotlib Axes
    grid : array of shape (H_in, W_in) of SymPy symbols (the input)
    z : array of shape (H_out, W_out) of SymPy expressions, linear in the symbols of ``grid``
    counts : bool
        Write under each input how many outputs use it.
    fontsize : float
    title : str, optional

    Returns
    -------
    int array of shape (H_in, W_in): for every input, the number of outputs that use it.
    """
    grid, z = _as_2d(grid, "grid"), _as_2d(z, "z")
    used = np.array([[[not _is_zero(c) for c in row] for row in coefficient_map(z_uv, grid)]
                     for z_uv in z.ravel()]).reshape(z.shape + grid.shape)
    n_uses = used.sum(axis=(0, 1))
    labels = [[_tex(grid[i, j]) + (f"\n{n_uses[i, j]}" if counts else "") for j in range(grid.shape[1])]
              for i in range(grid.shape[0])]
    fills = [[None if n else "0.85" for n in row] for row in n_uses]
    _cells(ax, labels, fills, None, fontsize, title)
    step = 0.32 / max(1, z.size)
    for n, (u, v) in enumerate(np.ndindex(*z.shape)):
        rows, cols = np.nonzero(used[u, v])
        if rows.size:
            top, left = rows.min(), cols.min()
            _outline(ax, top, left, rows.max() - top + 1, cols.max() - left + 1, _color(n),
                     inset=0.05 + step * n, lw=2.5)
    return n_uses


def stamps(dz: ArrayLike, w: ArrayLike, x_shape: tuple[int, int], stride: int = 1, padding: int = 0,
           dilation: int = 1) -> np.ndarray:
    """What each ``δ_uv`` alone sends back to the input: ``conv2d_dgrad`` of δ with all other entries zero.

    The input gradient is the sum of these stamps (each is ``δ_uv · W`` laid on
    the window of ``z_uv``), which is how ``bplib.conv2d_dgrad`` computes it: a
    scatter. Drawn in book/part2/conv_dgrad.ipynb and
    book/part2/stride_padding_dilation.ipynb.

    Parameters
    ----------
    dz : array of shape (H_out, W_out), numbers or SymPy expressions (one map δ)
    w : array of shape (kh, kw) (one kernel)
    x_shape : (H_in, W_in)
    stride, padding, dilation : as in ``bplib.conv2d``

    Returns
    -------
    array of shape (H_out, W_out, H_in, W_in): entry ``[u, v]`` is the stamp of ``δ_uv``.
    """
    dz, w = np.asarray(dz), np.asarray(w)
    if dz.ndim != 2 or w.ndim != 2:
        raise ValueError(f"dz and w must be 2-D (H_out, W_out) and (kh, kw), got shapes {dz.shape} and {w.shape}")
    if len(tuple(x_shape)) != 2:
        raise ValueError(f"x_shape must be (H_in, W_in), got {x_shape}")
    parts = []
    for u, v in np.ndindex(*dz.shape):
        one = np.zeros_like(dz)
        one[u, v] = dz[u, v]
        parts.append(conv2d_dgrad(one[None, None], w[None, None], (1, 1) + tuple(x_shape), stride=stride,
                                  padding=padding, dilation=dilation)[0, 0])
    return np.stack(parts).reshape(dz.shape + tuple(x_shape))


def draw_map(ax: Axes, m: ArrayLike, color: Any = "tab:blue", fontsize: float = 10, title: str | None = None,
             fmt: str = "{:g}", cell_colors: Sequence[Sequence[Any]] | None = None) -> Axes:
    """Draw a 2-D array with its non-zero entries shaded in ``color`` and every entry written in its cell.

    SymPy sums are written one term per line. Drawn in
    book/part2/conv_dgrad.ipynb (the stamps of the scatter, the sum over
    output channels) and book/part2/stride_padding_dilation.ipynb.

    Parameters
    ----------
    ax : matplotlib Axes
    m : array of shape (H, W), numbers or SymPy expressions
    color : matplotlib colour of the non-zero cells
    fontsize : float
    title : str, optional
    fmt : str
        Format of numeric entries.
    cell_colors : H lists of W colours (None for white), optional
        A colour per cell instead of ``color`` (e.g. each output ``z_uv`` in the
        colour of its window, ``WINDOW_COLORS``).

    Returns
    -------
    ``ax``
    """
    m = _as_2d(m, "m")
    if cell_colors is not None and (len(cell_colors) != m.shape[0]
                                    or any(len(row) != m.shape[1] for row in cell_colors)):
        raise ValueError(f"cell_colors must be {m.shape[0]} rows of {m.shape[1]} colours, like m")
    labels = [[_tex(v, fmt) for v in row] for row in m]
    if cell_colors is not None:
        fills = [[None if c is None else _fill(c) for c in row] for row in cell_colors]
    else:
        fills = [[None if _is_zero(v) else _fill(color) for v in row] for row in m]
    text = [["black" if not _is_zero(v) else _GREY for v in row] for row in m]
    return _cells(ax, labels, fills, text, fontsize, title)


def draw_scatter(ax: Axes, stamp_stack: ArrayLike, fontsize: float = 10, title: str | None = None,
                 fmt: str = "{:g}") -> np.ndarray:
    """Draw the sum of the stamps, each cell shaded in the colours of the ``δ_uv`` that reach it.

    A cell reached by one ``δ_uv`` takes that output's colour
    (``WINDOW_COLORS``, row-major), one reached by several a grey, one reached
    by none stays white: the input gradient as the scatter computes it. Drawn
    in book/part2/conv_dgrad.ipynb and book/part2/stride_padding_dilation.ipynb.

    Parameters
    ----------
    ax : matplotlib Axes
    stamp_stack : array of shape (H_out, W_out, H_in, W_in), as returned by ``stamps``
    fontsize : float
    title : str, optional
    fmt : str
        Format of numeric entries.

    Returns
    -------
    array of shape (H_in, W_in): the sum of the stamps (the input gradient), entries expanded.
    """
    s = np.asarray(stamp_stack, dtype=object)
    if s.ndim != 4:
        raise ValueError(f"stamp_stack must have shape (H_out, W_out, H_in, W_in), got {s.shape}")
    total = np.vectorize(sp.expand, otypes=[object])(s.sum(axis=(0, 1)))
    reach = np.array([[[not _is_zero(x) for x in row] for row in s[u, v]] for u, v in np.ndindex(*s.shape[:2])])
    fills = []
    for i in range(s.shape[2]):
        fills.append([])
        for j in range(s.shape[3]):
            who = np.nonzero(reach[:, i, j])[0]
            fills[i].append(None if who.size == 0 else _fill(_color(who[0])) if who.size == 1 else "0.85")
    labels = [[_tex(v, fmt) for v in row] for row in total]
    text = [["black" if not _is_zero(v) else _GREY for v in row] for row in total]
    _cells(ax, labels, fills, text, fontsize, title)
    return total


def draw_window(ax: Axes, grid: ArrayLike, kernel: ArrayLike, top: int, left: int, dilation: int = 1,
                color: Any = "tab:blue", fontsize: float = 10, title: str | None = None) -> Any:
    """Draw ``grid`` with ``kernel``'s window placed at ``(top, left)``: a gather.

    The cells under the window's taps are shaded and read ``grid[i, j]`` over
    ``· kernel[p, q]``; the window is framed. The return value, the sum of
    those products, is the output of the cross-correlation at ``(top, left)``:
    for the zero-padded δ and ``rot180(W)`` it is ``∂L/∂a`` at that input,
    which the chapter compares with its derivation. Drawn in
    book/part2/conv_dgrad.ipynb.

    Parameters
    ----------
    ax : matplotlib Axes
    grid : array of shape (H, W), numbers or SymPy expressions (e.g. the zero-padded δ)
    kernel : array of shape (kh, kw) (e.g. ``rot180(W)``)
    top, left : int
        Position of the window's top-left tap, 0-based.
    dilation : int
        Spacing of the taps.
    color : matplotlib colour of the window
    fontsize : float
    title : str, optional

    Returns
    -------
    SymPy expression: ``sum_{p, q} grid[top + p*D, left + q*D] * kernel[p, q]``, expanded.
    """
    grid, kernel = _as_2d(grid, "grid"), _as_2d(kernel, "kernel")
    kh, kw = kernel.shape
    if top < 0 or left < 0 or top + (kh - 1) * dilation >= grid.shape[0] or \
            left + (kw - 1) * dilation >= grid.shape[1]:
        raise ValueError(f"a {kh}x{kw} window with dilation {dilation} at ({top}, {left}) does not fit "
                         f"in a grid of shape {grid.shape}")
    taps = {(top + p * dilation, left + q * dilation): kernel[p, q] for p, q in np.ndindex(kh, kw)}

    def cell(i, j):
        name = _tex(grid[i, j])
        if (i, j) not in taps:
            return name, None, _GREY
        zero = _is_zero(grid[i, j])                   # a padding zero: its product adds nothing
        return (f"{name}\n$\\cdot\\,{sp.latex(sp.sympify(taps[i, j]))}$",
                _fill(color, 0.1 if zero else _FILL_ALPHA), _GREY if zero else "black")

    _cells(ax, *_cell_grids(grid.shape, cell), fontsize, title)
    _outline(ax, top, left, (kh - 1) * dilation + 1, (kw - 1) * dilation + 1, color, lw=2.5)
    return sp.expand(sum((sp.sympify(grid[i, j]) * sp.sympify(v) for (i, j), v in taps.items()), sp.Integer(0)))


def draw_kernel_stack(axes: np.ndarray, w: ArrayLike, highlight: ArrayLike | None = None,
                      color: Any = "tab:blue", fontsize: float = 10, fmt: str = "{:g}") -> np.ndarray:
    """Draw the ``K x C`` kernels of a layer, ``W_{k,c}`` in ``axes[k, c]``, highlighted ones shaded.

    Rows are output channels ``k``, columns input channels ``c``: output
    ``z_k`` sums over a row, the input gradient ``∂L/∂a_c`` over a column.
    Drawn in book/part2/conv_forward.ipynb and book/part2/conv_dgrad.ipynb.

    Parameters
    ----------
    axes : array of matplotlib Axes of shape (K, C)
    w : array of shape (K, C, kh, kw), numbers or SymPy symbols
    highlight : bool array of shape (K, C), optional
        Kernels to shade in ``color``.
    color : matplotlib colour
    fontsize : float
    fmt : str
        Format of numeric entries.

    Returns
    -------
    ``axes``
    """
    w = np.asarray(w, dtype=object)
    axes = np.asarray(axes, dtype=object)
    if w.ndim != 4:
        raise ValueError(f"w must have shape (K, C, kh, kw), got {w.shape}")
    if axes.shape != w.shape[:2]:
        raise ValueError(f"axes must have shape (K, C) = {w.shape[:2]}, got {axes.shape}")
    highlight = np.zeros(w.shape[:2], dtype=bool) if highlight is None else np.asarray(highlight, dtype=bool)
    if highlight.shape != w.shape[:2]:
        raise ValueError(f"highlight must have shape (K, C) = {w.shape[:2]}, got {highlight.shape}")
    for k, c in np.ndindex(*w.shape[:2]):
        fill = _fill(color) if highlight[k, c] else None
        labels = [[_tex(v, fmt) for v in row] for row in w[k, c]]
        fills = [[fill] * w.shape[3] for _ in range(w.shape[2])]
        _cells(axes[k, c], labels, fills, None, fontsize, f"$W_{{{k + 1},{c + 1}}}$")
    return axes


def zero_stuffing_kinds(delta_shape: tuple[int, int], stride: int, before: int, after: int) -> np.ndarray:
    """What each entry of the zero-stuffed, padded δ is, for one map of shape ``delta_shape``.

    δ dilated by the stride has ``S - 1`` zeros between neighbouring entries
    (``bplib.transposed.dilate``); the transposed convolution pads it with
    ``before`` zeros and ``after`` zeros (``bplib.transposed.dgrad_padding``),
    ``after - before`` of which stand for the leftover rows of the forward pass.
    Drawn in book/part2/stride_padding_dilation.ipynb.

    Parameters
    ----------
    delta_shape : (H_out, W_out)
    stride : int >= 1
    before, after : int >= 0
        Zeros before and after δ, the same for rows and columns (``after >= before``).

    Returns
    -------
    int array of shape ((H_out - 1)*S + 1 + before + after, ...): 3 for an
    entry of δ, 2 for a zero inserted by the stride, 1 for a leftover zero
    (the last ``after - before`` rows and columns), 0 for a padding zero.
    """
    Ho, Wo = (int(n) for n in delta_shape)
    if min(Ho, Wo) < 1 or stride < 1 or before < 0 or after < before:
        raise ValueError(f"need delta_shape >= (1, 1), stride >= 1 and 0 <= before <= after; got "
                         f"{delta_shape}, {stride}, {before}, {after}")
    mh, mw = (Ho - 1) * stride + 1, (Wo - 1) * stride + 1
    kinds = np.zeros((mh + before + after, mw + before + after), dtype=int)
    kinds[before:before + mh, before:before + mw] = 2
    kinds[before:before + mh:stride, before:before + mw:stride] = 3
    r = after - before
    if r:
        kinds[-r:, :] = 1
        kinds[:, -r:] = 1
    return kinds


_KIND_FILL = {3: "tab:blue", 2: "tab:cyan", 1: "0.6", 0: None}
_KIND_NAMES = {3: "entry of δ", 2: "zero inserted by the stride", 1: "leftover zero", 0: "padding zero"}


def draw_zero_stuffed(ax: Axes, delta_hat: ArrayLike, delta_shape: tuple[int, int], stride: int, before: int,
                      after: int, fontsize: float = 10, title: str | None = None, legend: bool = True,
                      color_entries: bool = False, legend_ax: Axes | None = None) -> np.ndarray:
    """Draw the zero-stuffed, padded δ of a transposed convolution, each kind of zero in its own shade.

    The labels are the entries of ``delta_hat`` itself; the shades come from
    ``zero_stuffing_kinds``, and a ``ValueError`` is raised if ``delta_hat``
    has a non-zero entry anywhere but at the places of δ, so the figure cannot
    show a different δ̂ from the one computed. Drawn in
    book/part2/stride_padding_dilation.ipynb.

    Parameters
    ----------
    ax : matplotlib Axes
    delta_hat : array of shape (H', W'): δ dilated by the stride and padded (numbers or SymPy expressions)
    delta_shape, stride, before, after : as in ``zero_stuffing_kinds``
    fontsize : float
    title : str, optional
    legend : bool
        Add a legend naming the four kinds.
    color_entries : bool
        Shade the entry ``δ_uv`` in the colour of its output's window
        (``WINDOW_COLORS``, row-major), as ``draw_receptive_fields`` draws it.
    legend_ax : matplotlib Axes, optional
        Where to put the legend (default: under ``ax``).

    Returns
    -------
    int array of shape (H', W'): the kinds (``zero_stuffing_kinds``).
    """
    d = _as_2d(delta_hat, "delta_hat")
    kinds = zero_stuffing_kinds(delta_shape, stride, before, after)
    if kinds.shape != d.shape:
        raise ValueError(f"delta_hat has shape {d.shape}, but δ of shape {tuple(delta_shape)} with stride "
                         f"{stride} and padding ({before}, {after}) gives {kinds.shape}")
    stray = [(i, j) for (i, j), v in np.ndenumerate(d) if kinds[i, j] != 3 and not _is_zero(v)]
    if stray:
        raise ValueError(f"delta_hat is not zero at {stray[:3]}, which are not places of δ")
    labels = [[_tex(v) for v in row] for row in d]
    fills = [[_fill(_KIND_FILL[n], 0.45) if _KIND_FILL[n] else None for n in row] for row in kinds]
    if color_entries:
        for n, (i, j) in enumerate(zip(*np.nonzero(kinds == 3))):
            fills[i][j] = _fill(_color(n))
    text = [["black" if n == 3 else "0.3" for n in row] for row in kinds]
    _cells(ax, labels, fills, text, fontsize, title)
    if legend:
        from matplotlib.patches import Patch

        present = sorted(set(kinds.ravel()), reverse=True)
        handles = [Patch(facecolor=_fill(_KIND_FILL[n], 0.45) if _KIND_FILL[n] else "white", edgecolor="black",
                         label=_KIND_NAMES[n]) for n in present if not (color_entries and n == 3)]
        if legend_ax is None:
            ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.02), ncol=2,
                      fontsize=fontsize - 1, frameon=False)
        else:
            legend_ax.legend(handles=handles, loc="upper left", fontsize=fontsize, frameon=False)
    return kinds
