"""SymPy helpers: arrays of named symbols, derivatives, exact comparison, and LaTeX for display.

The chapters build arrays of symbols (``a11 .. a33``, ``w11 .. w22``), pass them
through the very same ``bplib`` functions that compute with numbers, and show
the result as LaTeX printed by SymPy itself.
"""
from __future__ import annotations

import numbers

from typing import Any

import numpy as np
import sympy as sp
from numpy.typing import ArrayLike

__all__ = ["symbol_matrix", "channel_symbols", "nchw", "as_matrix", "grad", "as_delta", "convolve_full", "equal",
           "latex_labels", "latex_equation", "display_equation"]


def symbol_matrix(name: str, rows: int, cols: int, start: int = 1, superscript: str | None = None,
                  **assumptions: Any) -> np.ndarray:
    """``(rows, cols)`` object array of symbols ``name11, name12, ...`` (1-based, like the articles).

    Introduced in book/part2/conv_forward.ipynb (The convolution layer, forward).

    Indices above 9 are written ``name_{i,j}``. With a ``superscript`` (a layer
    or channel tag such as ``"(2)"``) the symbols are ``name^{(2)}_{ij}``.
    ``assumptions`` go to ``sympy.Symbol`` (e.g. ``real=True``).
    """
    def label(i, j):
        if superscript is not None:
            sub = f"{i}{j}" if max(rows, cols) + start - 1 < 10 else f"{i},{j}"
            return f"{name}^{{{superscript}}}_{{{sub}}}"
        if rows + start - 1 < 10 and cols + start - 1 < 10:
            return f"{name}{i}{j}"
        return f"{name}_{{{i},{j}}}"

    out = np.empty((rows, cols), dtype=object)
    for i in range(rows):
        for j in range(cols):
            out[i, j] = sp.Symbol(label(i + start, j + start), **assumptions)
    return out


def channel_symbols(name: str, channels: int | tuple[int, ...], rows: int, cols: int, **assumptions: Any) -> np.ndarray:
    """Symbols of a stack of maps: object array of shape ``(*channels, rows, cols)``.

    Entry ``(i, j)`` of map ``(k, c)`` (0-based positions) is the symbol
    ``name_{kc,ij}`` with 1-based indices, the book's notation for an entry of a
    stack (book/notation.md): the channel indices first, then the entry's row and
    column, ``a_{2,31}`` for entry (3, 1) of input channel 2, ``w_{31,12}`` for
    entry (1, 2) of the kernel ``W_{3,1}``. A count above 9 separates its indices
    by commas, and then the channel part from the entry's by a semicolon
    (``d_{10,1;11}``). ``channels`` is an int (one axis, e.g. the ``C`` input
    maps ``a_c``) or a tuple (e.g. ``(K, C)`` for the kernels ``W_{k,c}``).
    ``assumptions`` go to ``sympy.Symbol``. The notation is introduced in
    book/part2/conv_forward.ipynb (Many channels: C·K kernels); used in
    book/part2/conv_wgrad.ipynb, book/part2/conv_training_step.ipynb and
    book/part2/conv_as_matrix.ipynb.

    Examples: ``channel_symbols("a", 2, 3, 3)`` has shape ``(2, 3, 3)``;
    ``channel_symbols("w", (2, 2), 2, 2)`` has shape ``(2, 2, 2, 2)``.
    """
    channels = (channels,) if isinstance(channels, numbers.Integral) else tuple(channels)
    if not channels or any(not isinstance(n, numbers.Integral) or n < 1 for n in channels):
        raise ValueError(f"channels must be a positive int or a tuple of them, got {channels!r}")
    channel_sep = "," if any(n > 9 for n in channels) else ""
    entry_sep = "," if max(rows, cols) > 9 else ""
    between = ";" if channel_sep or entry_sep else ","
    out = np.empty(channels + (rows, cols), dtype=object)
    for idx in np.ndindex(*channels):
        tag = channel_sep.join(str(i + 1) for i in idx)
        for i in range(rows):
            for j in range(cols):
                out[idx + (i, j)] = sp.Symbol(f"{name}_{{{tag}{between}{i + 1}{entry_sep}{j + 1}}}", **assumptions)
    return out


def nchw(m: ArrayLike) -> np.ndarray:
    """A 2-D array ``(H, W)`` as an ``(1, 1, H, W)`` batch of one single-channel image (a view).

    Used from book/part2/conv_forward.ipynb (The convolution layer, forward) on.
    """
    m = np.asarray(m)
    if m.ndim != 2:
        raise ValueError(f"m must be 2-D (H, W), got shape {m.shape}")
    return m[None, None]


def as_matrix(a: ArrayLike) -> sp.Matrix:
    """A 2-D array ``(H, W)`` (or a ``(1, 1, H, W)`` one) as an ``H x W`` ``sympy.Matrix`` for display.

    Used from book/training_process.ipynb (The training process) on.
    """
    a = np.asarray(a)
    while a.ndim > 2 and a.shape[0] == 1:
        a = a[0]
    if a.ndim != 2:
        raise ValueError(f"a must be 2-D or (1, 1, H, W), got shape {a.shape}")
    return sp.Matrix(a.tolist())


def grad(expr: sp.Expr, symbols: ArrayLike) -> np.ndarray:
    """Array of ``expand(sympy.diff(expr, s))`` for every symbol ``s`` of an array of symbols.

    Used from book/training_process.ipynb (The training process) on.

    Parameters
    ----------
    expr : SymPy expression (a scalar, e.g. the loss)
    symbols : array of SymPy symbols, any shape

    Returns
    -------
    object array (the shape of the array of symbols): the partial derivatives, expanded.
    """
    symbols = np.asarray(symbols, dtype=object)
    return np.vectorize(lambda s: sp.expand(sp.diff(expr, s)), otypes=[object])(symbols)


