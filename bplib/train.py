"""The training loop: mini-batches, epochs, progress, history.

``fit`` is the compact form of the loop source 001 (section 4) lists:
initialise (done by the layers), then for every mini-batch: forward, loss,
backward, update; repeat for a number of epochs or until the loss is below a
chosen value. Derived in book/part1/gradient_descent.ipynb (Gradient descent,
learning rate, mini-batches) and written out in book/part3/training_digits.ipynb.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

import numpy as np

from numpy.typing import ArrayLike

from typing import TYPE_CHECKING

from ._checks import as_array, check_int
from .losses import half_squared_error, half_squared_error_grad, softmax_cross_entropy, softmax_cross_entropy_grad
from .optim import SGD

if TYPE_CHECKING:
    from collections.abc import Callable

    from .layers import Layer

    Loss = str | tuple[Callable, Callable]

__all__ = ["fit", "evaluate", "predict", "minibatches", "History", "LOSSES"]


def _mean_half_squared_error(a: np.ndarray, t: np.ndarray):
    return half_squared_error(a, t) / a.shape[0]


def _mean_half_squared_error_grad(a: np.ndarray, t: np.ndarray) -> np.ndarray:
    return half_squared_error_grad(a, t) / a.shape[0]


#: Losses ``fit`` knows: name -> (value, gradient w.r.t. the network output), both batch means:
#: ``"half_squared_error"`` is the batch mean of ``1/2 * ||a - t||^2``.
LOSSES = {
    "cross_entropy": (softmax_cross_entropy, softmax_cross_entropy_grad),
    "half_squared_error": (_mean_half_squared_error, _mean_half_squared_error_grad),
}


@dataclass
class History:
    """Per-epoch record returned by ``fit``: training loss and accuracy, and validation ones if given.

    One entry per epoch in each list (accuracies are ``None`` for targets that
    are not class labels). Read in book/part3/training_digits.ipynb.
    """

    loss: list[float] = field(default_factory=list)
    accuracy: list[float | None] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float | None] = field(default_factory=list)
    stopped_early: bool = False

    @property
    def epochs(self) -> int:
        """Number of epochs run."""
        return len(self.loss)


def minibatches(n: int, batch_size: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Index arrays of a random partition of ``range(n)`` into batches of ``batch_size`` (the last may be smaller).

    Derived in book/part1/gradient_descent.ipynb (Epochs and shuffling).
    """
    order = rng.permutation(n)
    return [order[i : i + batch_size] for i in range(0, n, batch_size)]


def predict(model: Layer, x: ArrayLike, batch_size: int = 512) -> np.ndarray:
    """Inference is forward only: the model's outputs for ``x``, computed in batches. (N, ...) -> (N, n_out).

    Derived in book/part1/gradient_descent.ipynb (Inference is forward only).
    """
    x = as_array(x, "x")
    batch_size = check_int(batch_size, "batch_size", 1)
    if len(x) == 0:
        raise ValueError("x is empty: nothing to predict")
    return np.concatenate([model.forward(x[i : i + batch_size]) for i in range(0, len(x), batch_size)])


def evaluate(model: Layer, x: ArrayLike, t: ArrayLike, loss: Loss = "cross_entropy",
             batch_size: int = 512) -> tuple[float, float | None]:
    """``(loss, accuracy)`` of ``model`` on inputs ``x`` (N, ...) and targets ``t``.

    ``t`` is an integer array (N,) of class labels (cross-entropy) or an array
    (N, n_out) of targets (``"half_squared_error"``); the accuracy is ``None``
    unless ``t`` holds class labels. ``loss`` as in ``fit``. Used in
    book/part1/gradient_descent.ipynb (Inference is forward only).
    """
    value, _ = _loss_pair(loss)
    t = as_array(t, "t")
    out = predict(model, x, batch_size)
    acc = float(np.mean(out.argmax(axis=1) == t)) if np.ndim(t) == 1 else None
    return float(value(out, t)), acc


def _loss_pair(loss: Loss) -> tuple[Callable, Callable]:
    if isinstance(loss, str):
        if loss not in LOSSES:
            raise ValueError(f"loss must be one of {sorted(LOSSES)} or a (value, grad) pair, got {loss!r}")
        return LOSSES[loss]
    if isinstance(loss, tuple) and len(loss) == 2 and all(callable(f) for f in loss):
        return loss
    raise TypeError(f"loss must be a name or a (value, grad) pair of functions, got {loss!r}")


