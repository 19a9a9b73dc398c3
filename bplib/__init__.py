"""bplib: backpropagation for fully connected and convolutional networks, derived and computed.

The functional core (pure functions on NumPy arrays, NCHW layout, kernels
``(K, C, kh, kw)``, as in PyTorch) works on numbers and, for the convolution,
linear and average-pooling functions, on arrays of SymPy expressions. Names
follow book/notation.md: ``x``/``a`` inputs, ``z`` outputs, ``t`` targets,
``w``, ``b``, and the gradients ``dz`` (δ), ``dx``, ``dw``, ``db``.
"""
from . import reference
from .activations import relu, relu_prime, sigmoid, sigmoid_prime, softmax, tanh, tanh_prime
from .conv import conv2d, conv2d_bgrad, conv2d_dgrad, conv2d_output_shape, conv2d_wgrad, rot180
from .gradcheck import check_model_gradients, gradcheck, numerical_gradient, relative_error
from .layers import AvgPool2d, Conv2d, Flatten, Layer, Linear, MaxPool2d, ReLU, Sequential, Sigmoid, Tanh
from .linear import linear, linear_bgrad, linear_dgrad, linear_wgrad
from .losses import (half_squared_error, half_squared_error_grad, one_hot, softmax_cross_entropy,
                     softmax_cross_entropy_grad)
from .matrix import conv_matrix
from .optim import SGD
from .pool import avg_pool2d, avg_pool2d_backward, max_pool2d, max_pool2d_backward, pool2d_output_shape
from .train import History, evaluate, fit, predict

__version__ = "0.1.0"

__all__ = [
    "conv2d", "conv2d_dgrad", "conv2d_wgrad", "conv2d_bgrad", "conv2d_output_shape", "rot180", "conv_matrix",
    "max_pool2d", "max_pool2d_backward", "avg_pool2d", "avg_pool2d_backward", "pool2d_output_shape",
    "linear", "linear_dgrad", "linear_wgrad", "linear_bgrad",
    "sigmoid", "sigmoid_prime", "relu", "relu_prime", "tanh", "tanh_prime", "softmax",
    "half_squared_error", "half_squared_error_grad", "softmax_cross_entropy", "softmax_cross_entropy_grad", "one_hot",
    "Layer", "Conv2d", "Linear", "MaxPool2d", "AvgPool2d", "Flatten", "ReLU", "Sigmoid", "Tanh", "Sequential",
    "SGD", "fit", "evaluate", "predict", "History",
    "gradcheck", "numerical_gradient", "relative_error", "check_model_gradients",
    "reference",
]