def as_delta(expr: sp.Expr, deltas: ArrayLike) -> sp.Expr:
    """An expression with every derivative of an undefined loss ``L(z_1, ..., z_n)`` named ``delta_i``.

    Differentiating ``L = sp.Function("L")(*z.ravel())`` through ``z`` leaves
    SymPy's ``Subs(Derivative(L(.., xi, ..), xi), xi, z_i)`` for ``∂L/∂z_i``;
    ``as_delta`` replaces it by ``deltas.ravel()[i]``, the book's
    ``δ_i = ∂L/∂z_i``, and expands. Introduced in book/part2/conv_dgrad.ipynb;
    used in book/part2/conv_wgrad.ipynb.

    Parameters
    ----------
    expr : SymPy expression, e.g. ``sp.diff(L, w11)``
    deltas : array of SymPy symbols, one per argument of ``L`` in its order
        (the shape does not matter: it is read row-major).

    Returns
    -------
    SymPy expression, expanded, in the symbols of ``deltas`` and of ``expr``.

    Raises
    ------
    ValueError
        If a derivative is taken in an argument beyond the ``deltas`` given.
    """
    deltas = np.ravel(np.asarray(deltas, dtype=object))

    def rename(subs):
        derivative = subs.expr
        position = derivative.expr.args.index(derivative.variables[0])
        if position >= deltas.size:
            raise ValueError(f"L has a derivative in its argument {position + 1}, "
                             f"but only {deltas.size} deltas were given")
        return deltas[position]

    return sp.expand(expr.replace(lambda e: isinstance(e, sp.Subs), rename))


def convolve_full(x: ArrayLike, k: ArrayLike) -> np.ndarray:
    """Textbook 2-D convolution, full size: ``(x * k)[p, q] = sum_{m, n} x[m, n] k[p - m, q - n]``.

    The definition of the signal-processing textbooks (the kernel is flipped),
    written index by index; its "valid" part is the slice ``[kh-1 : H, kw-1 : W]``.
    Used to read the source articles' formulas, which write this ``*``
    (book/errata/source_000.ipynb, book/part2/conv_dgrad.ipynb).

    Parameters
    ----------
    x : array of shape (H, W), numbers or SymPy expressions
    k : array of shape (kh, kw)

    Returns
    -------
    object array of shape (H + kh - 1, W + kw - 1), each entry expanded.
    """
    x, k = np.asarray(x), np.asarray(k)
    if x.ndim != 2 or k.ndim != 2:
        raise ValueError(f"x and k must be 2-D (H, W) and (kh, kw), got shapes {x.shape} and {k.shape}")
    (H, W), (kh, kw) = x.shape, k.shape
    out = np.empty((H + kh - 1, W + kw - 1), dtype=object)
    for p in range(H + kh - 1):
        for q in range(W + kw - 1):
            out[p, q] = sp.expand(sum((x[m, n] * k[p - m, q - n] for m in range(H) for n in range(W)
                                       if 0 <= p - m < kh and 0 <= q - n < kw), sp.Integer(0)))
    return out


def equal(a: ArrayLike, b: ArrayLike) -> bool:
    """True when two arrays of expressions have one shape and are equal element by element (``expand(a - b) == 0``).

    The comparison behind every "derived equals computed" assert, from book/training_process.ipynb on.
    """
    a, b = np.asarray(a, dtype=object), np.asarray(b, dtype=object)
    if a.shape != b.shape:
        return False
    return all(sp.expand(sp.sympify(x) - sp.sympify(y)) == 0 for x, y in zip(a.ravel(), b.ravel()))


def latex_labels(m: ArrayLike) -> list[list[str]]:
    """Cell labels ``"$<latex>$"`` of a 2-D array, as ``bplib.plot.show_matrix(labels=...)`` takes them.

    Used in the figures of book/part2/conv_wgrad.ipynb and book/part2/conv_as_matrix.ipynb.

    Parameters
    ----------
    m : array of shape (H, W), SymPy expressions or numbers

    Returns
    -------
    list of H lists of W strings, each entry printed by ``sympy.latex`` between dollar signs.
    """
    m = np.asarray(m, dtype=object)
    if m.ndim != 2:
        raise ValueError(f"m must be 2-D (H, W), got shape {m.shape}")
    return [[f"${sp.latex(v)}$" for v in row] for row in m]


def latex_equation(lhs: sp.Expr | np.ndarray | str, rhs: sp.Expr | np.ndarray | str, relation: str = "=") -> str:
    """LaTeX ``lhs = rhs`` with both sides printed by SymPy (strings are taken as LaTeX as they are).

    2-D arrays (or ``(1, 1, H, W)`` ones) print as matrices. Used in book/part2/conv_dgrad.ipynb,
    and by ``display_equation`` from book/training_process.ipynb on.
    """
    def tex(e):
        if isinstance(e, str):
            return e
        if isinstance(e, np.ndarray):
            e = as_matrix(e)
        return sp.latex(e)

    return f"{tex(lhs)} {relation} {tex(rhs)}"


def display_equation(lhs: sp.Expr | np.ndarray | str, rhs: sp.Expr | np.ndarray | str, relation: str = "=") -> None:
    """Display ``lhs = rhs`` as typeset math in a notebook (an ``IPython.display.Math``); see ``latex_equation``.

    Used from book/training_process.ipynb (The training process) on.
    """
    from IPython.display import Math, display

    display(Math(latex_equation(lhs, rhs, relation)))
