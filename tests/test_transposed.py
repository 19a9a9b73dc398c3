"""bplib.transposed: the dgrad and wgrad written as transposed convolution / correlation equal the fast path."""
import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import bplib
from bplib.transposed import conv2d_dgrad_transposed, conv_transpose2d, dilate, wgrad_by_correlation


def test_dilate_inserts_zeros():
    x = np.arange(1, 5, dtype=float).reshape(1, 1, 2, 2)
    np.testing.assert_array_equal(dilate(x, 2)[0, 0], [[1, 0, 2], [0, 0, 0], [3, 0, 4]])
    np.testing.assert_array_equal(dilate(x, 1), x)


case = st.fixed_dictionaries({
    "H": st.integers(2, 7), "W": st.integers(2, 7), "k": st.integers(1, 3),
    "s": st.integers(1, 3), "p": st.integers(0, 2), "d": st.integers(1, 2), "seed": st.integers(0, 1000),
}).filter(lambda c: c["d"] * (c["k"] - 1) + 1 <= min(c["H"], c["W"]) + 2 * c["p"])


@given(case)
def test_transposed_forms_equal_fast_path(c):
    rng = np.random.default_rng(c["seed"])
    x = rng.standard_normal((2, 2, c["H"], c["W"]))
    w = rng.standard_normal((3, 2, c["k"], c["k"]))
    g = (c["s"], c["p"], c["d"])
    dz = rng.standard_normal(bplib.conv2d_output_shape(x.shape, w.shape, *g))
    np.testing.assert_allclose(conv2d_dgrad_transposed(dz, w, x.shape, *g), bplib.conv2d_dgrad(dz, w, x.shape, *g),
                               rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(wgrad_by_correlation(dz, x, w.shape, *g), bplib.conv2d_wgrad(dz, x, w.shape, *g),
                               rtol=1e-12, atol=1e-12)


def test_conv_transpose2d_is_the_adjoint_of_conv2d(rng):
    x = rng.standard_normal((1, 2, 5, 5))
    w = rng.standard_normal((3, 2, 3, 3))
    z = bplib.conv2d(x, w, stride=2, padding=1)
    dz = rng.standard_normal(z.shape)
    dx = conv_transpose2d(dz, w, stride=2, padding=1)
    assert dx.shape == x.shape
    np.testing.assert_allclose(np.sum(z * dz), np.sum(x * dx), rtol=1e-12)
