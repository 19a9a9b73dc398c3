"""Mistakes that used to pass silently: each now works correctly or raises a clear error (issue 9)."""
import numpy as np
import pytest

import bplib

CE = (bplib.softmax_cross_entropy, bplib.softmax_cross_entropy_grad)


def _copy_weights(src_layers, dst_layers):
    for s, d in zip(src_layers, dst_layers):
        for key in s.params:
            d.params[key][...] = s.params[key]


# ----------------------------------------------------------------------------- nested containers
def _nested_and_flat():
    """The same 3-4-4-2 network twice: nested two levels deep, and flat."""
    a, b, c = bplib.Linear(3, 4, seed=1), bplib.Linear(4, 4, seed=2), bplib.Linear(4, 2, seed=3)
    nested = bplib.Sequential(bplib.Sequential(a, bplib.Tanh(), bplib.Sequential(b, bplib.Sigmoid())), c)
    fa, fb, fc = bplib.Linear(3, 4, seed=7), bplib.Linear(4, 4, seed=8), bplib.Linear(4, 2, seed=9)
    flat = bplib.Sequential(fa, bplib.Tanh(), fb, bplib.Sigmoid(), fc)
    _copy_weights([a, b, c], [fa, fb, fc])
    return nested, flat


def test_nested_parameters_are_found_two_levels_deep():
    nested, _ = _nested_and_flat()
    names = [name for name, _, _ in nested.named_parameters()]
    assert names == ["0.0.w", "0.0.b", "0.2.0.w", "0.2.0.b", "1.w", "1.b"]
    inner = nested[0][2][0]
    assert any(layer is inner and key == "w" for layer, key in nested.parameters())


def test_nested_gradients_equal_the_flat_network_and_finite_differences(rng):
    nested, flat = _nested_and_flat()
    x, labels = rng.standard_normal((5, 3)), np.array([0, 1, 1, 0, 1])
    dx_nested = nested.backward(bplib.softmax_cross_entropy_grad(nested.forward(x), labels))
    dx_flat = flat.backward(bplib.softmax_cross_entropy_grad(flat.forward(x), labels))
    np.testing.assert_array_equal(dx_nested, dx_flat)
    for (_, _, g_nested), (_, _, g_flat) in zip(nested.named_parameters(), flat.named_parameters()):
        np.testing.assert_array_equal(g_nested, g_flat)
    errors = bplib.check_model_gradients(nested, CE, x, labels, n_coords=4, eps=1e-3, order=4)
    assert list(errors) == ["0.0.w", "0.0.b", "0.2.0.w", "0.2.0.b", "1.w", "1.b"]
    assert max(errors.values()) < 1e-8, errors


def test_fit_trains_every_nested_weight(rng):
    nested, flat = _nested_and_flat()
    x, labels = rng.standard_normal((16, 3)), rng.integers(0, 2, 16)
    before = {name: p.copy() for name, p, _ in nested.named_parameters()}
    h_nested = bplib.fit(nested, x, labels, epochs=3, batch_size=4, lr=0.3, progress=False)
    h_flat = bplib.fit(flat, x, labels, epochs=3, batch_size=4, lr=0.3, progress=False)
    assert h_nested.loss == h_flat.loss
    for (name, p, _), (_, p_flat, _) in zip(nested.named_parameters(), flat.named_parameters()):
        assert not np.array_equal(p, before[name]), f"{name} did not change"
        np.testing.assert_array_equal(p, p_flat)


def test_nested_repr_indents_the_inner_container():
    model = bplib.Sequential(bplib.Sequential(bplib.Linear(2, 2, seed=0)), bplib.ReLU())
    assert repr(model) == "Sequential(\n  (0): Sequential(\n    (0): Linear(2, 2)\n  )\n  (1): ReLU()\n)"


# ----------------------------------------------------------------------------- models that cannot learn
@pytest.mark.parametrize("model", [bplib.Sequential(bplib.ReLU(), bplib.Flatten()), bplib.Sequential(),
                                   bplib.Sequential(bplib.Sequential(bplib.Tanh()))], ids=["relu", "empty", "nested"])
