"""Pooling: fast path equals the reference loops and finite differences; ties and overlaps."""
import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

import bplib
from bplib import reference
from bplib.gradcheck import numerical_gradient, relative_error

CASES = [  # (x_shape, kernel_size, stride)
    ((1, 1, 4, 4), 2, None),
    ((2, 3, 6, 6), 3, None),
    ((2, 2, 5, 7), 3, 1),       # overlapping windows
    ((1, 2, 7, 5), (2, 3), (2, 1)),
    ((3, 1, 5, 5), 2, 3),       # gaps: stride > kernel
]


@pytest.mark.parametrize("x_shape, k, s", CASES)
def test_max_pool_fast_equals_reference_and_fd(rng, x_shape, k, s):
    x = rng.standard_normal(x_shape)
    y = bplib.max_pool2d(x, k, s)
    np.testing.assert_array_equal(y, reference.max_pool2d(x, k, s))
    dy = rng.standard_normal(y.shape)
    dx = bplib.max_pool2d_backward(dy, x, k, s)
    np.testing.assert_allclose(dx, reference.max_pool2d_backward(dy, x, k, s), rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(bplib.max_pool2d_backward(dy, x, k, s, z=y), dx)  # with the kept forward output
    fd = numerical_gradient(lambda _: float(np.sum(bplib.max_pool2d(x, k, s) * dy)), x)
    assert relative_error(dx, fd) < 1e-7


@pytest.mark.parametrize("x_shape, k, s", CASES)
def test_avg_pool_fast_equals_reference_and_fd(rng, x_shape, k, s):
    x = rng.standard_normal(x_shape)
    y = bplib.avg_pool2d(x, k, s)
    np.testing.assert_allclose(y, reference.avg_pool2d(x, k, s), rtol=1e-12, atol=1e-12)
    dy = rng.standard_normal(y.shape)
    dx = bplib.avg_pool2d_backward(dy, x.shape, k, s)
    np.testing.assert_allclose(dx, reference.avg_pool2d_backward(dy, x.shape, k, s), rtol=1e-12, atol=1e-12)
    fd = numerical_gradient(lambda _: float(np.sum(bplib.avg_pool2d(x, k, s) * dy)), x)
    assert relative_error(dx, fd) < 1e-7


def test_max_pool_ties_go_to_first_maximum_in_row_major_order():
    x = np.array([[[[1.0, 5.0], [5.0, 5.0]]]])
    dx = bplib.max_pool2d_backward(np.array([[[[3.0]]]]), x, 2)
    np.testing.assert_array_equal(dx, [[[[0.0, 3.0], [0.0, 0.0]]]])
    np.testing.assert_array_equal(dx, reference.max_pool2d_backward(np.array([[[[3.0]]]]), x, 2))


def test_overlapping_windows_accumulate():
    x = np.array([[[[0.0, 0.0, 0.0], [0.0, 9.0, 0.0], [0.0, 0.0, 0.0]]]])  # the centre wins all four windows
    dx = bplib.max_pool2d_backward(np.ones((1, 1, 2, 2)), x, 2, 1)
    assert dx[0, 0, 1, 1] == 4.0 and dx.sum() == 4.0


def test_source_001_example_upsampling():
    """Source 001's delta = [[2, 8], [4, 6]] through 2x2 pooling: exact for the average, routed for the max."""
    delta = np.array([[[[2, 8], [4, 6]]]], dtype=object)
    dx = bplib.avg_pool2d_backward(delta, (1, 1, 4, 4), 2)
    R = sp.Rational
    expected = [[R(1, 2), R(1, 2), 2, 2], [R(1, 2), R(1, 2), 2, 2], [1, 1, R(3, 2), R(3, 2)], [1, 1, R(3, 2), R(3, 2)]]
    assert dx[0, 0].tolist() == expected
    x = np.zeros((1, 1, 4, 4))
    for (i, j) in [(0, 0), (1, 3), (2, 1), (3, 2)]:
        x[0, 0, i, j] = 1.0
    dmax = bplib.max_pool2d_backward(delta.astype(float), x, 2)
    np.testing.assert_array_equal(dmax[0, 0], [[2, 0, 0, 0], [0, 0, 0, 8], [0, 4, 0, 0], [0, 0, 6, 0]])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_pool_dtype_preserved(rng, dtype):
    x = rng.standard_normal((2, 3, 6, 6)).astype(dtype)
    y = bplib.max_pool2d(x, 2)
    assert y.dtype == dtype and bplib.max_pool2d_backward(y, x, 2).dtype == dtype
    assert bplib.avg_pool2d(x, 2).dtype == dtype and bplib.avg_pool2d_backward(y, x.shape, 2).dtype == dtype


pool_case = st.fixed_dictionaries({
    "N": st.integers(1, 3), "C": st.integers(1, 3), "H": st.integers(1, 8), "W": st.integers(1, 8),
    "kh": st.integers(1, 3), "kw": st.integers(1, 3),
    "stride": st.one_of(st.none(), st.tuples(st.integers(1, 3), st.integers(1, 3))),
    "seed": st.integers(0, 2**16),
}).filter(lambda p: p["kh"] <= p["H"] and p["kw"] <= p["W"])


@given(pool_case)
def test_property_pooling_equals_reference(p):
    rng = np.random.default_rng(p["seed"])
    x = rng.standard_normal((p["N"], p["C"], p["H"], p["W"]))
    k, s = (p["kh"], p["kw"]), p["stride"]
    y = bplib.max_pool2d(x, k, s)
    assert y.shape == bplib.pool2d_output_shape(x.shape, k, s)
    np.testing.assert_array_equal(y, reference.max_pool2d(x, k, s))
    dy = rng.standard_normal(y.shape)
    np.testing.assert_allclose(bplib.max_pool2d_backward(dy, x, k, s), reference.max_pool2d_backward(dy, x, k, s),
                               rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(bplib.avg_pool2d(x, k, s), reference.avg_pool2d(x, k, s), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(bplib.avg_pool2d_backward(dy, x.shape, k, s),
                               reference.avg_pool2d_backward(dy, x.shape, k, s), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("x_shape, k, s", CASES)
def test_max_pool_backward_batch_split_equals_reference(rng, monkeypatch, x_shape, k, s):
    from bplib import _parallel

    monkeypatch.setattr(_parallel, "MIN_WORK", 0)
    x = rng.standard_normal((3,) + x_shape[1:])
    dy = rng.standard_normal(bplib.pool2d_output_shape(x.shape, k, s))
    np.testing.assert_allclose(bplib.max_pool2d_backward(dy, x, k, s), reference.max_pool2d_backward(dy, x, k, s),
                               rtol=1e-12, atol=1e-12)  # overlapping windows add in another order
