"""The symbolic path: the same bplib functions on arrays of SymPy symbols give the derivation."""

import numpy as np
import pytest
import sympy as sp

import bplib
from bplib.symbolic import (as_delta, as_matrix, channel_symbols, convolve_full, equal, grad, latex_equation,
                            latex_labels, nchw, symbol_matrix)


def _sym(name):
    return sp.Symbol(name)


def test_conv2d_3x3_by_2x2_expansion_term_by_term():
    a, w = symbol_matrix("a", 3, 3), symbol_matrix("w", 2, 2)
    z = bplib.conv2d(nchw(a), nchw(w))[0, 0]
    A = {f"{i}{j}": _sym(f"a{i}{j}") for i in range(1, 4) for j in range(1, 4)}
    W = {f"{i}{j}": _sym(f"w{i}{j}") for i in range(1, 3) for j in range(1, 3)}
    expected = {
        (0, 0): A["11"] * W["11"] + A["12"] * W["12"] + A["21"] * W["21"] + A["22"] * W["22"],
        (0, 1): A["12"] * W["11"] + A["13"] * W["12"] + A["22"] * W["21"] + A["23"] * W["22"],
        (1, 0): A["21"] * W["11"] + A["22"] * W["12"] + A["31"] * W["21"] + A["32"] * W["22"],
        (1, 1): A["22"] * W["11"] + A["23"] * W["12"] + A["32"] * W["21"] + A["33"] * W["22"],
    }
    for (u, v), e in expected.items():
        got = sp.expand(z[u, v])
        assert set(got.as_ordered_terms()) == set(e.as_ordered_terms())  # the same four products
        assert sp.expand(got - e) == 0


def _delta_loss(z, d):
    """L = sum(z * d): a loss whose dL/dz is the symbol array d."""
    return sum(sp.expand(zi * di) for zi, di in zip(z.ravel(), d.ravel()))


@pytest.mark.parametrize("n, k, s, p, dil", [(3, 2, 1, 0, 1), (4, 3, 1, 1, 1), (5, 2, 2, 0, 1),
                                              (5, 2, 1, 1, 2), (4, 2, 2, 1, 1)])
def test_dgrad_and_wgrad_on_symbols_equal_sympy_diff(n, k, s, p, dil):
    a, w = symbol_matrix("a", n, n), symbol_matrix("w", k, k)
    z = bplib.conv2d(nchw(a), nchw(w), stride=s, padding=p, dilation=dil)
    d = symbol_matrix("d", z.shape[2], z.shape[3])
    L = _delta_loss(z, d)
    derived_dx = np.vectorize(lambda ai: sp.diff(L, ai), otypes=[object])(a)
    derived_dw = np.vectorize(lambda wi: sp.diff(L, wi), otypes=[object])(w)
    dx = bplib.conv2d_dgrad(nchw(d), nchw(w), (1, 1, n, n), s, p, dil)[0, 0]
    dw = bplib.conv2d_wgrad(nchw(d), nchw(a), (1, 1, k, k), s, p, dil)[0, 0]
    assert equal(derived_dx, dx)
    assert equal(derived_dw, dw)


def test_dgrad_is_padded_delta_correlated_with_rotated_kernel():
    w, d = symbol_matrix("w", 2, 2), symbol_matrix("d", 2, 2)
    padded = np.pad(d, 1, constant_values=sp.Integer(0))
    full = bplib.conv2d(nchw(padded), nchw(bplib.rot180(w)))[0, 0]
    assert equal(full, bplib.conv2d_dgrad(nchw(d), nchw(w), (1, 1, 3, 3))[0, 0])


def test_bias_gradient_is_sum_of_delta():
    d = symbol_matrix("d", 2, 2)
    b = sp.Symbol("b")
    z = bplib.conv2d(nchw(symbol_matrix("a", 3, 3)), nchw(symbol_matrix("w", 2, 2)), np.array([b], dtype=object))
    L = _delta_loss(z, d)
    assert sp.expand(sp.diff(L, b) - bplib.conv2d_bgrad(nchw(d))[0]) == 0


def test_avg_pool_backward_exact_rationals():
    dy = nchw(symbol_matrix("d", 2, 2))
    x = nchw(symbol_matrix("a", 4, 4))
    y = bplib.avg_pool2d(x, 2)
    L = _delta_loss(y, dy[0, 0])
    derived = np.vectorize(lambda ai: sp.diff(L, ai), otypes=[object])(x[0, 0])
    assert equal(derived, bplib.avg_pool2d_backward(dy, (1, 1, 4, 4), 2)[0, 0])


def test_linear_on_symbols():
    x, w = symbol_matrix("x", 1, 3), symbol_matrix("w", 2, 3)
    z = bplib.linear(x, w)
    assert equal(z, [[sum(w[o, i] * x[0, i] for i in range(3)) for o in range(2)]])