def _progress_enabled(progress: bool | None) -> bool:
    if progress is not None:
        return bool(progress)
    return os.environ.get("BPLIB_PROGRESS", "1") != "0"


def fit(model: Layer, x: ArrayLike, t: ArrayLike, *, epochs: int, batch_size: int = 32, lr: float | None = None,
        optimizer: SGD | None = None, loss: Loss = "cross_entropy", x_val: ArrayLike | None = None,
        t_val: ArrayLike | None = None, stop_below: float | None = None, seed: int = 0,
        progress: bool | None = None) -> History:
    """Train ``model`` with mini-batch gradient descent; return a ``History``.

    The loop of book/part1/gradient_descent.ipynb (Gradient descent, learning rate, mini-batches),
    written out step by step in book/part3/training_digits.ipynb.

    Each epoch shuffles the training set (seeded), and for every mini-batch runs
    forward, the loss, backward and ``optimizer.step()``. The loss is the batch
    mean, so the gradient is the average of the per-example gradients.

    Parameters
    ----------
    model : bplib.Sequential (any bplib.Layer with parameters)
    x : array (N, ...)
        Training inputs, e.g. (N, C, H, W) images.
    t : int array (N,) of class labels (cross-entropy) or array (N, out) of targets (half_squared_error)
    epochs : int
        Maximum number of passes over the training set.
    batch_size : int
    lr : float, optional
        Learning rate η of the default ``SGD`` optimiser (0.1 when omitted).
    optimizer : object with ``step()``, optional
        Defaults to ``SGD(model, lr)``; give ``lr`` or ``optimizer``, not both.
    loss : "cross_entropy", "half_squared_error" or a ``(value, grad)`` pair
        "half_squared_error" is the batch mean of ``1/2 * ||a - t||^2``.
    x_val, t_val : arrays, optional
        Evaluated after every epoch (give both or neither).
    stop_below : float, optional
        Stop after the first epoch whose training loss is below this value
        ("repeat until the loss is below a chosen value").
    seed : int
        Seeds the shuffling.
    progress : bool, optional
        Show a progress bar (tqdm: a widget in notebooks, a bar in terminals).
        By default shown unless the environment variable ``BPLIB_PROGRESS=0``,
        which the project's test and build commands set so stored notebook
        outputs stay deterministic.

    Returns
    -------
    History
    """
    epochs = check_int(epochs, "epochs", 1)
    batch_size = check_int(batch_size, "batch_size", 1)
    x, t = as_array(x, "x"), as_array(t, "t")
    if len(x) != len(t):
        raise ValueError(f"x and t must have the same number of examples, got {len(x)} and {len(t)}")
    if (x_val is None) != (t_val is None):
        raise ValueError("give both x_val and t_val, or neither")
    value, grad = _loss_pair(loss)
    if optimizer is None:
        optimizer = SGD(model, 0.1 if lr is None else lr)   # SGD refuses a model without parameters
    elif lr is not None:
        raise ValueError(f"give lr or optimizer, not both: lr={lr!r} would be ignored by {optimizer!r}")
    elif getattr(optimizer, "model", model) is not model:
        raise ValueError("optimizer updates another model than the one being trained")
    rng = np.random.default_rng(seed)
    history = History()
    bar = None
    if _progress_enabled(progress):
        from tqdm.auto import tqdm

        bar = tqdm(total=epochs * -(-len(x) // batch_size), desc="training", unit="batch")
    for epoch in range(epochs):
        total, correct = 0.0, 0
        for idx in minibatches(len(x), batch_size, rng):
            out = model.forward(x[idx])
            total += value(out, t[idx]) * len(idx)
            if np.ndim(t) == 1:
                correct += int(np.sum(out.argmax(axis=1) == t[idx]))
            model.backward(grad(out, t[idx]))
            optimizer.step()
            if bar is not None:
                bar.update(1)
        history.loss.append(total / len(x))
        history.accuracy.append(correct / len(x) if np.ndim(t) == 1 else None)
        if x_val is not None:
            vl, va = evaluate(model, x_val, t_val, loss)
            history.val_loss.append(vl)
            history.val_accuracy.append(va)
        if bar is not None:
            bar.set_postfix(loss=f"{history.loss[-1]:.4f}")
        if stop_below is not None and history.loss[-1] < stop_below:
            history.stopped_early = True
            break
    if bar is not None:
        bar.close()
    return history
