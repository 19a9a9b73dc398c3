"""The real data set: scikit-learn's handwritten digits (1,797 images of 8x8, shipped in its wheel)."""
from __future__ import annotations

import numpy as np

__all__ = ["load_digits", "digits_split"]


def load_digits(dtype=np.float64):
    """All 1,797 digits as ``(x, y)``: x of shape (1797, 1, 8, 8) scaled to [0, 1], y int64 labels 0..9.

    Read from the copy inside scikit-learn's package: no download.
    """
    from sklearn.datasets import load_digits as _load

    d = _load()
    x = (d.images / 16.0).astype(dtype)[:, None, :, :]
    return x, d.target.astype(np.int64)


def digits_split(test_size=0.2, seed=0, dtype=np.float64):
    """A fixed, stratified train/test split of the digits: ``(x_train, y_train, x_test, y_test)``.

    x arrays have shape (n, 1, 8, 8); the split is the same for the same ``seed``.
    """
    from sklearn.model_selection import train_test_split

    x, y = load_digits(dtype)
    x_tr, x_te, y_tr, y_te = train_test_split(x, y, test_size=test_size, random_state=seed, stratify=y)
    return x_tr, y_tr, x_te, y_te
