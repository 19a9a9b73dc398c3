"""Layers with state: each keeps what its backward pass needs and its parameters' gradients.

A layer has ``forward(x)``, ``backward(d_out) -> dx`` (``d_out`` is ``dL/d``
of the layer's output: ``dz = δ`` for ``Conv2d``, ``Linear`` and the pooling
layers, ``da`` for an activation), and dictionaries ``params`` and ``grads``
with the same keys (``"w"``, ``"b"``). ``backward`` uses what the most recent
``forward`` kept and **overwrites** ``grads`` (it does not accumulate, so
calling it twice gives the same gradients). The forward and backward of one
operation stand side by side, as in micrograd. How the layers chain is derived
in book/training_process.ipynb (The training process) and, for a whole CNN, in
book/part2/small_cnn.ipynb (Backpropagation through a whole small CNN).
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

from . import activations as act
from ._checks import IntPair, as_common_dtype, check_array, check_float_dtype, check_int, pair
from .conv import conv2d_bgrad, conv2d_dgrad, conv2d_wgrad_from_columns, conv2d_with_columns
from .linear import linear, linear_bgrad, linear_dgrad, linear_wgrad
from .pool import avg_pool2d, avg_pool2d_backward, max_pool2d, max_pool2d_backward

__all__ = [
    "Layer",
    "Conv2d",
    "Linear",
    "MaxPool2d",
    "AvgPool2d",
    "Flatten",
    "ReLU",
    "Sigmoid",
    "Tanh",
    "Sequential",
]


class Layer:
    """Base class: a layer without parameters. Subclasses fill ``params`` and ``grads``.

    The forward/backward pair of book/training_process.ipynb (The training process).
    """

    def __init__(self) -> None:
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Compute the output for input ``x`` and remember what ``backward`` needs."""
        raise NotImplementedError

    def backward(self, d_out: np.ndarray) -> np.ndarray:
        """Given ``d_out = dL/d(output)`` of the last forward, fill ``grads`` and return ``dL/dx``."""
        raise NotImplementedError

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return self.forward(x)

    def named_parameters(self) -> list[tuple[str, np.ndarray, np.ndarray]]:
        """``[(name, param, grad), ...]`` for every parameter, found recursively.

        Names are ``"w"``, ``"b"`` for one layer, ``"0.w"``, ``"1.0.b"`` (index paths) in a ``Sequential``.
        """
        return [(name, layer.params[key], layer.grads[key]) for name, layer, key in self._parameter_handles("")]

    def parameters(self) -> list[tuple[Layer, str]]:
        """``[(layer, key), ...]`` for every parameter, found recursively: the handles an optimiser updates."""
        return [(layer, key) for _, layer, key in self._parameter_handles("")]

    def _parameter_handles(self, prefix: str) -> list[tuple[str, Layer, str]]:
        return [(prefix + key, self, key) for key in self.params]

    def _kept(self, attr: str):
        """What the last forward kept for the backward, or ``RuntimeError`` if there was no forward."""
        value = getattr(self, attr, None)
        if value is None:
            raise RuntimeError(f"{type(self).__name__}.backward called before forward")
        return value

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def _init_params(rng: np.random.Generator | None, seed: int | None, shape: tuple[int, ...], fan_in: int,
                 dtype: DTypeLike) -> dict[str, np.ndarray]:
    """``w`` from He's normal ``N(0, 2 / fan_in)`` (suited to ReLU networks), ``b`` zero: one per output unit."""
    if rng is not None and seed is not None:
        raise ValueError("give rng or seed, not both (seed would be ignored)")
    dtype = check_float_dtype(dtype)
    rng = rng if rng is not None else np.random.default_rng(seed)
    w = (rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)).astype(dtype)
    return {"w": w, "b": np.zeros(shape[0], dtype=dtype)}


