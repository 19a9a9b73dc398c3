"""Linear layer, activations and losses against finite differences and closed forms."""
import numpy as np
import pytest

import bplib
from bplib.gradcheck import numerical_gradient, relative_error


def test_linear_gradients(rng):
    x, w, b = rng.standard_normal((4, 5)), rng.standard_normal((3, 5)), rng.standard_normal(3)
    dz = rng.standard_normal((4, 3))

    def loss(_):
        return float(np.sum(bplib.linear(x, w, b) * dz))

    np.testing.assert_allclose(bplib.linear(x, w, b), x @ w.T + b, rtol=1e-12)
    # linear in each argument: no truncation error, so a large step only cuts rounding error
    assert relative_error(bplib.linear_dgrad(dz, w), numerical_gradient(loss, x, 1e-2)) < 1e-7
    assert relative_error(bplib.linear_wgrad(dz, x), numerical_gradient(loss, w, 1e-2)) < 1e-7
    assert relative_error(bplib.linear_bgrad(dz), numerical_gradient(loss, b, 1e-2)) < 1e-7


@pytest.mark.parametrize("f, f_prime", [(bplib.sigmoid, bplib.sigmoid_prime), (bplib.tanh, bplib.tanh_prime),
                                         (bplib.relu, bplib.relu_prime)])
def test_activation_derivatives(rng, f, f_prime):
    z = rng.standard_normal((3, 4)) * 3
    z[np.abs(z) < 1e-3] = 0.5  # keep away from ReLU's kink
    fd = numerical_gradient(lambda _: float(np.sum(f(z))), z)
    assert relative_error(f_prime(z), fd) < 1e-7


def test_sigmoid_closed_form_and_extremes():
    z = np.array([-800.0, -2.0, 0.0, 2.0, 800.0])
    np.testing.assert_allclose(bplib.sigmoid(z[1:4]), 1 / (1 + np.exp(-z[1:4])), rtol=1e-15)
    assert bplib.sigmoid(z)[0] == 0.0 and bplib.sigmoid(z)[-1] == 1.0


def test_softmax_rows_sum_to_one_and_are_stable():
    z = np.array([[1000.0, 1000.0, 999.0], [0.0, 1.0, 2.0]])
    p = bplib.softmax(z)
    assert np.all(np.isfinite(p))
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-15)
    e = np.exp([0.0, 1.0, 2.0])
    np.testing.assert_allclose(p[1], e / e.sum(), rtol=1e-15)


def test_half_squared_error_is_half_sum_of_squares(rng):
    a, t = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    assert bplib.half_squared_error(a, t) == pytest.approx(0.5 * np.sum((a - t) ** 2), rel=1e-15)
    fd = numerical_gradient(lambda _: bplib.half_squared_error(a, t), a)
    assert relative_error(bplib.half_squared_error_grad(a, t), fd) < 1e-7


def test_softmax_cross_entropy_and_gradient(rng):
    z, labels = rng.standard_normal((5, 4)), np.array([0, 3, 1, 1, 2])
    expected = -np.mean(np.log(bplib.softmax(z)[np.arange(5), labels]))
    assert bplib.softmax_cross_entropy(z, labels) == pytest.approx(expected, rel=1e-14)
    grad = bplib.softmax_cross_entropy_grad(z, labels)
    np.testing.assert_allclose(grad, (bplib.softmax(z) - bplib.one_hot(labels, 4)) / 5, rtol=1e-14)
    fd = numerical_gradient(lambda _: bplib.softmax_cross_entropy(z, labels), z)
    assert relative_error(grad, fd) < 1e-7


@pytest.mark.parametrize("order, eps", [(2, 1e-5), (4, 1e-3)])
def test_numerical_gradient_stencils_on_a_known_function(order, eps):
    x = np.array([0.3, -1.2, 2.0])
    fd = numerical_gradient(lambda v: float(np.sum(np.sin(v) * v**2)), x, eps, order=order)
    exact = np.cos(x) * x**2 + 2 * x * np.sin(x)
    assert relative_error(fd, exact) < (1e-9 if order == 2 else 1e-11)
    np.testing.assert_array_equal(x, [0.3, -1.2, 2.0])  # restored after the in-place perturbation


def test_gradcheck_detects_a_wrong_gradient():
    x = np.array([1.0, 2.0])
    f = lambda v: float(np.sum(v**3))  # noqa: E731
    assert bplib.gradcheck(f, x, 3 * x**2) < 1e-9
    assert bplib.gradcheck(f, x, 2 * x**2) > 0.1
