"""bplib.data: the train/validation/test parts of the digits are disjoint, complete, stratified and fixed."""
import numpy as np
import pytest

from bplib.data import digits_split, digits_train_val_test, load_digits


def _rows(x, t):
    """Each example as hashable bytes (image and label), for multiset comparisons."""
    return sorted(xi.tobytes() + np.int64(ti).tobytes() for xi, ti in zip(x, t))


@pytest.fixture(scope="module")
def parts():
    return digits_train_val_test(val_size=0.2, test_size=0.2, seed=0)


def test_the_three_parts_partition_the_data_set(parts):
    x_tr, t_tr, x_va, t_va, x_te, t_te = parts
    x, t = load_digits()
    together = _rows(np.concatenate([x_tr, x_va, x_te]), np.concatenate([t_tr, t_va, t_te]))
    # the same multiset of (image, label) pairs as the whole data set: nothing lost, nothing repeated
    assert together == _rows(x, t)


def test_the_test_part_is_the_one_of_digits_split(parts):
    _, _, _, _, x_te, t_te = parts
    x_rest, t_rest, x_te2, t_te2 = digits_split(test_size=0.2, seed=0)
    np.testing.assert_array_equal(x_te, x_te2)
    np.testing.assert_array_equal(t_te, t_te2)
    # and training + validation is digits_split's training part, split in two
    x_tr, t_tr, x_va, t_va = parts[:4]
    assert _rows(np.concatenate([x_tr, x_va]), np.concatenate([t_tr, t_va])) == _rows(x_rest, t_rest)


@pytest.mark.parametrize("val_size", [0.1, 0.2, 0.35])
def test_validation_part_is_stratified_and_sized_as_documented(val_size):
    x_tr, t_tr, x_va, t_va, _, _ = digits_train_val_test(val_size=val_size, seed=0)
    n_rest = len(t_tr) + len(t_va)
    assert len(t_va) == int(np.ceil(val_size * n_rest))        # rounded up, as the docstring says
    counts_rest = np.bincount(np.concatenate([t_tr, t_va]), minlength=10)
    counts_val = np.bincount(t_va, minlength=10)
    # every class is represented in proportion, up to one example of rounding
    assert np.all(np.abs(counts_val - val_size * counts_rest) <= 1)


def test_same_seed_same_parts_other_seed_other_parts(parts):
    again = digits_train_val_test(val_size=0.2, test_size=0.2, seed=0)
    for a, b in zip(parts, again):
        np.testing.assert_array_equal(a, b)
    other = digits_train_val_test(val_size=0.2, test_size=0.2, seed=1)
    assert not np.array_equal(parts[3], other[3])


def test_dtype_and_value_range():
    x_tr, t_tr, x_va, t_va, x_te, t_te = digits_train_val_test(dtype=np.float32)
    for x, t in [(x_tr, t_tr), (x_va, t_va), (x_te, t_te)]:
        assert x.dtype == np.float32 and x.shape[1:] == (1, 8, 8)
        assert t.dtype == np.int64 and len(t) == len(x)
    x_all = np.concatenate([x_tr, x_va, x_te])
    assert x_all.min() == 0.0 and x_all.max() == 1.0          # the raw pixels 0..16, divided by 16


@pytest.mark.parametrize("kwargs, name", [
    ({"val_size": 0.0}, "val_size"), ({"val_size": 1.0}, "val_size"), ({"test_size": -0.1}, "test_size"),
    ({"test_size": 1.5}, "test_size"), ({"seed": -1}, "seed"), ({"seed": 0.5}, "seed"),
])
def test_bad_arguments_name_the_parameter(kwargs, name):
    with pytest.raises(ValueError, match=name):
        digits_train_val_test(**kwargs)


def test_a_fraction_must_be_a_number():
    with pytest.raises(TypeError, match="val_size"):
        digits_train_val_test(val_size="0.2")