def test_no_trainable_parameters_is_an_error(model):
    x, labels = np.zeros((4, 2)), np.array([0, 1, 0, 1])
    with pytest.raises(ValueError, match="no trainable parameters"):
        bplib.fit(model, x, labels, epochs=1, progress=False)
    with pytest.raises(ValueError, match="no trainable parameters"):
        bplib.SGD(model, lr=0.1)
    with pytest.raises(ValueError, match="no parameters"):
        bplib.check_model_gradients(model, CE, x, labels)


def test_a_single_layer_trains_like_a_model(rng):
    layer = bplib.Linear(3, 2, seed=0)
    x, labels = rng.standard_normal((8, 3)), rng.integers(0, 2, 8)
    w0 = layer.params["w"].copy()
    bplib.fit(layer, x, labels, epochs=1, batch_size=8, lr=0.5, progress=False)
    grad = bplib.linear_wgrad(bplib.softmax_cross_entropy_grad(x @ w0.T, labels), x)
    np.testing.assert_allclose(layer.params["w"], w0 - 0.5 * grad, rtol=1e-12, atol=1e-15)


# ----------------------------------------------------------------------------- one layer object in two places
def test_a_layer_used_twice_is_an_error():
    shared, relu = bplib.Linear(2, 2, seed=0), bplib.ReLU()
    with pytest.raises(ValueError, match="layer 2 is the same object as layer 0"):
        bplib.Sequential(shared, bplib.ReLU(), shared)
    with pytest.raises(ValueError, match="layer 1.0 is the same object as layer 0"):
        bplib.Sequential(relu, bplib.Sequential(relu))
    block = bplib.Sequential(bplib.Linear(2, 2, seed=0), bplib.Tanh())
    with pytest.raises(ValueError, match="layer 1 is the same object as layer 0"):
        bplib.Sequential(block, block)


# ----------------------------------------------------------------------------- forward/backward order
LAYERS = {
    "Conv2d": (lambda: bplib.Conv2d(1, 2, 2, seed=0), (2, 1, 3, 3)),
    "Linear": (lambda: bplib.Linear(3, 2, seed=0), (2, 3)),
    "MaxPool2d": (lambda: bplib.MaxPool2d(2), (2, 1, 4, 4)),
    "AvgPool2d": (lambda: bplib.AvgPool2d(2), (2, 1, 4, 4)),
    "Flatten": (bplib.Flatten, (2, 1, 2, 2)),
    "ReLU": (bplib.ReLU, (2, 3)),
    "Sigmoid": (bplib.Sigmoid, (2, 3)),
    "Tanh": (bplib.Tanh, (2, 3)),
    "Sequential": (lambda: bplib.Sequential(bplib.Linear(3, 2, seed=0), bplib.Tanh()), (2, 3)),
}


@pytest.mark.parametrize("name", list(LAYERS))
def test_backward_before_forward_is_an_error(name):
    make, x_shape = LAYERS[name]
    layer = make()
    out = make().forward(np.ones(x_shape))
    with pytest.raises(RuntimeError, match="backward called before forward"):
        layer.backward(np.ones(out.shape))


@pytest.mark.parametrize("name", list(LAYERS))
def test_backward_twice_gives_the_same_gradients(rng, name):
    make, x_shape = LAYERS[name]
    layer = make()
    x = rng.standard_normal(x_shape)
    d_out = rng.standard_normal(layer.forward(x).shape)
    dx1, grads1 = layer.backward(d_out), {k: g.copy() for k, _, g in layer.named_parameters()}
    dx2, grads2 = layer.backward(d_out), {k: g.copy() for k, _, g in layer.named_parameters()}
    np.testing.assert_array_equal(dx1, dx2)           # overwritten, not accumulated
    assert grads1.keys() == grads2.keys()
    for k in grads1:
        np.testing.assert_array_equal(grads1[k], grads2[k])
    # and they are the gradients of L = sum(out * d_out): central differences on the input
    fd = bplib.numerical_gradient(lambda v: float(np.sum(layer.forward(v) * d_out)), x.copy(), 1e-3, order=4)
    np.testing.assert_allclose(dx2, fd, rtol=1e-7, atol=1e-10)   # (max-pool and ReLU: no input near a kink)


