"""The training loop: mini-batches, epochs, progress, history.

``fit`` is the compact form of the loop source 001 (section 4) lists:
initialise (done by the layers), then for every mini-batch: forward, loss,
backward, update; repeat for a number of epochs or until the loss is below a
chosen value.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

import numpy as np

from ._checks import check_int
from .losses import mse_loss, mse_loss_grad, softmax_cross_entropy, softmax_cross_entropy_grad
from .optim import SGD

__all__ = ["fit", "evaluate", "predict", "minibatches", "History", "LOSSES"]


def _mean_mse(a, y):
    return mse_loss(a, y) / a.shape[0]


def _mean_mse_grad(a, y):
    return mse_loss_grad(a, y) / a.shape[0]


#: Losses ``fit`` knows: name -> (value, gradient w.r.t. the network output), both batch means.
LOSSES = {
    "cross_entropy": (softmax_cross_entropy, softmax_cross_entropy_grad),
    "mse": (_mean_mse, _mean_mse_grad),
}


@dataclass
class History:
    """Per-epoch record returned by ``fit``: training loss and accuracy, and validation ones if given."""

    loss: list = field(default_factory=list)
    accuracy: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    val_accuracy: list = field(default_factory=list)
    stopped_early: bool = False

    @property
    def epochs(self):
        """Number of epochs run."""
        return len(self.loss)


def minibatches(n, batch_size, rng):
    """Index arrays of a random partition of ``range(n)`` into batches of ``batch_size`` (the last may be smaller)."""
    order = rng.permutation(n)
    return [order[i : i + batch_size] for i in range(0, n, batch_size)]


def predict(model, x, batch_size=512):
    """Inference is forward only: the model's outputs for ``x``, computed in batches. (N, ...) -> (N, out)."""
    return np.concatenate([model.forward(x[i : i + batch_size]) for i in range(0, len(x), batch_size)])


def evaluate(model, x, y, loss="cross_entropy", batch_size=512):
    """``(loss, accuracy)`` of ``model`` on ``(x, y)``; accuracy is ``None`` unless ``y`` holds class labels."""
    value, _ = _loss_pair(loss)
    out = predict(model, x, batch_size)
    acc = float(np.mean(out.argmax(axis=1) == y)) if np.ndim(y) == 1 else None
    return float(value(out, y)), acc


def _loss_pair(loss):
    if isinstance(loss, str):
        if loss not in LOSSES:
            raise ValueError(f"loss must be one of {sorted(LOSSES)} or a (value, grad) pair, got {loss!r}")
        return LOSSES[loss]
    if isinstance(loss, tuple) and len(loss) == 2 and all(callable(f) for f in loss):
        return loss
    raise TypeError(f"loss must be a name or a (value, grad) pair of functions, got {loss!r}")


def _progress_enabled(progress):
    if progress is not None:
        return bool(progress)
    return os.environ.get("BPLIB_PROGRESS", "1") != "0"


def fit(model, x, y, *, epochs, batch_size=32, lr=0.1, optimizer=None, loss="cross_entropy",
        x_val=None, y_val=None, stop_below=None, seed=0, progress=None):
    """Train ``model`` with mini-batch gradient descent; return a ``History``.

    Each epoch shuffles the training set (seeded), and for every mini-batch runs
    forward, the loss, backward and ``optimizer.step()``. The loss is the batch
    mean, so the gradient is the average of the per-example gradients.

    Parameters
    ----------
    model : bplib.Sequential
    x : array (N, ...)
        Training inputs.
    y : int array (N,) of class labels (cross-entropy) or array (N, out) of targets (mse)
    epochs : int
        Maximum number of passes over the training set.
    batch_size : int
    lr : float
        Learning rate of the default ``SGD`` optimiser.
    optimizer : object with ``step()``, optional
        Defaults to ``SGD(model, lr)``.
    loss : "cross_entropy", "mse" or a ``(value, grad)`` pair
    x_val, y_val : arrays, optional
        Evaluated after every epoch.
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
    if len(x) != len(y):
        raise ValueError(f"x and y must have the same number of examples, got {len(x)} and {len(y)}")
    value, grad = _loss_pair(loss)
    optimizer = optimizer if optimizer is not None else SGD(model, lr)
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
            total += value(out, y[idx]) * len(idx)
            if np.ndim(y) == 1:
                correct += int(np.sum(out.argmax(axis=1) == y[idx]))
            model.backward(grad(out, y[idx]))
            optimizer.step()
            if bar is not None:
                bar.update(1)
        history.loss.append(total / len(x))
        history.accuracy.append(correct / len(x) if np.ndim(y) == 1 else None)
        if x_val is not None:
            vl, va = evaluate(model, x_val, y_val, loss)
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