def test_helpers():
    a = symbol_matrix("a", 2, 3)
    assert [str(s) for s in a.ravel()] == ["a11", "a12", "a13", "a21", "a22", "a23"]
    assert str(symbol_matrix("a", 10, 1)[9, 0]) == "a_{10,1}"
    assert nchw(a).shape == (1, 1, 2, 3)
    assert as_matrix(nchw(a)) == sp.Matrix(a.tolist())
    assert not equal(a, a[:, :2])
    assert latex_equation(sp.Symbol("z"), a[0, 0] + a[0, 1]) == "z = a_{11} + a_{12}"
    with pytest.raises(ValueError, match="m must be 2-D"):
        nchw(np.zeros(3))


def test_symbol_matrix_superscript():
    a = symbol_matrix("a", 2, 2, superscript="(1)")
    assert str(a[1, 0]) == "a^{(1)}_{21}"
    assert sp.latex(a[1, 0]) == "a^{(1)}_{21}"


def test_grad_is_the_array_of_partial_derivatives():
    a = symbol_matrix("a", 2, 2)
    x, y = sp.symbols("x y")
    L = (a[0, 0] * x + a[1, 1]) ** 2 + a[0, 1] * y
    g = grad(L, a)
    assert g.shape == (2, 2) and g.dtype == object
    # by hand: dL/da11 = 2x(a11 x + a22), dL/da12 = y, dL/da21 = 0, dL/da22 = 2(a11 x + a22)
    expected = [[2 * x**2 * a[0, 0] + 2 * x * a[1, 1], y], [0, 2 * x * a[0, 0] + 2 * a[1, 1]]]
    assert g.tolist() == expected  # expanded, so the forms match exactly


def test_convolve_full_is_the_textbook_convolution():
    from scipy.signal import convolve2d

    rng = np.random.default_rng(0)
    x, k = rng.integers(-5, 6, (4, 3)), rng.integers(-5, 6, (2, 3))
    np.testing.assert_array_equal(convolve_full(x, k).astype(int), convolve2d(x, k, mode="full"))
    # on symbols: the corner entries of a 2x2 * 2x2 convolution, written out by hand
    a, w = symbol_matrix("a", 2, 2), symbol_matrix("w", 2, 2)
    full = convolve_full(a, w)
    assert full.shape == (3, 3)
    assert full[0, 0] == a[0, 0] * w[0, 0] and full[2, 2] == a[1, 1] * w[1, 1]
    assert sp.expand(full[1, 1] - (a[0, 0] * w[1, 1] + a[0, 1] * w[1, 0] + a[1, 0] * w[0, 1] + a[1, 1] * w[0, 0])) == 0
    with pytest.raises(ValueError, match="2-D"):
        convolve_full(np.zeros(3), np.zeros((2, 2)))


def test_latex_labels_of_a_matrix():
    a = symbol_matrix("a", 2, 2, superscript="(1)")
    assert latex_labels(a) == [["$a^{(1)}_{11}$", "$a^{(1)}_{12}$"], ["$a^{(1)}_{21}$", "$a^{(1)}_{22}$"]]
    assert latex_labels(np.array([[sp.Rational(1, 2), 0]], dtype=object)) == [[r"$\frac{1}{2}$", "$0$"]]
    with pytest.raises(ValueError, match="2-D"):
        latex_labels(np.zeros(3))


def test_channel_symbols_stack_symbol_matrices():
    a = channel_symbols("a", 2, 3, 3)
    assert a.shape == (2, 3, 3)
    assert str(a[1, 2, 0]) == "a_{2,31}"                   # channel 2, entry (3, 1)
    w = channel_symbols("w", (3, 2), 2, 2)
    assert w.shape == (3, 2, 2, 2)
    assert str(w[2, 0, 0, 1]) == "w_{31,12}"              # kernel k=3, c=1, entry (1, 2)
    assert str(channel_symbols("d", (10, 1), 1, 1)[9, 0, 0, 0]) == "d_{10,1;11}"
    assert str(channel_symbols("d", 2, 10, 1)[1, 9, 0]) == "d_{2;10,1}"
    assert sp.latex(w[2, 0, 0, 1]) == "w_{31,12}"
    assert len(set(w.ravel())) == w.size                  # every symbol distinct
    big = channel_symbols("d", (11, 2), 11, 2)
    assert len(set(big.ravel())) == big.size
    with pytest.raises(ValueError, match="channels"):
        channel_symbols("a", 0, 2, 2)


def test_as_delta_names_the_loss_derivatives():
    a, w = symbol_matrix("a", 3, 3), symbol_matrix("w", 2, 2)
    z = bplib.conv2d(nchw(a), nchw(w))[0, 0]
    delta = symbol_matrix(r"\delta", 2, 2)
    L = sp.Function("L")(*z.ravel())
    # an independent route: a loss that is linear in z with coefficients delta has dL/dz = delta
    L_linear = sum(delta.ravel() * z.ravel())
    for v in [*w.ravel(), *a.ravel()]:
        assert sp.expand(as_delta(sp.diff(L, v), delta) - sp.diff(L_linear, v)) == 0
    assert not as_delta(sp.diff(L, w[0, 0]), delta).atoms(sp.Subs)
    with pytest.raises(ValueError, match="only 3 deltas"):
        as_delta(sp.diff(L, a[2, 2]), delta.ravel()[:3])
