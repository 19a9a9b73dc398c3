"""Layers, Sequential, SGD and fit: whole-network gradient checks and the training loop."""
import numpy as np
import pytest

import bplib
from bplib.train import minibatches

CE = (bplib.softmax_cross_entropy, bplib.softmax_cross_entropy_grad)


def small_cnn(seed=0, pool="max"):
    rng = np.random.default_rng(seed)
    Pool = bplib.MaxPool2d if pool == "max" else bplib.AvgPool2d
    return bplib.Sequential(
        bplib.Conv2d(1, 3, 3, padding=1, rng=rng), bplib.Tanh(), Pool(2),
        bplib.Flatten(), bplib.Linear(3 * 3 * 3, 8, rng=rng), bplib.Sigmoid(), bplib.Linear(8, 4, rng=rng),
    )


@pytest.mark.parametrize("pool", ["max", "avg"])
def test_whole_network_gradient_check(rng, pool):
    model = small_cnn(pool=pool)
    x, labels = rng.standard_normal((5, 1, 6, 6)), np.array([0, 1, 2, 3, 1])
    errors = bplib.check_model_gradients(model, CE, x, labels, n_coords=6, eps=1e-5, order=4)
    assert list(errors) == ["0.w", "0.b", "4.w", "4.b", "6.w", "6.b"]
    assert max(errors.values()) < 1e-7, errors


def test_input_gradient_of_a_network(rng):
    model = small_cnn(pool="avg")  # smooth everywhere, so a large step cannot cross a kink
    x, labels = rng.standard_normal((2, 1, 6, 6)), np.array([3, 0])
    dx = model.backward(bplib.softmax_cross_entropy_grad(model.forward(x), labels))
    fd = bplib.numerical_gradient(lambda v: bplib.softmax_cross_entropy(model.forward(v), labels), x, 1e-3, order=4)
    assert bplib.relative_error(dx, fd) < 1e-7


def test_relu_network_with_half_squared_error(rng):
    model = bplib.Sequential(bplib.Linear(3, 4, seed=1), bplib.ReLU(), bplib.Linear(4, 2, seed=2))
    x, t = rng.standard_normal((6, 3)), rng.standard_normal((6, 2))
    loss = (bplib.half_squared_error, bplib.half_squared_error_grad)
    errors = bplib.check_model_gradients(model, loss, x, t, n_coords=4, eps=1e-5, order=4)
    assert max(errors.values()) < 1e-7, errors


def test_backward_before_forward_is_an_error():
    with pytest.raises(RuntimeError, match="before forward"):
        bplib.Linear(2, 2, seed=0).backward(np.zeros((1, 2)))


def test_sgd_step_is_w_minus_lr_grad(rng):
    model = bplib.Sequential(bplib.Linear(3, 2, seed=0))
    x = rng.standard_normal((4, 3))
    model.backward(bplib.softmax_cross_entropy_grad(model.forward(x), np.array([0, 1, 1, 0])))
    w, gw = model[0].params["w"].copy(), model[0].grads["w"].copy()
    bplib.SGD(model, lr=0.5).step()
    np.testing.assert_array_equal(model[0].params["w"], w - 0.5 * gw)
    with pytest.raises(ValueError, match="lr"):
        bplib.SGD(model, lr=0)


def test_minibatches_partition_the_data():
    batches = minibatches(10, 4, np.random.default_rng(0))
    assert [len(b) for b in batches] == [4, 4, 2]
    assert sorted(np.concatenate(batches).tolist()) == list(range(10))


def test_fit_is_deterministic_and_learns(rng):
    x = rng.standard_normal((60, 1, 6, 6))
    labels = (x[:, 0, :3].sum(axis=(1, 2)) > x[:, 0, 3:].sum(axis=(1, 2))).astype(int)  # top half brighter?
    runs = []
    for _ in range(2):
        model = small_cnn(seed=3)
        h = bplib.fit(model, x, labels, epochs=15, batch_size=10, lr=0.5, seed=1, progress=False)
        runs.append((h, model[0].params["w"].copy()))
    assert runs[0][0].loss == runs[1][0].loss
    np.testing.assert_array_equal(runs[0][1], runs[1][1])
    h = runs[0][0]
    assert h.epochs == 15 and h.loss[-1] < 0.5 * h.loss[0]
    assert h.accuracy[-1] > 0.9


def test_fit_stop_below_and_validation(rng):
    x, labels = rng.standard_normal((40, 3)), rng.integers(0, 2, 40)
    model = bplib.Sequential(bplib.Linear(3, 16, seed=0), bplib.ReLU(), bplib.Linear(16, 2, seed=1))
    h = bplib.fit(model, x, labels, epochs=500, batch_size=8, lr=0.1, x_val=x, t_val=labels,
                  stop_below=0.5, progress=False)
    assert h.stopped_early and h.loss[-1] < 0.5 <= min(h.loss[:-1], default=1.0)
    assert len(h.val_loss) == h.epochs
    loss, acc = bplib.evaluate(model, x, labels)
    assert loss == pytest.approx(h.val_loss[-1]) and acc == h.val_accuracy[-1]


def test_fit_with_half_squared_error_targets(rng):
    x = rng.standard_normal((32, 2))
    t = x @ np.array([[1.0], [-2.0]]) + 0.5
    model = bplib.Sequential(bplib.Linear(2, 1, seed=0))
    h = bplib.fit(model, x, t, epochs=200, batch_size=8, lr=0.05, loss="half_squared_error", progress=False)
    np.testing.assert_allclose(model[0].params["w"], [[1.0, -2.0]], atol=1e-6)
    np.testing.assert_allclose(model[0].params["b"], [0.5], atol=1e-6)
    assert h.accuracy[-1] is None


def test_fit_bad_arguments():
    model = bplib.Sequential(bplib.Linear(2, 2, seed=0))
    with pytest.raises(ValueError, match="same number of examples"):
        bplib.fit(model, np.zeros((3, 2)), np.zeros(2, dtype=int), epochs=1)
    with pytest.raises(ValueError, match="epochs"):
        bplib.fit(model, np.zeros((3, 2)), np.zeros(3, dtype=int), epochs=0)


def test_predict_is_forward_only(rng):
    model = small_cnn()
    x = rng.standard_normal((7, 1, 6, 6))
    # batches of 3 and of 7 may sum in a different order inside BLAS: equal to rounding
    np.testing.assert_allclose(bplib.predict(model, x, batch_size=3), model.forward(x), rtol=1e-13, atol=1e-15)


def test_digits_split_is_stratified_and_fixed():
    from bplib.data import digits_split, load_digits

    x, _ = load_digits()
    assert x.shape == (1797, 1, 8, 8) and 0.0 <= x.min() and x.max() <= 1.0
    x_tr, _, x_te, y_te = digits_split()
    assert len(x_tr) + len(x_te) == 1797 and len(x_te) == 360
    assert np.bincount(y_te).min() >= 35
    np.testing.assert_array_equal(digits_split()[3], y_te)
