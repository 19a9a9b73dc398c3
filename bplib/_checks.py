"""Input validation shared by bplib's functions.

Every public function checks its arguments here, before any computation, so a
bad call fails with a ``ValueError`` or ``TypeError`` that names the parameter
and the shapes or values involved, never with an ``IndexError`` or a NumPy
broadcasting error from deep inside.
"""
from __future__ import annotations

import numbers

import numpy as np


def as_array(value, name: str) -> np.ndarray:
    """Return ``value`` as an ndarray, or raise ``TypeError`` naming ``name``."""
    if isinstance(value, np.ndarray):
        return value
    if isinstance(value, (list, tuple, numbers.Number)):
        return np.asarray(value)
    raise TypeError(f"{name} must be a NumPy array, got {type(value).__name__}")


def check_ndim(a: np.ndarray, ndim: int, name: str, layout: str) -> None:
    """Raise ``ValueError`` unless ``a`` has ``ndim`` dimensions (``layout`` names them)."""
    if a.ndim != ndim:
        raise ValueError(
            f"{name} must have {ndim} dimensions {layout}, got shape {a.shape} ({a.ndim} dimensions)"
        )


def check_int(value, name: str, minimum: int) -> int:
    """Return ``value`` as a Python int; ``TypeError`` if not integral, ``ValueError`` if below ``minimum``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Integral,)):
        raise TypeError(f"{name} must be an integer, got {value!r} of type {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def pair(value, name: str, minimum: int) -> tuple[int, int]:
    """Turn an int or an ``(h, w)`` pair into a checked ``(h, w)`` tuple of ints >= ``minimum``."""
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(f"{name} must be an int or an (h, w) pair, got {value!r}")
        return (check_int(value[0], f"{name}[0]", minimum), check_int(value[1], f"{name}[1]", minimum))
    v = check_int(value, name, minimum)
    return (v, v)


def shape4(value, name: str) -> tuple[int, int, int, int]:
    """Check a 4-tuple of positive ints (an ``x_shape`` or ``w_shape`` argument)."""
    if not isinstance(value, (tuple, list)) or len(value) != 4:
        raise ValueError(f"{name} must be a tuple of 4 ints, got {value!r}")
    return tuple(check_int(v, f"{name}[{i}]", 1) for i, v in enumerate(value))  # type: ignore[return-value]


def check_numeric_or_object(a: np.ndarray, name: str) -> None:
    """Raise ``TypeError`` unless ``a`` holds numbers (bool excluded) or SymPy objects."""
    if a.dtype == object:
        return
    if not (np.issubdtype(a.dtype, np.number)) or np.issubdtype(a.dtype, np.bool_):
        raise TypeError(f"{name} must hold numbers, got dtype {a.dtype}")


def check_labels(labels, n: int, n_classes: int, name: str = "labels") -> np.ndarray:
    """Check integer class labels of shape ``(n,)`` with values in ``[0, n_classes)``."""
    labels = as_array(labels, name)
    if labels.dtype == object or not np.issubdtype(labels.dtype, np.integer):
        raise TypeError(f"{name} must be integers, got dtype {labels.dtype}")
    if labels.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},) to match the batch, got {labels.shape}")
    if n and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(
            f"{name} must lie in [0, {n_classes}), got values from {labels.min()} to {labels.max()}"
        )
    return labels
