"""Layers with state: each keeps what its backward pass needs and its parameters' gradients.

A layer has ``forward(x)``, ``backward(dy) -> dx``, and dictionaries
``params`` and ``grads`` with the same keys (``"w"``, ``"b"``). ``backward``
must follow the ``forward`` of the same batch; it overwrites ``grads``.
The forward and backward of one operation stand side by side, as in micrograd.
"""
from __future__ import annotations

import numpy as np

from . import activations as act
from ._checks import check_int, pair
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
    """Base class: a layer without parameters. Subclasses fill ``params`` and ``grads``."""

    def __init__(self):
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}

    def forward(self, x):
        """Compute the output for input ``x`` and remember what ``backward`` needs."""
        raise NotImplementedError

    def backward(self, dy):
        """Given ``dy = dL/dy`` for the last forward output, fill ``grads`` and return ``dL/dx``."""
        raise NotImplementedError

    def __call__(self, x):
        return self.forward(x)

    def _need_forward(self, attr):
        if getattr(self, attr, None) is None:
            raise RuntimeError(f"{type(self).__name__}.backward called before forward")
        return getattr(self, attr)

    def __repr__(self):
        return f"{type(self).__name__}()"


def _he_normal(rng, shape, fan_in, dtype):
    """He (Kaiming) normal initialisation: N(0, 2 / fan_in), suited to ReLU networks."""
    return (rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)).astype(dtype)


class Conv2d(Layer):
    """Convolution layer: ``z = conv2d(x, w, b)``; x (N, C, H, W) -> z (N, K, Ho, Wo).

    ``w`` (K, C, kh, kw) is drawn from He's normal ``N(0, 2 / (C*kh*kw))`` with
    the given ``rng`` (or ``seed``); ``b`` (K,) starts at zero.
    """

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1,
                 rng=None, seed=None, dtype=np.float64):
        super().__init__()
        C = check_int(in_channels, "in_channels", 1)
        K = check_int(out_channels, "out_channels", 1)
        kh, kw = pair(kernel_size, "kernel_size", 1)
        self.stride, self.padding, self.dilation = pair(stride, "stride", 1), pair(padding, "padding", 0), pair(dilation, "dilation", 1)
        rng = rng if rng is not None else np.random.default_rng(seed)
        self.params = {"w": _he_normal(rng, (K, C, kh, kw), C * kh * kw, dtype), "b": np.zeros(K, dtype=dtype)}
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        self.x = None

    def forward(self, x):
        # keep the forward's columns: the weight gradient is one GEMM against them
        z, self._cols = conv2d_with_columns(x, self.params["w"], self.params["b"],
                                            self.stride, self.padding, self.dilation)
        self.x = np.asarray(x)
        return z

    def backward(self, dy):
        x = self._need_forward("x")
        w = self.params["w"]
        geometry = (self.stride, self.padding, self.dilation)
        dx = conv2d_dgrad(dy, w, x.shape, *geometry)        # checks dy against the forward's shapes
        self.grads["w"] = conv2d_wgrad_from_columns(dy, self._cols, w.shape)
        self.grads["b"] = conv2d_bgrad(dy)
        return dx

    def __repr__(self):
        K, C, kh, kw = self.params["w"].shape
        return f"Conv2d({C}, {K}, kernel_size=({kh}, {kw}), stride={self.stride}, padding={self.padding}, dilation={self.dilation})"


class Linear(Layer):
    """Fully connected layer ``z = x w^T + b``; x (N, in) -> z (N, out), ``w`` of shape (out, in).

    ``w`` is drawn from He's normal ``N(0, 2 / in)``; ``b`` starts at zero.
    """

    def __init__(self, in_features, out_features, rng=None, seed=None, dtype=np.float64):
        super().__init__()
        n_in = check_int(in_features, "in_features", 1)
        n_out = check_int(out_features, "out_features", 1)
        rng = rng if rng is not None else np.random.default_rng(seed)
        self.params = {"w": _he_normal(rng, (n_out, n_in), n_in, dtype), "b": np.zeros(n_out, dtype=dtype)}
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        self.x = None

    def forward(self, x):
        self.x = x
        return linear(x, self.params["w"], self.params["b"])

    def backward(self, dy):
        x = self._need_forward("x")
        self.grads["w"] = linear_wgrad(dy, x)
        self.grads["b"] = linear_bgrad(dy)
        return linear_dgrad(dy, self.params["w"])

    def __repr__(self):
        n_out, n_in = self.params["w"].shape
        return f"Linear({n_in}, {n_out})"