class Conv2d(Layer):
    """Convolution layer: ``z = conv2d(x, w, b)``; x (N, C, H_in, W_in) -> z (N, K, H_out, W_out).

    ``w`` (K, C, kh, kw) is drawn from He's normal ``N(0, 2 / (C*kh*kw))`` with
    the given ``rng`` (or ``seed``); ``b`` (K,) starts at zero; ``dtype`` must
    be a floating type and the input must have the same one. Derived in
    book/part2/conv_forward.ipynb, conv_dgrad.ipynb and conv_wgrad.ipynb.
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: IntPair, stride: IntPair = 1,
                 padding: IntPair = 0, dilation: IntPair = 1, rng: np.random.Generator | None = None,
                 seed: int | None = None, dtype: DTypeLike = np.float64) -> None:
        super().__init__()
        C, K = check_int(in_channels, "in_channels", 1), check_int(out_channels, "out_channels", 1)
        kh, kw = pair(kernel_size, "kernel_size", 1)
        self.stride, self.padding = pair(stride, "stride", 1), pair(padding, "padding", 0)
        self.dilation = pair(dilation, "dilation", 1)
        self.params = _init_params(rng, seed, (K, C, kh, kw), C * kh * kw, dtype)
        self.grads = {key: np.zeros_like(v) for key, v in self.params.items()}
        self.x_shape = self.cols = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        # keep the forward's columns: the weight gradient is one matrix product against them
        z, self.cols = conv2d_with_columns(x, self.params["w"], self.params["b"],
                                           self.stride, self.padding, self.dilation)
        self.x_shape = np.shape(x)
        return z

    def backward(self, dz: np.ndarray) -> np.ndarray:
        w = self.params["w"]
        dx = conv2d_dgrad(dz, w, self._kept("x_shape"), self.stride, self.padding, self.dilation)
        self.grads["w"] = conv2d_wgrad_from_columns(dz, self.cols, w.shape)
        self.grads["b"] = conv2d_bgrad(dz)
        return dx

    def __repr__(self) -> str:
        K, C, kh, kw = self.params["w"].shape
        return (f"Conv2d({C}, {K}, kernel_size=({kh}, {kw}), stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation})")


class Linear(Layer):
    """Fully connected layer ``z = x w^T + b``; x (N, n_in) -> z (N, n_out), ``w`` of shape (n_out, n_in).

    ``w`` is drawn from He's normal ``N(0, 2 / n_in)``; ``b`` starts at zero;
    ``dtype`` must be a floating type and the input must have the same one.
    Derived in book/part1/relu_network.ipynb (A 2-2-1 ReLU network, every number).
    """

    def __init__(self, in_features: int, out_features: int, rng: np.random.Generator | None = None,
                 seed: int | None = None, dtype: DTypeLike = np.float64) -> None:
        super().__init__()
        n_in, n_out = check_int(in_features, "in_features", 1), check_int(out_features, "out_features", 1)
        self.params = _init_params(rng, seed, (n_out, n_in), n_in, dtype)
        self.grads = {key: np.zeros_like(v) for key, v in self.params.items()}
        self.x = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.x = x
        return linear(x, self.params["w"], self.params["b"])

    def backward(self, dz: np.ndarray) -> np.ndarray:
        x = self._kept("x")
        self.grads["w"] = linear_wgrad(dz, x)
        self.grads["b"] = linear_bgrad(dz)
        return linear_dgrad(dz, self.params["w"])

    def __repr__(self) -> str:
        n_out, n_in = self.params["w"].shape
        return f"Linear({n_in}, {n_out})"


class MaxPool2d(Layer):
    """Max pooling layer (no parameters): x (N, C, H_in, W_in) -> z (N, C, H_out, W_out).

    ``H_out = (H_in - kh) // S + 1``, ``W_out`` likewise; ``stride`` defaults to
    the kernel size. Ties send the gradient to the first maximum in row-major
    order. Derived in book/part2/pooling.ipynb (Pooling, forward and backward).
    """

    def __init__(self, kernel_size: IntPair, stride: IntPair | None = None) -> None:
        super().__init__()
        self.kernel_size = pair(kernel_size, "kernel_size", 1)
        self.stride = self.kernel_size if stride is None else pair(stride, "stride", 1)
        self.x = self.z = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.x = x
        self.z = max_pool2d(x, self.kernel_size, self.stride)   # kept: the backward compares x with it
        return self.z

    def backward(self, dz: np.ndarray) -> np.ndarray:
        return max_pool2d_backward(dz, self._kept("x"), self.kernel_size, self.stride, z=self.z)

    def __repr__(self) -> str:
        return f"MaxPool2d(kernel_size={self.kernel_size}, stride={self.stride})"


class AvgPool2d(Layer):
    """Average pooling layer (no parameters): x (N, C, H_in, W_in) -> z (N, C, H_out, W_out).

    ``H_out = (H_in - kh) // S + 1``, ``W_out`` likewise; ``stride`` defaults to
    the kernel size. Derived in book/part2/pooling.ipynb (Pooling, forward and backward).
    """

    def __init__(self, kernel_size: IntPair, stride: IntPair | None = None) -> None:
        super().__init__()
        self.kernel_size = pair(kernel_size, "kernel_size", 1)
        self.stride = self.kernel_size if stride is None else pair(stride, "stride", 1)
        self.x = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.x = x
        return avg_pool2d(x, self.kernel_size, self.stride)

    def backward(self, dz: np.ndarray) -> np.ndarray:
        dz, _ = as_common_dtype(dz=check_array(dz, "dz"), x=check_array(self._kept("x"), "x"))
        return avg_pool2d_backward(dz, np.shape(self.x), self.kernel_size, self.stride)

    def __repr__(self) -> str:
        return f"AvgPool2d(kernel_size={self.kernel_size}, stride={self.stride})"


class Flatten(Layer):
    """Flatten x (N, C, H, W) -> (N, C*H*W); backward reshapes back.

    Between the convolution and the dense layers of book/part2/small_cnn.ipynb.
    """

    def __init__(self) -> None:
        super().__init__()
        self.x_shape = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = check_array(x, "x")
        self.x_shape = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, d_out: np.ndarray) -> np.ndarray:
        return np.reshape(d_out, self._kept("x_shape"))


class _Activation(Layer):
    """``a = f(z)`` elementwise, any shape; backward ``dz = da * f'(z)``. Subclasses set ``f`` and ``f_prime``."""

    f: Callable[[np.ndarray], np.ndarray]
    f_prime: Callable[[np.ndarray], np.ndarray]

    def __init__(self) -> None:
        super().__init__()
        self.z = None

    def forward(self, z: np.ndarray) -> np.ndarray:
        self.z = z
        return self.f(z)

    def backward(self, da: np.ndarray) -> np.ndarray:
        da, z = as_common_dtype(da=check_array(da, "da"), z=check_array(self._kept("z"), "z"))
        return da * self.f_prime(z)


