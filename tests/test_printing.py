"""bplib.printing: SymPy's LaTeX with the book's transpose and unit step, and nothing else changed."""
import sympy as sp

from bplib.printing import latex


def test_transpose_is_top_not_T():
    X = sp.MatrixSymbol("X", 3, 2)
    w = sp.MatrixSymbol("w", 2, 1)
    t = sp.MatrixSymbol("t", 3, 1)
    assert latex(X.T) == r"X^{\top}"
    assert latex(X.T * X) == r"X^{\top} X"
    assert latex(sp.Transpose(X * w - t)) == r"\left(X w - t\right)^{\top}"
    assert latex(sp.Transpose(X * w)) == r"\left(X w\right)^{\top}"
    # the derivative of a least-squares loss, as gradient_descent.ipynb displays it
    grad = sp.diff((X * w - t).T * (X * w - t) / 2, w)
    tex = latex(grad)
    assert r"^{\top}" in tex and "^{T}" not in tex
    assert tex == sp.latex(grad).replace("^{T}", r"^{\top}")


def test_heaviside_is_step_not_theta():
    z = sp.Symbol("z", real=True)
    assert latex(sp.Heaviside(z)) == r"\operatorname{step}\left(z\right)"
    assert latex(sp.Heaviside(z, 0)) == r"\operatorname{step}\left(z, 0\right)"
    assert latex(sp.Heaviside(z) ** 2) == r"\left(\operatorname{step}\left(z\right)\right)^{2}"
    # what SymPy gives for ReLU' and for the derivative of a maximum
    a = sp.symbols("a1:4", real=True)
    assert r"\theta" not in latex(sp.diff(sp.Max(0, z), z))
    assert latex(sp.diff(sp.Max(*a), a[0])) == (
        r"\operatorname{step}\left(a_{1} - \max\left(a_{2}, a_{3}\right)\right)")


def test_everything_else_as_sympy_prints_it():
    x, y = sp.symbols("x y")
    theta = sp.Symbol("theta")
    for expr in (x ** 2 / 2 - x * y, sp.exp(-x) / (1 + sp.exp(-x)), sp.Matrix([[x, y], [0, x]]),
                 sp.Max(0, x), theta * x, sp.log(x) + sp.sqrt(y)):
        assert latex(expr) == sp.latex(expr)
    names = {x: r"\delta_{1,10}"}
    assert latex(x + y, symbol_names=names) == sp.latex(x + y, symbol_names=names)
