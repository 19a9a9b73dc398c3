"""SymPy helpers: arrays of named symbols, exact comparison, and LaTeX for display.

The chapters build arrays of symbols (``a11 .. a33``, ``w11 .. w22``), pass them
through the very same ``bplib`` functions that compute with numbers, and show
the result as LaTeX printed by SymPy itself.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

__all__ = ["symbol_matrix", "nchw", "as_matrix", "equal", "latex_equation", "display_equation"]


def symbol_matrix(name, rows, cols, start=1, superscript=None, **assumptions):
    """``(rows, cols)`` object array of symbols ``name11, name12, ...`` (1-based, like the articles).

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


def nchw(m):
    """A 2-D array as an ``(1, 1, H, W)`` batch of one single-channel image (a view)."""
    m = np.asarray(m)
    if m.ndim != 2:
        raise ValueError(f"m must be 2-D (H, W), got shape {m.shape}")
    return m[None, None]


def as_matrix(a):
    """A 2-D array (or a ``(1, 1, H, W)`` one) as a ``sympy.Matrix`` for display."""
    a = np.asarray(a)
    while a.ndim > 2 and a.shape[0] == 1:
        a = a[0]
    if a.ndim != 2:
        raise ValueError(f"a must be 2-D or (1, 1, H, W), got shape {a.shape}")
    return sp.Matrix(a.tolist())


def equal(a, b):
    """True when two arrays of expressions are equal element by element (``expand(a - b) == 0``)."""
    a, b = np.asarray(a, dtype=object), np.asarray(b, dtype=object)
    if a.shape != b.shape:
        return False
    return all(sp.expand(sp.sympify(x) - sp.sympify(y)) == 0 for x, y in zip(a.ravel(), b.ravel()))


def latex_equation(lhs, rhs, relation="="):
    """LaTeX ``lhs = rhs`` with both sides printed by SymPy (strings are taken as LaTeX as they are)."""
    def tex(e):
        if isinstance(e, str):
            return e
        if isinstance(e, np.ndarray):
            e = as_matrix(e)
        return sp.latex(e)

    return f"{tex(lhs)} {relation} {tex(rhs)}"


def display_equation(lhs, rhs, relation="="):
    """Display ``lhs = rhs`` as typeset math in a notebook (an ``IPython.display.Math``)."""
    from IPython.display import Math, display

    display(Math(latex_equation(lhs, rhs, relation)))
