"""Convolution: the fast path equals the reference loops and central finite differences."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import bplib
from bplib import reference
from bplib.conv import conv2d_wgrad_from_columns, conv2d_with_columns
from bplib.gradcheck import numerical_gradient, relative_error

EPS_LINEAR = 1e-2  # finite-difference step for functions linear in the perturbed argument

# (x_shape, w_shape, stride, padding, dilation): square, rectangular, strided, padded, dilated.
GEOMETRIES = [
    ((1, 1, 3, 3), (1, 1, 2, 2), 1, 0, 1),
    ((2, 3, 5, 5), (4, 3, 3, 3), 1, 1, 1),
    ((2, 2, 7, 6), (3, 2, 3, 2), 2, 1, 1),
    ((1, 2, 8, 8), (2, 2, 3, 3), (2, 3), (1, 0), (2, 1)),
    ((3, 1, 6, 9), (2, 1, 2, 3), 3, 2, 2),
    ((2, 3, 4, 4), (5, 3, 4, 4), 1, 0, 1),  # kernel covers the input: a fully connected layer
    ((1, 2, 5, 5), (2, 2, 1, 1), 2, 0, 1),  # 1x1 kernel with stride > kernel: uncovered inputs
]


def _case(rng, x_shape, w_shape, stride, padding, dilation, dtype=np.float64):
    x = rng.standard_normal(x_shape).astype(dtype)
    w = rng.standard_normal(w_shape).astype(dtype)
    b = rng.standard_normal(w_shape[0]).astype(dtype)
    z_shape = bplib.conv2d_output_shape(x_shape, w_shape, stride, padding, dilation)
    dz = rng.standard_normal(z_shape).astype(dtype)
    return x, w, b, dz


@pytest.mark.parametrize("x_shape, w_shape, stride, padding, dilation", GEOMETRIES)
def test_fast_equals_reference(rng, x_shape, w_shape, stride, padding, dilation):
    x, w, b, dz = _case(rng, x_shape, w_shape, stride, padding, dilation)
    g = (stride, padding, dilation)
    np.testing.assert_allclose(bplib.conv2d(x, w, b, *g), reference.conv2d(x, w, b, *g), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(bplib.conv2d_dgrad(dz, w, x.shape, *g), reference.conv2d_dgrad(dz, w, x.shape, *g),
                               rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(bplib.conv2d_wgrad(dz, x, w.shape, *g), reference.conv2d_wgrad(dz, x, w.shape, *g),
                               rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(bplib.conv2d_bgrad(dz), reference.conv2d_bgrad(dz), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("x_shape, w_shape, stride, padding, dilation", GEOMETRIES)
def test_gradients_equal_finite_differences(rng, x_shape, w_shape, stride, padding, dilation):
    x, w, b, dz = _case(rng, x_shape, w_shape, stride, padding, dilation)
    g = (stride, padding, dilation)

    def loss(_):  # L = sum(z * dz), so dL/dz = dz exactly
        return float(np.sum(bplib.conv2d(x, w, b, *g) * dz))

    # L is linear in each of x, w, b, so central differences have no truncation error at any step;
    # a step of 1e-2 keeps the rounding error of L (about 1e-14 of a sum of ~100 terms) far below 1e-7.
    assert relative_error(bplib.conv2d_dgrad(dz, w, x.shape, *g), numerical_gradient(loss, x, EPS_LINEAR)) < 1e-7
    assert relative_error(bplib.conv2d_wgrad(dz, x, w.shape, *g), numerical_gradient(loss, w, EPS_LINEAR)) < 1e-7
    assert relative_error(bplib.conv2d_bgrad(dz), numerical_gradient(loss, b, EPS_LINEAR)) < 1e-7


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_preserved(rng, dtype):
    x, w, b, dz = _case(rng, (2, 3, 6, 6), (4, 3, 3, 3), 1, 1, 1, dtype)
    assert bplib.conv2d(x, w, b, padding=1).dtype == dtype
    assert bplib.conv2d_dgrad(dz, w, x.shape, padding=1).dtype == dtype
    assert bplib.conv2d_wgrad(dz, x, w.shape, padding=1).dtype == dtype
    assert bplib.conv2d_bgrad(dz).dtype == dtype


def test_float32_close_to_float64(rng):
    x, w, b, _ = _case(rng, (2, 3, 6, 6), (4, 3, 3, 3), 1, 1, 1)
    z64 = bplib.conv2d(x, w, b, padding=1)
    z32 = bplib.conv2d(x.astype(np.float32), w.astype(np.float32), b.astype(np.float32), padding=1)
    np.testing.assert_allclose(z32, z64, rtol=1e-4, atol=1e-5)


def test_rot180(rng):
    w = rng.standard_normal((2, 3, 3, 2))
    r = bplib.rot180(w)
    assert r.shape == w.shape
    np.testing.assert_array_equal(r[..., 0, 0], w[..., -1, -1])
    np.testing.assert_array_equal(bplib.rot180(r), w)
    np.testing.assert_array_equal(r[0, 0], np.rot90(w[0, 0], 2))


def test_output_shape_formula():
    # Ho = (H + 2p - d(k - 1) - 1) // s + 1
    assert bplib.conv2d_output_shape((1, 1, 3, 3), (1, 1, 2, 2)) == (1, 1, 2, 2)
    assert bplib.conv2d_output_shape((2, 3, 32, 32), (16, 3, 3, 3), padding=1) == (2, 16, 32, 32)
    assert bplib.conv2d_output_shape((1, 1, 7, 9), (4, 1, 3, 3), stride=2, dilation=(1, 2)) == (1, 4, 3, 3)


geometry = st.fixed_dictionaries({
    "N": st.integers(1, 3), "C": st.integers(1, 3), "K": st.integers(1, 3),
    "H": st.integers(1, 7), "W": st.integers(1, 7), "kh": st.integers(1, 3), "kw": st.integers(1, 3),
    "stride": st.tuples(st.integers(1, 3), st.integers(1, 3)),
    "padding": st.tuples(st.integers(0, 2), st.integers(0, 2)),
    "dilation": st.tuples(st.integers(1, 2), st.integers(1, 2)),
    "seed": st.integers(0, 2**16),
})


def _fits(p):
    return all(p["dilation"][i] * (k - 1) + 1 <= n + 2 * p["padding"][i]
               for i, (n, k) in enumerate([(p["H"], p["kh"]), (p["W"], p["kw"])]))


def _drawn_case(p):
    """Arrays for a hypothesis-drawn geometry: (x_shape, w_shape, (stride, padding, dilation), x, w, b, dz)."""
    x_shape, w_shape = (p["N"], p["C"], p["H"], p["W"]), (p["K"], p["C"], p["kh"], p["kw"])
    g = (p["stride"], p["padding"], p["dilation"])
    return (x_shape, w_shape, g) + _case(np.random.default_rng(p["seed"]), x_shape, w_shape, *g)


@given(geometry.filter(_fits))
def test_property_fast_equals_reference(p):
    x_shape, w_shape, g, x, w, b, dz = _drawn_case(p)
    z = bplib.conv2d(x, w, b, *g)
    assert z.shape == bplib.conv2d_output_shape(x_shape, w_shape, *g)
    np.testing.assert_allclose(z, reference.conv2d(x, w, b, *g), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(bplib.conv2d_dgrad(dz, w, x_shape, *g), reference.conv2d_dgrad(dz, w, x_shape, *g),
                               rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(bplib.conv2d_wgrad(dz, x, w_shape, *g), reference.conv2d_wgrad(dz, x, w_shape, *g),
                               rtol=1e-12, atol=1e-12)


@given(geometry.filter(_fits))
def test_property_adjoint(p):
    """dgrad is the adjoint of the forward map: <conv(x, w), dz> = <x, dgrad(dz, w)>, likewise wgrad."""
    x_shape, w_shape, g, x, w, _, dz = _drawn_case(p)
    lhs = np.sum(bplib.conv2d(x, w, None, *g) * dz)
    np.testing.assert_allclose(lhs, np.sum(x * bplib.conv2d_dgrad(dz, w, x_shape, *g)), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(lhs, np.sum(w * bplib.conv2d_wgrad(dz, x, w_shape, *g)), rtol=1e-10, atol=1e-10)


def test_wgrad_from_the_forward_columns(rng):
    x, w, b, dz = _case(rng, (2, 3, 6, 5), (4, 3, 3, 2), 2, 1, 1)
    z, cols = conv2d_with_columns(x, w, b, stride=2, padding=1)
    np.testing.assert_array_equal(z, bplib.conv2d(x, w, b, stride=2, padding=1))
    assert cols.shape == (2, 3 * 3 * 2, z.shape[2] * z.shape[3])
    np.testing.assert_allclose(conv2d_wgrad_from_columns(dz, cols, w.shape),
                               bplib.conv2d_wgrad(dz, x, w.shape, stride=2, padding=1), rtol=1e-13, atol=1e-13)
    with pytest.raises(ValueError, match="cols"):
        conv2d_wgrad_from_columns(dz, cols[:, :5], w.shape)


@pytest.mark.parametrize("x_shape, w_shape, stride, padding, dilation", GEOMETRIES)
def test_batch_split_across_threads_equals_reference(rng, monkeypatch, x_shape, w_shape, stride, padding, dilation):
    """Force the two-thread batch split on small cases so the reference loops can check it."""
    from bplib import _parallel

    monkeypatch.setattr(_parallel, "MIN_WORK", 0)
    x, w, b, dz = _case(rng, (3,) + x_shape[1:], w_shape, stride, padding, dilation)
    g = (stride, padding, dilation)
    assert len(_parallel.batch_slices(3, 1, np.float64)) == 2
    np.testing.assert_allclose(bplib.conv2d(x, w, b, *g), reference.conv2d(x, w, b, *g), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(bplib.conv2d_dgrad(dz, w, x.shape, *g), reference.conv2d_dgrad(dz, w, x.shape, *g),
                               rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(bplib.conv2d_wgrad(dz, x, w.shape, *g), reference.conv2d_wgrad(dz, x, w.shape, *g),
                               rtol=1e-12, atol=1e-12)
