"""bplib.conv_matrix: the convolution as a matrix, against conv2d, and its transpose against conv2d_dgrad."""
import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

import bplib
from bplib.symbolic import equal, nchw, symbol_matrix


def test_3x3_input_2x2_kernel_written_out():
    """The four rows of T for source 001's example: z11 = a11 w11 + a12 w12 + a21 w21 + a22 w22, and so on."""
    w = symbol_matrix("w", 2, 2)
    w11, w12, w21, w22 = w.ravel()
    T = bplib.conv_matrix(w, (3, 3))
    expected = [[w11, w12, 0, w21, w22, 0, 0, 0, 0],
                [0, w11, w12, 0, w21, w22, 0, 0, 0],
                [0, 0, 0, w11, w12, 0, w21, w22, 0],
                [0, 0, 0, 0, w11, w12, 0, w21, w22]]
    assert T.dtype == object and T.shape == (4, 9)
    assert T.tolist() == expected
    a = symbol_matrix("a", 3, 3)
    assert equal(T @ a.ravel(), bplib.conv2d(nchw(a), nchw(w)).ravel())


def test_transpose_is_the_input_gradient_on_symbols():
    w, d = symbol_matrix("w", 2, 2), symbol_matrix("delta", 2, 2)
    T = bplib.conv_matrix(w, (3, 3))
    assert equal(T.T @ d.ravel(), bplib.conv2d_dgrad(nchw(d), nchw(w), (1, 1, 3, 3)).ravel())


geometry = st.fixed_dictionaries({
    "K": st.integers(1, 2), "T": st.integers(1, 2), "H": st.integers(1, 6), "W": st.integers(1, 6),
    "kh": st.integers(1, 3), "kw": st.integers(1, 3),
    "stride": st.tuples(st.integers(1, 3), st.integers(1, 3)),
    "padding": st.tuples(st.integers(0, 2), st.integers(0, 2)),
    "dilation": st.tuples(st.integers(1, 2), st.integers(1, 2)),
    "seed": st.integers(0, 2**16),
}).filter(lambda p: p["dilation"][0] * (p["kh"] - 1) + 1 <= p["H"] + 2 * p["padding"][0]
          and p["dilation"][1] * (p["kw"] - 1) + 1 <= p["W"] + 2 * p["padding"][1])


@given(geometry)
def test_property_matrix_equals_conv2d_and_its_transpose_the_dgrad(p):
    rng = np.random.default_rng(p["seed"])
    g = (p["stride"], p["padding"], p["dilation"])
    x = rng.standard_normal((1, p["T"], p["H"], p["W"]))
    w = rng.standard_normal((p["K"], p["T"], p["kh"], p["kw"]))
    T = bplib.conv_matrix(w, x.shape[1:], *g)
    z = bplib.conv2d(x, w, None, *g)
    assert T.shape == (z.size, x.size) and T.dtype == w.dtype
    np.testing.assert_allclose(T @ x.ravel(), z.ravel(), rtol=1e-12, atol=1e-12)
    delta = rng.standard_normal(z.shape)
    np.testing.assert_allclose(T.T @ delta.ravel(), bplib.conv2d_dgrad(delta, w, x.shape, *g).ravel(),
                               rtol=1e-12, atol=1e-12)
    if p["K"] == p["T"] == 1:      # a single-channel kernel given as (kh, kw) gives the same matrix
        np.testing.assert_array_equal(bplib.conv_matrix(w[0, 0], x.shape[2:], *g), T)


def test_padding_leaves_out_the_kernel_entries_outside_the_input():
    w = np.arange(1.0, 10.0).reshape(3, 3)
    T = bplib.conv_matrix(w, (5, 5), stride=2, padding=1)
    assert T.shape == (9, 25)
    # each row holds the kernel entries that fall inside the input: all nine for the centre output
    np.testing.assert_array_equal(np.sort(T[4][T[4] != 0]), np.arange(1.0, 10.0))
    assert sorted(T[0][T[0] != 0].tolist()) == [5.0, 6.0, 8.0, 9.0]   # the top-left window hangs over the padding


def test_bad_arguments():
    with pytest.raises(ValueError, match="w must have 2 dimensions"):
        bplib.conv_matrix(np.zeros((1, 2, 2)), (3, 3))
    with pytest.raises(ValueError, match="x_shape"):
        bplib.conv_matrix(np.zeros((1, 1, 2, 2)), (3, 3))
    with pytest.raises(ValueError, match="kernel larger"):
        bplib.conv_matrix(np.zeros((4, 4)), (3, 3))
    with pytest.raises(TypeError, match="stride"):
        bplib.conv_matrix(np.zeros((2, 2)), (3, 3), stride=1.5)
    assert bplib.conv_matrix(np.array([[sp.Integer(2)]], dtype=object), (1, 1)).tolist() == [[2]]
