"""Input validation shared by bplib's functions: one validator for arrays, one for dtypes.

Every public function checks its arguments here, before any computation, so a
bad call fails with a ``ValueError`` or ``TypeError`` that names the parameter
and the shapes or values involved, never with an ``IndexError`` or a NumPy
broadcasting error from deep inside.
"""
from __future__ import annotations

import functools
import numbers

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

#: An int, used for both axes, or an ``(h, w)`` pair.
IntPair = int | tuple[int, int]


def as_array(value: ArrayLike, name: str) -> np.ndarray:
    """Return ``value`` as an ndarray, or raise ``TypeError`` naming ``name``."""
    if isinstance(value, np.ndarray):
        return value
    if isinstance(value, (list, tuple, numbers.Number)):
        return np.asarray(value)
    raise TypeError(f"{name} must be a NumPy array, got {type(value).__name__}")


@functools.cache
def _names(layout: str) -> int:
    """Number of axis names in a layout such as ``"(N, C, H, W)"`` or ``"(K,)"``."""
    return len([name for name in layout.strip("()").split(",") if name.strip()])


def check_array(value: ArrayLike, name: str, layout: str | None = None,
                shape: tuple[int, ...] | None = None, why: str = "") -> np.ndarray:
    """The one array validator: ``value`` as an ndarray of numbers (bool excluded) or SymPy objects.

    ``layout`` names the axes, e.g. ``"(N, C, H, W)"``, and fixes the number of
    dimensions (the number of names); ``shape``, if given, is the exact shape
    required, and ``why`` says where it comes from in the error message.
    """
    a = as_array(value, name)
    if layout is not None:
        ndim = _names(layout)
        if a.ndim != ndim:
            raise ValueError(f"{name} must have {ndim} dimension{'s' * (ndim != 1)} {layout}, got shape {a.shape} "
                             f"({a.ndim} dimension{'s' * (a.ndim != 1)})")
    if a.dtype.kind not in "iufcO":      # integers, floats, complex numbers, objects (not bool, str, ...)
        raise TypeError(f"{name} must hold numbers, got dtype {a.dtype}")
    if shape is not None and a.shape != tuple(shape):
        raise ValueError(f"{name} must have shape {tuple(shape)}{' ' + why if why else ''}; got {a.shape}")
    return a


def common_dtype(**arrays: np.ndarray) -> np.dtype:
    """The dtype of a computation on ``arrays``; ``TypeError`` when floats of two precisions meet.

    bplib never upcasts silently: ``float32`` with ``float64`` is an error that
    names both arrays (as in PyTorch). Integers join the floating dtype of the
    others (``int`` with ``float32`` gives ``float32``); any ``object`` array
    (SymPy expressions) makes the result ``object``.
    """
    dtypes = {name: a.dtype for name, a in arrays.items() if a is not None}
    if any(d.kind == "O" for d in dtypes.values()):
        return np.dtype(object)
    floats = {name: d for name, d in dtypes.items() if d.kind not in "iu"}
    if len(set(floats.values())) > 1:
        listed = ", ".join(f"{name} is {d}" for name, d in floats.items())
        raise TypeError(f"arrays of different precision: {listed}; convert them to one dtype with .astype() "
                        "(bplib does not upcast silently)")
    return next(iter(floats.values())) if floats else np.result_type(*dtypes.values())


def as_common_dtype(**arrays: np.ndarray | None) -> list[np.ndarray | None]:
    """``arrays`` (in the order given) converted to their ``common_dtype``; ``None`` stays ``None``."""
    dtype = common_dtype(**arrays)
    return [None if a is None else a.astype(dtype, copy=False) for a in arrays.values()]


def check_float_dtype(dtype: DTypeLike, name: str = "dtype") -> np.dtype:
    """``dtype`` as a NumPy floating dtype, or ``TypeError`` (parameters must be floats)."""
    d = np.dtype(dtype)
    if not np.issubdtype(d, np.floating):
        raise TypeError(f"{name} must be a floating-point dtype such as np.float64 or np.float32, got {d}")
    return d


def check_int(value, name: str, minimum: int) -> int:
    """Return ``value`` as a Python int; ``TypeError`` if not integral, ``ValueError`` if below ``minimum``."""
    if type(value) is int and value >= minimum:      # the common case, without the slower checks below
        return value
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {value!r} of type {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def pair(value: IntPair, name: str, minimum: int) -> tuple[int, int]:
    """Turn an int or an ``(h, w)`` pair into a checked ``(h, w)`` tuple of ints >= ``minimum``."""
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(f"{name} must be an int or an (h, w) pair, got {value!r}")
        return (check_int(value[0], f"{name}[0]", minimum), check_int(value[1], f"{name}[1]", minimum))
    v = check_int(value, name, minimum)
    return (v, v)


def check_shape(value, name: str, layout: str) -> tuple[int, ...]:
    """Check a tuple of positive ints with one entry per name of ``layout`` (an ``x_shape`` or ``w_shape``)."""
    n = _names(layout)
    if not isinstance(value, (tuple, list)) or len(value) != n:
        raise ValueError(f"{name} must be a tuple of {n} ints {layout}, got {value!r}")
    return tuple(check_int(v, f"{name}[{i}]", 1) for i, v in enumerate(value))


def check_labels(labels: ArrayLike, n: int, n_classes: int, name: str = "labels") -> np.ndarray:
    """Check integer class labels of shape ``(n,)`` with values in ``[0, n_classes)``."""
    labels = as_array(labels, name)
    if labels.dtype == object or not np.issubdtype(labels.dtype, np.integer):
        hint = (" (one-hot rows? pass their argmax(axis=1))" if labels.ndim == 2 else
                " (convert whole-number floats with .astype(int))" if labels.dtype.kind == "f" else "")
        raise TypeError(f"{name} must be integer class labels, got dtype {labels.dtype}{hint}")
    if labels.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},) to match the batch, got {labels.shape}")
    if n and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(
            f"{name} must lie in [0, {n_classes}), got values from {labels.min()} to {labels.max()}"
        )
    return labels
