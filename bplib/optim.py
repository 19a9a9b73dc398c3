"""Gradient descent: the update ``W <- W - eta * dL/dW`` for every parameter of a model.

Derived in book/part1/gradient_descent.ipynb (Gradient descent, learning rate, mini-batches).
"""
from __future__ import annotations

import numbers
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .layers import Layer

__all__ = ["SGD"]


class SGD:
    """Plain (mini-batch) stochastic gradient descent with learning rate ``lr`` (η).

    ``step()`` applies ``W <- W - lr * dL/dW`` in place to every parameter of
    ``model`` (a ``bplib.Layer``, usually a ``bplib.Sequential``, whose
    ``parameters()`` are found recursively), using the gradients its last
    ``backward`` left. A model without parameters is an error: the optimiser
    would run and change nothing. Derived in book/part1/gradient_descent.ipynb
    (Gradient descent, learning rate, mini-batches).
    """

    def __init__(self, model: Layer, lr: float) -> None:
        if not isinstance(lr, numbers.Real) or isinstance(lr, bool) or not lr > 0:
            raise ValueError(f"lr must be a positive number, got {lr!r}")
        if not hasattr(model, "parameters"):
            raise TypeError(f"model must have parameters() (e.g. bplib.Sequential), got {type(model).__name__}")
        if not model.parameters():
            raise ValueError(f"model has no trainable parameters, so gradient descent would change nothing: {model!r}")
        self.model = model
        self.lr = float(lr)

    def step(self) -> None:
        """One update of every parameter: ``W -= lr * grad``."""
        for layer, name in self.model.parameters():
            layer.params[name] -= self.lr * layer.grads[name]

    def __repr__(self) -> str:
        return f"SGD(lr={self.lr})"
