"""SymPy's LaTeX in the book's notation (book/notation.md): one symbol, one meaning.

``sympy.latex`` prints two things with letters that mean something else in this
book: a transpose as ``X^{T}`` (the book's :math:`T` is the matrix of a
convolution, book/part2/conv_as_matrix.ipynb) and the Heaviside step as
``\\theta(z)`` (the book's :math:`\\theta` is the vector of all parameters,
book/part1/gradient_descent.ipynb). ``latex`` prints them as ``X^{\\top}`` and
``\\operatorname{step}\\left(z\\right)``, and everything else exactly as
``sympy.latex`` does. Pass its result to ``bplib.symbolic.display_equation``,
which takes a string as LaTeX as it is.
"""
from __future__ import annotations

from typing import Any

import sympy as sp
from sympy.matrices import BlockMatrix, MatrixSymbol
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import precedence_traditional

__all__ = ["BookLatexPrinter", "latex"]


class BookLatexPrinter(LatexPrinter):
    """``sympy``'s LaTeX printer with the book's transpose ``^{\\top}`` and unit step ``step``.

    Introduced in book/part1/relu_network.ipynb (ReLU's derivative is the unit
    step) and used in book/part1/gradient_descent.ipynb (``X^{\\top}``) and
    book/part2/pooling.ipynb (the derivative of a maximum).

    Parameters
    ----------
    settings : dict or None
        The settings of ``sympy.latex`` (``symbol_names``, ``mul_symbol``, ...).
    """

    def __init__(self, settings: dict[str, Any] | None = None) -> None:
        super().__init__(settings)

    def _print_Transpose(self, expr: sp.Transpose) -> str:
        # sympy's rule for parentheses, with ^{\top} in place of ^{T}
        mat = expr.arg
        if not isinstance(mat, (MatrixSymbol, BlockMatrix)) and mat.is_MatrixExpr:
            return r"\left(%s\right)^{\top}" % self._print(mat)
        s = self.parenthesize(mat, precedence_traditional(expr), True)
        if "^" in s:
            return r"\left(%s\right)^{\top}" % s
        return r"%s^{\top}" % s

    def _print_Heaviside(self, expr: sp.Heaviside, exp: str | None = None) -> str:
        # step(z); a value at 0 other than SymPy's default 1/2 is printed as a second argument
        tex = r"\operatorname{step}\left(%s\right)" % ", ".join(self._print(arg) for arg in expr.pargs)
        if exp:
            tex = r"\left(%s\right)^{%s}" % (tex, exp)
        return tex


def latex(expr: Any, **settings: Any) -> str:
    """LaTeX of a SymPy expression (or matrix) in the book's notation; see ``BookLatexPrinter``.

    Introduced in book/part1/relu_network.ipynb.

    Parameters
    ----------
    expr : SymPy expression, matrix or anything ``sympy.latex`` accepts
    settings : the keyword settings of ``sympy.latex``

    Returns
    -------
    str, the LaTeX (without dollar signs); the same as ``sympy.latex(expr, **settings)``
    except ``X^{\\top}`` for a transpose and ``\\operatorname{step}\\left(z\\right)`` for
    ``Heaviside(z)`` (``\\operatorname{step}\\left(z, 0\\right)`` for ``Heaviside(z, 0)``).
    """
    return BookLatexPrinter(settings).doprint(expr)
