"""Losses and their gradients with respect to the network's output.

* ``mse_loss(a, y) = 1/2 * sum (a - y)**2`` over all elements: the ``J = 1/2 ||a - y||^2``
  of the source articles (a sum, not a mean), with gradient ``a - y``.
* ``softmax_cross_entropy(z, labels)``: mean over the batch of ``-log softmax(z)[label]``,
  with gradient ``(softmax(z) - onehot(labels)) / N``.
"""
from __future__ import annotations

import numpy as np

from ._checks import as_array, check_labels, check_ndim, check_numeric_or_object
from .activations import softmax

__all__ = ["mse_loss", "mse_loss_grad", "softmax_cross_entropy", "softmax_cross_entropy_grad", "one_hot"]


def _pair(a, y):
    a = as_array(a, "a")
    y = as_array(y, "y")
    check_numeric_or_object(a, "a")
    check_numeric_or_object(y, "y")
    if a.shape != y.shape:
        raise ValueError(f"a and y must have the same shape, got a {a.shape} and y {y.shape}")
    return a, y


def mse_loss(a, y):
    """Squared error ``J = 1/2 * sum (a - y)**2`` over every element (scalar).

    Parameters
    ----------
    a : array of any shape
        The prediction.
    y : array of the same shape
        The target.
    """
    a, y = _pair(a, y)
    r = a - y
    return (r * r).sum() / 2


def mse_loss_grad(a, y):
    """Gradient ``dJ/da = a - y`` of ``mse_loss``; same shape as ``a``."""
    a, y = _pair(a, y)
    return a - y


def one_hot(labels, n_classes):
    """Rows of the identity: ``(N,)`` integer labels -> ``(N, n_classes)`` array of 0.0 and 1.0."""
    labels = as_array(labels, "labels")
    check_ndim(labels, 1, "labels", "(N,)")
    labels = check_labels(labels, labels.shape[0], n_classes)
    return np.eye(n_classes)[labels]


def _logits(z, labels):
    z = as_array(z, "z")
    check_ndim(z, 2, "z", "(N, classes)")
    check_numeric_or_object(z, "z")
    if z.dtype == object:
        raise TypeError("softmax_cross_entropy needs numbers; use softmax() on symbols")
    labels = check_labels(labels, z.shape[0], z.shape[1])
    return z, labels


def softmax_cross_entropy(z, labels):
    """Cross-entropy of ``softmax(z)`` against integer labels, averaged over the batch.

    ``L = -(1/N) * sum_n log softmax(z[n])[labels[n]]``, computed with the
    log-sum-exp trick so large logits do not overflow.

    Parameters
    ----------
    z : array of shape (N, classes)
        Logits (pre-softmax scores).
    labels : int array of shape (N,), values in [0, classes)

    Returns
    -------
    float
    """
    z, labels = _logits(z, labels)
    m = z.max(axis=1, keepdims=True)
    log_sum = np.log(np.exp(z - m).sum(axis=1)) + m[:, 0]
    return float(np.mean(log_sum - z[np.arange(z.shape[0]), labels]))


def softmax_cross_entropy_grad(z, labels):
    """Gradient ``dL/dz = (softmax(z) - onehot(labels)) / N`` of ``softmax_cross_entropy``.

    Parameters
    ----------
    z : array of shape (N, classes)
    labels : int array of shape (N,)

    Returns
    -------
    dz : array of shape (N, classes)
    """
    z, labels = _logits(z, labels)
    g = softmax(z)
    g[np.arange(z.shape[0]), labels] -= 1
    return g / z.shape[0]
