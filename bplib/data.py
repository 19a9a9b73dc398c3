"""The real data set: scikit-learn's handwritten digits (1,797 images of 8x8, shipped in its wheel).

Two fixed, stratified splits:

* ``digits_split``: training and test parts (80 % / 20 % by default);
* ``digits_train_val_test``: the same test part, and a validation part carved
  out of the training part, for choosing the architecture, learning rate and
  number of epochs without looking at the test set.

Images are arrays ``x`` of shape ``(n, 1, 8, 8)`` scaled to ``[0, 1]``; targets
``t`` are int64 class labels 0..9 of shape ``(n,)``.
"""
from __future__ import annotations

import numbers

import numpy as np

__all__ = ["load_digits", "digits_split", "digits_train_val_test"]


def _check_fraction(value, name):
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise TypeError(f"{name} must be a number between 0 and 1, got {type(value).__name__}")
    if not 0 < value < 1:
        raise ValueError(f"{name} must be a fraction strictly between 0 and 1, got {value!r}")
    return float(value)


def _check_seed(seed):
    if not isinstance(seed, numbers.Integral) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    return int(seed)


def load_digits(dtype=np.float64):
    """All 1,797 digits as ``(x, t)``: x of shape (1797, 1, 8, 8) scaled to [0, 1], t int64 labels 0..9.

    Read from the copy inside scikit-learn's package: no download.
    """
    from sklearn.datasets import load_digits as _load

    d = _load()
    x = (d.images / 16.0).astype(dtype)[:, None, :, :]
    return x, d.target.astype(np.int64)


def digits_split(test_size=0.2, seed=0, dtype=np.float64):
    """A fixed, stratified train/test split of the digits: ``(x_train, t_train, x_test, t_test)``.

    Parameters
    ----------
    test_size : float in (0, 1)
        Fraction of the 1,797 digits in the test part (rounded up: 360 for 0.2).
    seed : int >= 0
        Seeds the split; the same ``seed`` gives the same split.
    dtype : NumPy float dtype of the images

    Returns
    -------
    x_train : float array (n_train, 1, 8, 8)
    t_train : int64 array (n_train,)
    x_test : float array (n_test, 1, 8, 8)
    t_test : int64 array (n_test,)
        Every class has the same share of each part, up to rounding.
    """
    from sklearn.model_selection import train_test_split

    test_size = _check_fraction(test_size, "test_size")
    seed = _check_seed(seed)
    x, t = load_digits(dtype)
    x_tr, x_te, t_tr, t_te = train_test_split(x, t, test_size=test_size, random_state=seed, stratify=t)
    return x_tr, t_tr, x_te, t_te


def digits_train_val_test(val_size=0.2, test_size=0.2, seed=0, dtype=np.float64):
    """Training, validation and test parts of the digits, each stratified by class.

    The test part is exactly the one ``digits_split(test_size, seed)`` returns;
    the validation part is a stratified, seeded fraction ``val_size`` *of the
    training part*, the rest stays for training. Choose everything (architecture,
    learning rate, schedule, epochs) on the validation part and touch the test
    part once, at the end.

    Parameters
    ----------
    val_size : float in (0, 1)
        Fraction of the training part held out for validation (rounded up:
        288 of 1,437 for 0.2, leaving 1,149 for training).
    test_size : float in (0, 1)
        As in ``digits_split``.
    seed : int >= 0
        Seeds both splits.
    dtype : NumPy float dtype of the images

    Returns
    -------
    x_train : float array (n_train, 1, 8, 8)
    t_train : int64 array (n_train,)
    x_val : float array (n_val, 1, 8, 8)
    t_val : int64 array (n_val,)
    x_test : float array (n_test, 1, 8, 8)
    t_test : int64 array (n_test,)
        The three parts are disjoint and together hold all 1,797 digits.
    """
    from sklearn.model_selection import train_test_split

    val_size = _check_fraction(val_size, "val_size")
    x_rest, t_rest, x_te, t_te = digits_split(test_size, seed, dtype)
    x_tr, x_va, t_tr, t_va = train_test_split(x_rest, t_rest, test_size=val_size, random_state=seed,
                                              stratify=t_rest)
    return x_tr, t_tr, x_va, t_va, x_te, t_te