class MaxPool2d(Layer):
    """Max pooling layer (no parameters); ties send the gradient to the first maximum in row-major order."""

    def __init__(self, kernel_size, stride=None):
        super().__init__()
        self.kernel_size = pair(kernel_size, "kernel_size", 1)
        self.stride = self.kernel_size if stride is None else pair(stride, "stride", 1)
        self.x = None

    def forward(self, x):
        self.x = x
        self.y = max_pool2d(x, self.kernel_size, self.stride)   # kept: the backward compares x with it
        return self.y

    def backward(self, dy):
        return max_pool2d_backward(dy, self._need_forward("x"), self.kernel_size, self.stride, y=self.y)

    def __repr__(self):
        return f"MaxPool2d(kernel_size={self.kernel_size}, stride={self.stride})"


class AvgPool2d(Layer):
    """Average pooling layer (no parameters)."""

    def __init__(self, kernel_size, stride=None):
        super().__init__()
        self.kernel_size = pair(kernel_size, "kernel_size", 1)
        self.stride = self.kernel_size if stride is None else pair(stride, "stride", 1)
        self.x_shape = None

    def forward(self, x):
        self.x_shape = np.shape(x)
        return avg_pool2d(x, self.kernel_size, self.stride)

    def backward(self, dy):
        return avg_pool2d_backward(dy, self._need_forward("x_shape"), self.kernel_size, self.stride)

    def __repr__(self):
        return f"AvgPool2d(kernel_size={self.kernel_size}, stride={self.stride})"


class Flatten(Layer):
    """Flatten (N, C, H, W) -> (N, C*H*W); backward reshapes back."""

    def __init__(self):
        super().__init__()
        self.x_shape = None

    def forward(self, x):
        self.x_shape = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, dy):
        return dy.reshape(self._need_forward("x_shape"))


class _Activation(Layer):
    f = staticmethod(lambda z: z)
    f_prime = staticmethod(lambda z: 1)

    def __init__(self):
        super().__init__()
        self.z = None

    def forward(self, z):
        self.z = z
        return self.f(z)

    def backward(self, dy):
        return dy * self.f_prime(self._need_forward("z"))


class ReLU(_Activation):
    """``a = max(0, z)``; backward ``dz = da * (z > 0)``."""

    f = staticmethod(act.relu)
    f_prime = staticmethod(act.relu_prime)


class Sigmoid(_Activation):
    """``a = sigma(z)``; backward ``dz = da * sigma(z) (1 - sigma(z))``."""

    f = staticmethod(act.sigmoid)
    f_prime = staticmethod(act.sigmoid_prime)


class Tanh(_Activation):
    """``a = tanh(z)``; backward ``dz = da * (1 - tanh(z)**2)``."""

    f = staticmethod(act.tanh)
    f_prime = staticmethod(act.tanh_prime)


class Sequential(Layer):
    """Layers applied in order; ``backward`` runs them in reverse (output to input)."""

    def __init__(self, *layers):
        super().__init__()
        for i, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                raise TypeError(f"layers[{i}] must be a bplib Layer, got {type(layer).__name__}")
        self.layers = list(layers)

    def forward(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, dy):
        for layer in reversed(self.layers):
            dy = layer.backward(dy)
        return dy

    def named_parameters(self):
        """List of ``("<index>.<name>", param, grad)`` for every parameter of every layer."""
        return [(f"{i}.{k}", layer.params[k], layer.grads[k])
                for i, layer in enumerate(self.layers) for k in layer.params]

    def parameters(self):
        """List of ``(layer, name)`` pairs, the handles an optimiser updates."""
        return [(layer, k) for layer in self.layers for k in layer.params]

    def __getitem__(self, i):
        return self.layers[i]

    def __len__(self):
        return len(self.layers)

    def __repr__(self):
        inner = "\n".join(f"  ({i}): {layer!r}" for i, layer in enumerate(self.layers))
        return f"Sequential(\n{inner}\n)"
