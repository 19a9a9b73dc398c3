"""Central finite differences and the relative-error measure used to check every gradient.

``relative_error(a, b) = max(|a - b| / max(1e-8, |a| + |b|))``, the measure of
the cs231n assignments: about 1e-10 when an analytic gradient is right in
float64, around 1e-2 or worse when it is wrong. Used from
book/part1/relu_network.ipynb (A 2-2-1 ReLU network, every number) on; the
whole-network check in book/part2/small_cnn.ipynb (Backpropagation through a
whole small CNN).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

if TYPE_CHECKING:
    from .layers import Layer

__all__ = ["numerical_gradient", "relative_error", "gradcheck", "check_model_gradients"]


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, eps: float = 1e-6,
                       coords: Iterable[tuple[int, ...]] | None = None, order: int = 2) -> np.ndarray:
    """Central differences of a scalar function, coordinate by coordinate.

    Introduced in book/part1/relu_network.ipynb (A 2-2-1 ReLU network, every number).

    ``order=2``: ``(f(x + h e_i) - f(x - h e_i)) / (2h)``, error ``O(h^2)``.
    ``order=4``: ``(-f(x + 2h e_i) + 8 f(x + h e_i) - 8 f(x - h e_i) + f(x - 2h e_i)) / (12h)``,
    error ``O(h^4)``, so a larger step (``h = 1e-3``) keeps both the truncation
    and the rounding error near ``1e-12``: use it where gradients are small
    compared with the loss (whole networks).

    ``x`` is perturbed **in place** (one coordinate at a time) and restored, so
    ``f`` may read it through a closure: ``f`` is called as ``f(x)``.

    Parameters
    ----------
    f : callable ``f(x) -> float``
    x : float64 array of any shape
        (float32 keeps too few digits for differences: ``TypeError``)
    eps : float
        Step size ``h``.
    coords : iterable of index tuples, optional
        Only these coordinates (the others stay 0); all of them by default.
    order : 2 or 4
        Order of the central-difference stencil.

    Returns
    -------
    grad : array of ``x.shape``
    """
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        raise TypeError(f"x must be a float64 NumPy array (perturbed in place; float32 keeps too few digits for "
                        f"central differences), got {type(x).__name__}"
                        + (f" of dtype {x.dtype}" if isinstance(x, np.ndarray) else ""))
    if not eps > 0:
        raise ValueError(f"eps must be positive, got {eps}")
    if order not in (2, 4):
        raise ValueError(f"order must be 2 or 4, got {order!r}")
    stencil = {2: ((1, 1 / 2), (-1, -1 / 2)), 4: ((2, -1 / 12), (1, 8 / 12), (-1, -8 / 12), (-2, 1 / 12))}[order]
    grad = np.zeros_like(x)
    for idx in (np.ndindex(x.shape) if coords is None else coords):
        idx = tuple(idx)
        old = x[idx]
        total = 0.0
        for step, weight in stencil:
            x[idx] = old + step * eps
            total += weight * float(f(x))
        x[idx] = old
        grad[idx] = total / eps
    return grad


def relative_error(a: ArrayLike, b: ArrayLike) -> float:
    """``max(|a - b| / max(1e-8, |a| + |b|))`` over all elements of two arrays of one shape.

    Introduced in book/training_process.ipynb (The training process).
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def gradcheck(f: Callable[[np.ndarray], float], x: np.ndarray, grad: ArrayLike, eps: float = 1e-6,
              coords: Iterable[tuple[int, ...]] | None = None, order: int = 2) -> float:
    """Relative error between an analytic ``grad`` of ``f`` at ``x`` and central differences.

    Used from book/part1/losses.ipynb (Losses and the output gradient) on.

    Parameters
    ----------
    f : callable ``f(x) -> float``
    x : float64 array of any shape (perturbed in place and restored)
    grad : array of ``x.shape``, the analytic gradient
    eps : float
    coords : iterable of index tuples, optional
        Compare only these coordinates.
    order : 2 or 4
        Stencil of ``numerical_gradient``.

    Returns
    -------
    float : ``relative_error`` over the compared coordinates.
    """
    grad = np.asarray(grad)
    if grad.shape != np.shape(x):
        raise ValueError(f"grad must have the shape of x, {np.shape(x)}, got {grad.shape}")
    num = numerical_gradient(f, x, eps, coords, order)
    if coords is None:
        return relative_error(grad, num)
    idx = tuple(np.array([tuple(c) for c in coords]).T)
    return relative_error(grad[idx], num[idx])


def check_model_gradients(model: Layer, loss: tuple[Callable, Callable], x: ArrayLike, target: ArrayLike,
                          n_coords: int = 5, eps: float = 1e-6, seed: int = 0, order: int = 2) -> dict[str, float]:
    """Gradient check of a whole network: every parameter group, ``n_coords`` random coordinates each.

    Introduced in book/part2/small_cnn.ipynb (Backpropagation through a whole small CNN).

    Runs ``model.forward`` and ``model.backward`` once for the analytic
    gradients, then central differences of ``loss(model.forward(x), target)``
    for each chosen coordinate.

    Parameters
    ----------
    model : bplib.Sequential (float64 parameters, found recursively in nested containers)
    loss : (value, grad) pair of functions, e.g. ``(softmax_cross_entropy, softmax_cross_entropy_grad)``
    x : input batch (N, ...)
    target : labels or targets, as ``loss`` takes them
    n_coords : int
        Coordinates checked per parameter group.
    seed : int
        Seeds the choice of coordinates.
    eps, order : step and stencil of ``numerical_gradient`` (``eps=1e-3, order=4``
        resolves gradients much smaller than the loss to about 1e-10).

    Returns
    -------
    dict ``{"<layer>.<param>": relative error}`` in the order of ``model.named_parameters()``.
    """
    value, grad = loss
    if not model.named_parameters():
        raise ValueError(f"model has no parameters: there is no gradient to check in {model!r}")
    model.backward(grad(model.forward(x), target))
    rng = np.random.default_rng(seed)
    errors = {}
    for name, p, g in model.named_parameters():
        flat = rng.choice(p.size, size=min(n_coords, p.size), replace=False)
        coords = [np.unravel_index(i, p.shape) for i in flat]
        analytic = g.copy()
        errors[name] = gradcheck(lambda _: value(model.forward(x), target), p, analytic, eps, coords, order)
    return errors
