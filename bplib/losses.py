"""Losses and their gradients with respect to the network's output.

* ``half_squared_error(a, t) = 1/2 * sum (a - t)**2`` over all elements: the
  ``J = 1/2 ||a - t||^2`` of the source articles (half a sum, not PyTorch's
  mean ``mse_loss``), with gradient ``a - t``.
* ``softmax_cross_entropy(z, labels)``: mean over the batch of
  ``-log softmax(z)[label]``, with gradient ``(softmax(z) - onehot(labels)) / N``.

Both are derived in book/part1/losses.ipynb (Losses and the output gradient).
"""
from __future__ import annotations

import numpy as np
from typing import Any

from numpy.typing import ArrayLike, DTypeLike

from ._checks import check_array, check_labels
from .activations import softmax

__all__ = ["half_squared_error", "half_squared_error_grad", "softmax_cross_entropy", "softmax_cross_entropy_grad",
           "one_hot"]


def _prediction_and_target(a: ArrayLike, t: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """``a`` and ``t`` of one shape; ``t`` converted to ``a``'s floating dtype (targets never upcast ``a``)."""
    a, t = check_array(a, "a"), check_array(t, "t")
    if a.shape != t.shape:
        hint = (" (integer class labels? use one_hot(labels, n_classes), or the cross-entropy loss)"
                if t.ndim == a.ndim - 1 and np.issubdtype(t.dtype, np.integer) else "")
        raise ValueError(f"a and t must have the same shape, got a {a.shape} and t {t.shape}{hint}")
    if np.issubdtype(a.dtype, np.floating) and t.dtype != object:
        t = t.astype(a.dtype, copy=False)
    return a, t


def half_squared_error(a: ArrayLike, t: ArrayLike) -> float | np.floating | Any:
    """Half the squared error ``L = 1/2 * sum (a - t)**2`` over every element (a scalar).

    Derived in book/part1/losses.ipynb (Losses and the output gradient).

    Parameters
    ----------
    a : array of any shape
        The prediction ``a^{(out)}``.
    t : array of the same shape
        The target; converted to ``a``'s dtype when ``a`` holds floats.

    Returns
    -------
    scalar of ``a``'s dtype (a SymPy expression for symbolic arrays)
    """
    a, t = _prediction_and_target(a, t)
    r = a - t
    return (r * r).sum() / 2


def half_squared_error_grad(a: ArrayLike, t: ArrayLike) -> np.ndarray:
    """Gradient ``dL/da = a - t`` of ``half_squared_error``; same shape as ``a``.

    Derived in book/part1/losses.ipynb (Losses and the output gradient).
    """
    a, t = _prediction_and_target(a, t)
    return a - t


def one_hot(labels: ArrayLike, n_classes: int, dtype: DTypeLike = np.float64) -> np.ndarray:
    """Rows of the identity: ``(N,)`` integer labels -> ``(N, n_classes)`` array of 0 and 1 of ``dtype``.

    The one-hot targets of book/part1/losses.ipynb (Losses and the output gradient).
    """
    labels = check_array(labels, "labels", "(N,)")
    labels = check_labels(labels, labels.shape[0], n_classes)
    return np.eye(n_classes, dtype=dtype)[labels]


def _logits_and_labels(z: ArrayLike, labels: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    z = check_array(z, "z", "(N, classes)")
    if z.dtype == object:
        raise TypeError("softmax_cross_entropy needs numbers; use softmax() on symbols")
    return z, check_labels(labels, z.shape[0], z.shape[1])


def softmax_cross_entropy(z: ArrayLike, labels: ArrayLike) -> float:
    """Cross-entropy of ``softmax(z)`` against integer labels, averaged over the batch.

    ``L = -(1/N) * sum_n log softmax(z[n])[labels[n]]``, computed with the
    log-sum-exp trick so large logits do not overflow. Derived in
    book/part1/losses.ipynb (Losses and the output gradient).

    Parameters
    ----------
    z : array of shape (N, classes)
        Logits (pre-softmax scores).
    labels : integer array of shape (N,), values in [0, classes)
        Floats, bools and one-hot rows are refused (``TypeError``).

    Returns
    -------
    float
    """
    z, labels = _logits_and_labels(z, labels)
    m = z.max(axis=1, keepdims=True)
    log_sum = np.log(np.exp(z - m).sum(axis=1)) + m[:, 0]
    return float(np.mean(log_sum - z[np.arange(z.shape[0]), labels]))


def softmax_cross_entropy_grad(z: ArrayLike, labels: ArrayLike) -> np.ndarray:
    """Gradient ``dL/dz = (softmax(z) - onehot(labels)) / N`` of ``softmax_cross_entropy``.

    Derived in book/part1/losses.ipynb (Losses and the output gradient).

    Parameters
    ----------
    z : array of shape (N, classes)
    labels : integer array of shape (N,)

    Returns
    -------
    dz : array of shape (N, classes), the dtype of ``z``
    """
    z, labels = _logits_and_labels(z, labels)
    g = softmax(z)
    g[np.arange(z.shape[0]), labels] -= 1
    return g / z.shape[0]
