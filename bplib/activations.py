"""Activation functions ``a = sigma(z)`` and their derivatives ``sigma'(z)``, elementwise.

Each works on numbers and on NumPy arrays of SymPy expressions (``dtype=object``).
Backward through an activation is ``dz = da * sigma'(z)`` (an elementwise product),
derived in book/training_process.ipynb (The training process); the sigmoid's
derivative in book/part1/delta_rule.ipynb, ReLU's in book/part1/relu_network.ipynb,
softmax in book/part1/losses.ipynb.
"""
from __future__ import annotations

import numpy as np

from numpy.typing import ArrayLike

from ._checks import check_array

__all__ = [
    "sigmoid",
    "sigmoid_prime",
    "relu",
    "relu_prime",
    "tanh",
    "tanh_prime",
    "softmax",
]


def _symbolic(f, z: np.ndarray) -> np.ndarray:
    """Apply a SymPy function elementwise to an object array."""
    return np.vectorize(f, otypes=[object])(z)


def sigmoid(z: ArrayLike) -> np.ndarray:
    """Logistic function ``sigma(z) = 1 / (1 + exp(-z))``; any shape in, same shape out.

    Derived in book/part1/delta_rule.ipynb (The δ-rule for sigmoid networks).
    """
    z = check_array(z, "z")
    if z.dtype == object:
        import sympy

        return _symbolic(lambda t: 1 / (1 + sympy.exp(-t)), z)
    z = z.astype(np.result_type(z.dtype, np.float64), copy=False)
    # 0.5 * (1 + tanh(z/2)) equals 1/(1 + exp(-z)) and never overflows.
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def sigmoid_prime(z: ArrayLike) -> np.ndarray:
    """Derivative ``sigma'(z) = sigma(z) * (1 - sigma(z))``; any shape in, same shape out.

    Derived in book/part1/delta_rule.ipynb (The δ-rule for sigmoid networks).
    """
    s = sigmoid(z)
    return s * (1 - s)


def relu(z: ArrayLike) -> np.ndarray:
    """Rectified linear unit ``max(0, z)``; any shape in, same shape out.

    Derived in book/part1/relu_network.ipynb (A 2-2-1 ReLU network, every number).
    """
    z = check_array(z, "z")
    if z.dtype == object:
        import sympy

        return _symbolic(lambda t: sympy.Max(0, t), z)
    return np.maximum(z, 0)


def relu_prime(z: ArrayLike) -> np.ndarray:
    """Derivative of ReLU: 1 where ``z > 0``, else 0 (the value 0 is taken at ``z = 0``); same shape as ``z``.

    Derived in book/part1/relu_network.ipynb (A 2-2-1 ReLU network, every number).
    """
    z = check_array(z, "z")
    if z.dtype == object:
        import sympy

        return _symbolic(lambda t: sympy.Heaviside(t, 0), z)
    return (z > 0).astype(np.result_type(z.dtype, np.float64) if z.dtype.kind != "f" else z.dtype)


def tanh(z: ArrayLike) -> np.ndarray:
    """Hyperbolic tangent; any shape in, same shape out.

    Used in book/part1/gradient_descent.ipynb (Gradient descent, learning rate, mini-batches).
    """
    z = check_array(z, "z")
    if z.dtype == object:
        import sympy

        return _symbolic(sympy.tanh, z)
    return np.tanh(z)


def tanh_prime(z: ArrayLike) -> np.ndarray:
    """Derivative ``tanh'(z) = 1 - tanh(z)**2``; any shape in, same shape out.

    Derived in book/part1/delta_rule.ipynb (The δ-rule for sigmoid networks, exercises).
    """
    t = tanh(z)
    return 1 - t**2


def softmax(z: ArrayLike, axis: int = -1) -> np.ndarray:
    """Softmax along ``axis``: ``exp(z_i) / sum_j exp(z_j)``, computed stably (the max is subtracted first).

    Derived in book/part1/losses.ipynb (Losses and the output gradient).

    Parameters
    ----------
    z : array of any shape (typically (N, classes))
    axis : int
        The class axis.

    Returns
    -------
    array of the same shape, positive, summing to 1 along ``axis``.
    """
    z = check_array(z, "z")
    if not -z.ndim <= axis < max(z.ndim, 1):
        raise ValueError(f"axis {axis} is out of range for z of shape {z.shape}")
    if z.dtype == object:
        import sympy

        e = _symbolic(sympy.exp, z)
        return e / e.sum(axis=axis, keepdims=True)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)
