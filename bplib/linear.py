"""The fully connected (linear) layer as pure functions: ``z = x w^T + b``.

``w`` has shape ``(out, in)`` as in PyTorch. All four functions work on NumPy
arrays of SymPy expressions (``dtype=object``) as well as on numbers.
"""
from __future__ import annotations

from ._checks import as_array, check_ndim, check_numeric_or_object

__all__ = ["linear", "linear_dgrad", "linear_wgrad", "linear_bgrad"]


def _check(a, name, layout):
    a = as_array(a, name)
    check_ndim(a, 2, name, layout)
    check_numeric_or_object(a, name)
    return a


def linear(x, w, b=None):
    """Forward pass ``z[n, o] = sum_i x[n, i] * w[o, i] + b[o]``.

    Parameters
    ----------
    x : array of shape (N, in)
    w : array of shape (out, in)
    b : array of shape (out,), optional

    Returns
    -------
    z : array of shape (N, out)
    """
    x = _check(x, "x", "(N, in)")
    w = _check(w, "w", "(out, in)")
    if x.shape[1] != w.shape[1]:
        raise ValueError(f"x has {x.shape[1]} features (shape {x.shape}) but w of shape {w.shape} expects {w.shape[1]}")
    z = x @ w.T
    if b is not None:
        b = as_array(b, "b")
        if b.shape != (w.shape[0],):
            raise ValueError(f"b must have shape (out,) = ({w.shape[0]},) for w of shape {w.shape}, got {b.shape}")
        z = z + b
    return z


def _check_dz(dz, n_out):
    dz = _check(dz, "dz", "(N, out)")
    if dz.shape[1] != n_out:
        raise ValueError(f"dz must have {n_out} columns (shape (N, {n_out})), got {dz.shape}")
    return dz


def linear_dgrad(dz, w):
    """Data gradient ``dx = dz w``: ``dx[n, i] = sum_o dz[n, o] * w[o, i]``.

    Parameters
    ----------
    dz : array of shape (N, out)
    w : array of shape (out, in)

    Returns
    -------
    dx : array of shape (N, in)
    """
    w = _check(w, "w", "(out, in)")
    dz = _check_dz(dz, w.shape[0])
    return dz @ w


def linear_wgrad(dz, x):
    """Weight gradient ``dw = dz^T x``: ``dw[o, i] = sum_n dz[n, o] * x[n, i]`` (summed over the batch).

    Parameters
    ----------
    dz : array of shape (N, out)
    x : array of shape (N, in)

    Returns
    -------
    dw : array of shape (out, in)
    """
    x = _check(x, "x", "(N, in)")
    dz = _check(dz, "dz", "(N, out)")
    if dz.shape[0] != x.shape[0]:
        raise ValueError(f"dz and x must have the same batch size N, got dz {dz.shape} and x {x.shape}")
    return dz.T @ x


def linear_bgrad(dz):
    """Bias gradient ``db[o] = sum_n dz[n, o]`` (the bias input is always 1).

    Parameters
    ----------
    dz : array of shape (N, out)

    Returns
    -------
    db : array of shape (out,)
    """
    dz = _check(dz, "dz", "(N, out)")
    return dz.sum(axis=0)
