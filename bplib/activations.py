"""Activation functions ``a = sigma(z)`` and their derivatives ``sigma'(z)``, elementwise.

Each works on numbers and on NumPy arrays of SymPy expressions (``dtype=object``).
Backward through an activation is ``dz = da * sigma'(z)`` (an elementwise product).
"""
from __future__ import annotations

import numpy as np

from ._checks import as_array, check_numeric_or_object

__all__ = [
    "sigmoid",
    "sigmoid_prime",
    "relu",
    "relu_prime",
    "tanh",
    "tanh_prime",
    "softmax",
]


def _z(z):
    z = as_array(z, "z")
    check_numeric_or_object(z, "z")
    return z


def _symbolic(f, z):
    """Apply a SymPy function elementwise to an object array."""
    return np.vectorize(f, otypes=[object])(z)


def sigmoid(z):
    """Logistic function ``sigma(z) = 1 / (1 + exp(-z))``; any shape in, same shape out."""
    z = _z(z)
    if z.dtype == object:
        import sympy

        return _symbolic(lambda t: 1 / (1 + sympy.exp(-t)), z)
    z = z.astype(np.result_type(z.dtype, np.float64), copy=False)
    # 0.5 * (1 + tanh(z/2)) equals 1/(1 + exp(-z)) and never overflows.
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def sigmoid_prime(z):
    """Derivative ``sigma'(z) = sigma(z) * (1 - sigma(z))``; any shape in, same shape out."""
    s = sigmoid(z)
    return s * (1 - s)


def relu(z):
    """Rectified linear unit ``max(0, z)``; any shape in, same shape out."""
    z = _z(z)
    if z.dtype == object:
        import sympy

        return _symbolic(lambda t: sympy.Max(0, t), z)
    return np.maximum(z, 0)


def relu_prime(z):
    """Derivative of ReLU: 1 where ``z > 0``, else 0 (the value 0 is taken at ``z = 0``)."""
    z = _z(z)
    if z.dtype == object:
        import sympy

        return _symbolic(lambda t: sympy.Heaviside(t, 0), z)
    return (z > 0).astype(np.result_type(z.dtype, np.float64) if z.dtype.kind != "f" else z.dtype)


def tanh(z):
    """Hyperbolic tangent; any shape in, same shape out."""
    z = _z(z)
    if z.dtype == object:
        import sympy

        return _symbolic(sympy.tanh, z)
    return np.tanh(z)


def tanh_prime(z):
    """Derivative ``tanh'(z) = 1 - tanh(z)**2``; any shape in, same shape out."""
    t = tanh(z)
    return 1 - t**2


def softmax(z, axis=-1):
    """Softmax along ``axis``: ``exp(z_i) / sum_j exp(z_j)``, computed stably (the max is subtracted first).

    Parameters
    ----------
    z : array of any shape (typically (N, classes))
    axis : int
        The class axis.

    Returns
    -------
    array of the same shape, positive, summing to 1 along ``axis``.
    """
    z = _z(z)
    if not -z.ndim <= axis < max(z.ndim, 1):
        raise ValueError(f"axis {axis} is out of range for z of shape {z.shape}")
    if z.dtype == object:
        import sympy

        e = _symbolic(sympy.exp, z)
        return e / e.sum(axis=axis, keepdims=True)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)