# ----------------------------------------------------------------------------- dtypes
F32, F64 = np.float32, np.float64


@pytest.mark.parametrize("call", [
    lambda: bplib.conv2d(np.zeros((1, 1, 3, 3), F32), np.zeros((1, 1, 2, 2), F64)),
    lambda: bplib.conv2d(np.zeros((1, 1, 3, 3), F32), np.zeros((1, 1, 2, 2), F32), np.zeros(1, F64)),
    lambda: bplib.conv2d_dgrad(np.zeros((1, 1, 2, 2), F64), np.zeros((1, 1, 2, 2), F32), (1, 1, 3, 3)),
    lambda: bplib.conv2d_wgrad(np.zeros((1, 1, 2, 2), F32), np.zeros((1, 1, 3, 3), F64), (1, 1, 2, 2)),
    lambda: bplib.linear(np.zeros((2, 3), F32), np.zeros((4, 3), F64)),
    lambda: bplib.linear_dgrad(np.zeros((2, 4), F64), np.zeros((4, 3), F32)),
    lambda: bplib.max_pool2d_backward(np.zeros((1, 1, 1, 1), F64), np.zeros((1, 1, 2, 2), F32), 2),
    lambda: bplib.Conv2d(1, 1, 2, seed=0).forward(np.zeros((1, 1, 3, 3), F32)),
    lambda: bplib.Linear(3, 2, seed=0, dtype=F32).forward(np.zeros((1, 3), F64)),
], ids=["conv x/w", "conv b", "dgrad", "wgrad", "linear", "linear_dgrad", "max-pool backward", "Conv2d layer",
        "Linear layer"])
def test_float32_and_float64_do_not_mix(call):
    with pytest.raises(TypeError, match="float32.*float64|float64.*float32"):
        call()


def test_activation_layer_backward_refuses_a_mixed_dtype():
    layer = bplib.Sigmoid()
    layer.forward(np.zeros((2, 2), F32))
    with pytest.raises(TypeError, match="different precision"):
        layer.backward(np.ones((2, 2), F64))


def test_integers_take_the_floating_dtype_of_the_others(rng):
    x = rng.integers(-3, 4, (2, 1, 4, 4))
    w = rng.standard_normal((2, 1, 2, 2)).astype(F32)
    z = bplib.conv2d(x, w)
    assert z.dtype == F32
    np.testing.assert_allclose(z, bplib.conv2d(x.astype(F32), w), rtol=1e-6)
    assert bplib.linear(np.ones((2, 3), dtype=int), np.ones((4, 3), F32)).dtype == F32


def test_a_float32_network_stays_float32(rng):
    model = bplib.Sequential(bplib.Conv2d(1, 2, 3, padding=1, seed=0, dtype=F32), bplib.ReLU(), bplib.MaxPool2d(2),
                             bplib.Flatten(), bplib.Linear(8, 3, seed=1, dtype=F32))
    x, labels = rng.standard_normal((4, 1, 4, 4)).astype(F32), np.array([0, 2, 1, 1])
    out = model.forward(x)
    dx = model.backward(bplib.softmax_cross_entropy_grad(out, labels))
    assert out.dtype == dx.dtype == F32
    assert all(p.dtype == g.dtype == F32 for _, p, g in model.named_parameters())


@pytest.mark.parametrize("dtype", [np.int64, bool, object])
def test_layers_need_floating_parameters(dtype):
    for make in (lambda: bplib.Linear(3, 2, dtype=dtype), lambda: bplib.Conv2d(1, 1, 2, dtype=dtype)):
        with pytest.raises(TypeError, match="floating-point dtype"):
            make()


def test_targets_take_the_dtype_of_the_prediction(rng):
    a = rng.standard_normal((3, 2)).astype(F32)
    t64 = rng.standard_normal((3, 2))
    assert bplib.half_squared_error_grad(a, t64).dtype == F32
    np.testing.assert_allclose(bplib.half_squared_error_grad(a, t64), a - t64.astype(F32), rtol=0, atol=0)
    t_int = np.array([[1, 0], [0, 1], [1, 1]])
    assert bplib.half_squared_error_grad(a, t_int).dtype == F32
    assert bplib.half_squared_error(a, t_int) == pytest.approx(0.5 * float(np.sum((a - t_int) ** 2)), rel=1e-6)