class ReLU(_Activation):
    """``a = max(0, z)``; backward ``dz = da * (z > 0)``. Any shape.

    Derived in book/part1/relu_network.ipynb (A 2-2-1 ReLU network, every number).
    """

    f = staticmethod(act.relu)
    f_prime = staticmethod(act.relu_prime)


class Sigmoid(_Activation):
    """``a = sigma(z)``; backward ``dz = da * sigma(z) (1 - sigma(z))``. Any shape.

    Derived in book/part1/delta_rule.ipynb (The δ-rule for sigmoid networks);
    the layer is used in book/part2/small_cnn.ipynb.
    """

    f = staticmethod(act.sigmoid)
    f_prime = staticmethod(act.sigmoid_prime)


class Tanh(_Activation):
    """``a = tanh(z)``; backward ``dz = da * (1 - tanh(z)**2)``. Any shape.

    Derived in book/part1/delta_rule.ipynb (The δ-rule for sigmoid networks, exercises);
    the layer is used in book/part1/gradient_descent.ipynb.
    """

    f = staticmethod(act.tanh)
    f_prime = staticmethod(act.tanh_prime)


class Sequential(Layer):
    """Layers applied in order; ``backward`` runs them in reverse (output to input).

    ``x`` has the shape the first layer takes, the output the shape the last
    one gives (e.g. (N, C, H, W) -> (N, classes)). Containers nest:
    ``Sequential(Sequential(Linear(2, 2)), ReLU())`` has the parameters
    ``"0.0.w"`` and ``"0.0.b"``. One layer object may appear only once in a
    model (``ValueError`` otherwise): it keeps the input of its last forward for
    its backward, so a second use would overwrite what the first needs.
    Derived in book/part2/small_cnn.ipynb (Backpropagation through a whole small CNN).
    """

    def __init__(self, *layers: Layer) -> None:
        super().__init__()
        for i, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                raise TypeError(f"layers[{i}] must be a bplib Layer, got {type(layer).__name__}")
        self.layers = tuple(layers)
        seen: dict[int, str] = {}
        for path, layer in self._walk(""):
            if id(layer) in seen:
                raise ValueError(f"layer {path} is the same object as layer {seen[id(layer)]} ({layer!r}): a layer "
                                 "keeps what its last forward saw, so it can serve only one place in a model; "
                                 "create a second layer")
            seen[id(layer)] = path

    def _walk(self, prefix: str):
        """``(path, layer)`` for every layer below this one, depth first: ``"0"``, ``"0.1"``, ..."""
        for i, layer in enumerate(self.layers):
            yield f"{prefix}{i}", layer
            if isinstance(layer, Sequential):
                yield from layer._walk(f"{prefix}{i}.")

    def forward(self, x: ArrayLike) -> np.ndarray:
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, d_out: ArrayLike) -> np.ndarray:
        for layer in reversed(self.layers):
            d_out = layer.backward(d_out)
        return d_out

    def _parameter_handles(self, prefix: str) -> list[tuple[str, Layer, str]]:
        return [handle for i, layer in enumerate(self.layers) for handle in layer._parameter_handles(f"{prefix}{i}.")]

    def __getitem__(self, i: int) -> Layer:
        return self.layers[i]

    def __len__(self) -> int:
        return len(self.layers)

    def __repr__(self) -> str:
        inner = "\n".join(f"  ({i}): " + repr(layer).replace("\n", "\n  ") for i, layer in enumerate(self.layers))
        return f"Sequential(\n{inner}\n)"
