"""Gradient descent: the update ``W <- W - eta * dL/dW`` for every parameter of a model."""
from __future__ import annotations

import numbers

__all__ = ["SGD"]


class SGD:
    """Plain (mini-batch) stochastic gradient descent.

    ``step()`` applies ``W <- W - lr * dL/dW`` in place to every parameter of
    ``model`` (anything with ``parameters()`` returning ``(layer, name)`` pairs,
    such as ``bplib.Sequential``), using the gradients its last ``backward`` left.
    """

    def __init__(self, model, lr):
        if not isinstance(lr, numbers.Real) or isinstance(lr, bool) or not lr > 0:
            raise ValueError(f"lr must be a positive number, got {lr!r}")
        if not hasattr(model, "parameters"):
            raise TypeError(f"model must have parameters() (e.g. bplib.Sequential), got {type(model).__name__}")
        self.model = model
        self.lr = float(lr)

    def step(self):
        """One update of every parameter: ``W -= lr * grad``."""
        for layer, name in self.model.parameters():
            layer.params[name] -= self.lr * layer.grads[name]

    def __repr__(self):
        return f"SGD(lr={self.lr})"