# ----------------------------------------------------------------------------- labels and targets
@pytest.mark.parametrize("labels, hint", [
    (np.array([0.0, 1.0, 1.0]), r"astype\(int\)"),
    (np.array([True, False, True]), "dtype bool"),
    (np.eye(3)[[0, 1, 1]], "argmax"),
], ids=["float", "bool", "one-hot"])
def test_cross_entropy_labels_must_be_integers(labels, hint):
    z = np.zeros((3, 3))
    for f in CE:
        with pytest.raises(TypeError, match=hint):
            f(z, labels)


def test_small_unsigned_labels_work(rng):
    z = rng.standard_normal((4, 3))
    labels = np.array([2, 0, 1, 2])
    assert bplib.softmax_cross_entropy(z, labels.astype(np.uint8)) == bplib.softmax_cross_entropy(z, labels)
    np.testing.assert_array_equal(bplib.softmax_cross_entropy_grad(z, labels.astype(np.uint8)),
                                  bplib.softmax_cross_entropy_grad(z, labels))


def test_labels_given_to_the_squared_error_name_one_hot():
    with pytest.raises(ValueError, match="one_hot"):
        bplib.half_squared_error(np.zeros((3, 4)), np.array([0, 1, 3]))
    with pytest.raises(ValueError, match="one_hot"):
        bplib.fit(bplib.Sequential(bplib.Linear(2, 4, seed=0)), np.zeros((3, 2)), np.array([0, 1, 3]),
                  epochs=1, loss="half_squared_error", progress=False)


def test_one_hot_dtype():
    assert bplib.one_hot(np.array([1, 0]), 3, dtype=F32).dtype == F32
    np.testing.assert_array_equal(bplib.one_hot(np.array([1, 0]), 3), [[0, 1, 0], [1, 0, 0]])


# ----------------------------------------------------------------------------- arguments that would be ignored
def test_fit_refuses_arguments_it_would_ignore(rng):
    model, other = bplib.Sequential(bplib.Linear(2, 2, seed=0)), bplib.Sequential(bplib.Linear(2, 2, seed=1))
    x, labels = rng.standard_normal((4, 2)), np.array([0, 1, 0, 1])
    with pytest.raises(ValueError, match="lr or optimizer"):
        bplib.fit(model, x, labels, epochs=1, lr=0.5, optimizer=bplib.SGD(model, 0.1), progress=False)
    with pytest.raises(ValueError, match="another model"):
        bplib.fit(model, x, labels, epochs=1, optimizer=bplib.SGD(other, 0.1), progress=False)
    with pytest.raises(ValueError, match="x_val and t_val"):
        bplib.fit(model, x, labels, epochs=1, x_val=x, progress=False)
    with pytest.raises(ValueError, match="rng or seed"):
        bplib.Linear(2, 2, rng=np.random.default_rng(0), seed=1)


def test_fit_with_an_optimizer_uses_its_learning_rate(rng):
    x, labels = rng.standard_normal((6, 2)), np.array([0, 1, 0, 1, 1, 0])
    a, b = bplib.Sequential(bplib.Linear(2, 2, seed=0)), bplib.Sequential(bplib.Linear(2, 2, seed=0))
    bplib.fit(a, x, labels, epochs=2, batch_size=3, lr=0.25, progress=False)
    bplib.fit(b, x, labels, epochs=2, batch_size=3, optimizer=bplib.SGD(b, 0.25), progress=False)
    np.testing.assert_array_equal(a[0].params["w"], b[0].params["w"])


def test_numerical_gradient_needs_float64():
    with pytest.raises(TypeError, match="float64"):
        bplib.numerical_gradient(lambda v: float(np.sum(v)), np.zeros(3, F32))


def test_predict_checks_batch_size():
    with pytest.raises(ValueError, match="batch_size"):
        bplib.predict(bplib.Sequential(bplib.Linear(2, 2, seed=0)), np.zeros((3, 2)), batch_size=0)
