"""The fully connected (linear) layer as pure functions: ``z = x w^T + b``.

``w`` has shape ``(n_out, n_in)`` as in PyTorch (``w[j, i]`` connects input
unit ``i`` to output unit ``j``: the book's ``w_ji``). All four functions work
on NumPy arrays of SymPy expressions (``dtype=object``) as well as on numbers.
Derived in book/part1/relu_network.ipynb (A 2-2-1 ReLU network, every number)
and, for any layer sizes, in book/part1/delta_rule.ipynb (The δ-rule for
sigmoid networks).
"""
from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._checks import as_common_dtype, check_array

__all__ = ["linear", "linear_dgrad", "linear_wgrad", "linear_bgrad"]

_X, _W, _DZ = "(N, n_in)", "(n_out, n_in)", "(N, n_out)"


def linear(x: ArrayLike, w: ArrayLike, b: ArrayLike | None = None) -> np.ndarray:
    """Forward pass ``z[n, j] = sum_i x[n, i] * w[j, i] + b[j]``.

    Derived in book/part1/relu_network.ipynb (A 2-2-1 ReLU network, every number).

    Parameters
    ----------
    x : array of shape (N, n_in)
    w : array of shape (n_out, n_in)
    b : array of shape (n_out,), optional

    Returns
    -------
    z : array of shape (N, n_out)
    """
    x, w = check_array(x, "x", _X), check_array(w, "w", _W)
    if x.shape[1] != w.shape[1]:
        raise ValueError(f"x has {x.shape[1]} features (shape {x.shape}) but w of shape {w.shape} expects {w.shape[1]}")
    if b is not None:
        b = check_array(b, "b", "(n_out,)", shape=(w.shape[0],), why=f"for w of shape {w.shape}")
    x, w, b = as_common_dtype(x=x, w=w, b=b)
    z = x @ w.T
    return z if b is None else z + b


def linear_dgrad(dz: ArrayLike, w: ArrayLike) -> np.ndarray:
    """Data gradient ``dx = dz w``: ``dx[n, i] = sum_j dz[n, j] * w[j, i]``.

    Shapes: ``dz`` (N, n_out) and ``w`` (n_out, n_in) give ``dx`` (N, n_in). Derived in
    book/part1/delta_rule.ipynb (The δ-rule for sigmoid networks).
    """
    w = check_array(w, "w", _W)
    dz = check_array(dz, "dz", _DZ)
    if dz.shape[1] != w.shape[0]:
        raise ValueError(f"dz must have {w.shape[0]} columns (shape (N, {w.shape[0]})) for w of shape {w.shape}, "
                         f"got {dz.shape}")
    dz, w = as_common_dtype(dz=dz, w=w)
    return dz @ w


def linear_wgrad(dz: ArrayLike, x: ArrayLike) -> np.ndarray:
    """Weight gradient ``dw = dz^T x``: ``dw[j, i] = sum_n dz[n, j] * x[n, i]`` (summed over the batch).

    Shapes: ``dz`` (N, n_out) and ``x`` (N, n_in) give ``dw`` (n_out, n_in). Derived in
    book/part1/delta_rule.ipynb (The δ-rule for sigmoid networks).
    """
    x, dz = check_array(x, "x", _X), check_array(dz, "dz", _DZ)
    if dz.shape[0] != x.shape[0]:
        raise ValueError(f"dz and x must have the same batch size N, got dz {dz.shape} and x {x.shape}")
    dz, x = as_common_dtype(dz=dz, x=x)
    return dz.T @ x


def linear_bgrad(dz: ArrayLike) -> np.ndarray:
    """Bias gradient ``db[j] = sum_n dz[n, j]`` (the bias input is always 1).

    Derived in book/part1/relu_network.ipynb (A 2-2-1 ReLU network, every number).

    Parameters
    ----------
    dz : array of shape (N, n_out)

    Returns
    -------
    db : array of shape (n_out,)
    """
    return check_array(dz, "dz", _DZ).sum(axis=0)
