"""Every bad input raises ValueError or TypeError naming the parameter, before any computation."""
import numpy as np
import pytest

import bplib

X = np.zeros((2, 3, 5, 5))
W = np.zeros((4, 3, 3, 3))
DZ = np.zeros((2, 4, 3, 3))          # conv2d(X, W) output shape
P = np.zeros((2, 3, 4, 4))
DZP = np.zeros((2, 3, 2, 2))         # max_pool2d(P, 2) output shape

# (id, call, exception type, text the message must contain)
CASES = [
    # conv2d
    ("conv x not an array", lambda: bplib.conv2d("x", W), TypeError, "x"),
    ("conv x 3-D", lambda: bplib.conv2d(np.zeros((3, 5, 5)), W), ValueError, "x must have 4 dimensions"),
    ("conv w 2-D", lambda: bplib.conv2d(X, np.zeros((3, 3))), ValueError, "w must have 4 dimensions"),
    ("conv x of strings", lambda: bplib.conv2d(np.full((1, 3, 5, 5), "a"), W), TypeError, "x must hold numbers"),
    ("conv channel mismatch", lambda: bplib.conv2d(X, np.zeros((4, 2, 3, 3))), ValueError, "channel"),
    ("conv bias length", lambda: bplib.conv2d(X, W, np.zeros(3)), ValueError, "b must have shape"),
    ("conv kernel larger than input", lambda: bplib.conv2d(X, np.zeros((1, 3, 6, 6))), ValueError, "kernel larger"),
    ("conv dilated kernel too large", lambda: bplib.conv2d(X, W, dilation=3), ValueError, "dilation"),
    ("conv stride 0", lambda: bplib.conv2d(X, W, stride=0), ValueError, "stride"),
    ("conv dilation 0", lambda: bplib.conv2d(X, W, dilation=0), ValueError, "dilation"),
    ("conv negative padding", lambda: bplib.conv2d(X, W, padding=-1), ValueError, "padding"),
    ("conv float stride", lambda: bplib.conv2d(X, W, stride=1.5), TypeError, "stride"),
    ("conv bool padding", lambda: bplib.conv2d(X, W, padding=True), TypeError, "padding"),
    ("conv stride triple", lambda: bplib.conv2d(X, W, stride=(1, 1, 1)), ValueError, "stride"),
    ("conv stride pair bad entry", lambda: bplib.conv2d(X, W, stride=(1, 0)), ValueError, "stride[1]"),
    # conv backward
    ("dgrad dz wrong shape", lambda: bplib.conv2d_dgrad(np.zeros((2, 4, 4, 4)), W, X.shape), ValueError, "dz"),
    ("dgrad dz 3-D", lambda: bplib.conv2d_dgrad(np.zeros((4, 3, 3)), W, X.shape), ValueError, "dz"),
    ("dgrad x_shape not 4 ints", lambda: bplib.conv2d_dgrad(DZ, W, (5, 5)), ValueError, "x_shape"),
    ("dgrad x_shape float", lambda: bplib.conv2d_dgrad(DZ, W, (2, 3, 5.0, 5)), TypeError, "x_shape"),
    ("dgrad channel mismatch", lambda: bplib.conv2d_dgrad(DZ, W, (2, 2, 5, 5)), ValueError, "channel"),
    ("wgrad dz wrong shape", lambda: bplib.conv2d_wgrad(np.zeros((2, 4, 2, 2)), X, W.shape), ValueError, "dz"),
    ("wgrad w_shape not 4 ints", lambda: bplib.conv2d_wgrad(DZ, X, (4, 3, 3)), ValueError, "w_shape"),
    ("wgrad negative padding", lambda: bplib.conv2d_wgrad(DZ, X, W.shape, padding=-2), ValueError, "padding"),
    ("bgrad dz 2-D", lambda: bplib.conv2d_bgrad(np.zeros((2, 4))), ValueError, "dz"),
    ("rot180 of a vector", lambda: bplib.rot180(np.zeros(3)), ValueError, "w"),
    # pooling
    ("max pool x 3-D", lambda: bplib.max_pool2d(np.zeros((3, 4, 4)), 2), ValueError, "x"),
    ("max pool kernel too large", lambda: bplib.max_pool2d(P, 5), ValueError, "kernel_size"),
    ("max pool kernel 0", lambda: bplib.max_pool2d(P, 0), ValueError, "kernel_size"),
    ("max pool stride 0", lambda: bplib.max_pool2d(P, 2, 0), ValueError, "stride"),
    ("max pool float kernel", lambda: bplib.max_pool2d(P, 2.0), TypeError, "kernel_size"),
    ("max pool on symbols", lambda: bplib.max_pool2d(P.astype(object), 2), TypeError, "max_pool2d"),
    ("max pool backward dz shape", lambda: bplib.max_pool2d_backward(np.zeros((2, 3, 3, 3)), P, 2), ValueError, "dz"),
    ("max pool backward z shape", lambda: bplib.max_pool2d_backward(DZP, P, 2, z=np.zeros((2, 3, 3, 3))), ValueError,
     "z must be the forward output"),
    ("avg pool backward dz shape", lambda: bplib.avg_pool2d_backward(np.zeros((2, 3, 3, 3)), P.shape, 2),
     ValueError, "dz"),
    ("avg pool backward x_shape", lambda: bplib.avg_pool2d_backward(DZP, (4, 4), 2), ValueError, "x_shape"),
    # linear
    ("linear x 1-D", lambda: bplib.linear(np.zeros(3), np.zeros((2, 3))), ValueError, "x must have 2 dimensions"),
    ("linear feature mismatch", lambda: bplib.linear(np.zeros((4, 3)), np.zeros((2, 5))), ValueError, "features"),
    ("linear bias length", lambda: bplib.linear(np.zeros((4, 3)), np.zeros((2, 3)), np.zeros(3)), ValueError, "b"),
    ("linear dgrad dz columns", lambda: bplib.linear_dgrad(np.zeros((4, 3)), np.zeros((2, 3))), ValueError, "dz"),
    ("linear wgrad batch mismatch", lambda: bplib.linear_wgrad(np.zeros((4, 2)), np.zeros((5, 3))), ValueError, "dz"),
    # activations
    ("sigmoid of strings", lambda: bplib.sigmoid(np.array(["a"])), TypeError, "z"),
    ("softmax bad axis", lambda: bplib.softmax(np.zeros((2, 3)), axis=2), ValueError, "axis"),
    # losses
    ("half_squared_error shapes", lambda: bplib.half_squared_error(np.zeros(3), np.zeros(4)), ValueError, "a and t"),
    ("half_squared_error_grad shapes", lambda: bplib.half_squared_error_grad(np.zeros((2, 3)), np.zeros((3, 2))),
     ValueError, "a and t"),
    ("cross-entropy label too large", lambda: bplib.softmax_cross_entropy(np.zeros((2, 3)), np.array([0, 3])),
     ValueError, "labels"),
    ("cross-entropy negative label", lambda: bplib.softmax_cross_entropy(np.zeros((2, 3)), np.array([-1, 0])),
     ValueError, "labels"),
    ("cross-entropy float labels", lambda: bplib.softmax_cross_entropy(np.zeros((2, 3)), np.array([0.0, 1.0])),
     TypeError, "labels"),
    ("cross-entropy label count", lambda: bplib.softmax_cross_entropy_grad(np.zeros((2, 3)), np.array([0])),
     ValueError, "labels"),
    ("cross-entropy z 1-D", lambda: bplib.softmax_cross_entropy(np.zeros(3), np.array([0])), ValueError, "z"),
    ("one_hot out of range", lambda: bplib.one_hot(np.array([0, 5]), 3), ValueError, "labels"),
    # layers, training, gradient check
    ("Conv2d zero channels", lambda: bplib.Conv2d(0, 4, 3), ValueError, "in_channels"),
    ("Linear float size", lambda: bplib.Linear(3.5, 2), TypeError, "in_features"),
    ("Sequential non-layer", lambda: bplib.Sequential(bplib.ReLU(), "relu"), TypeError, "layers[1]"),
    ("numerical_gradient int x", lambda: bplib.numerical_gradient(lambda v: 0.0, np.zeros(3, dtype=int)),
     TypeError, "x"),
    ("numerical_gradient eps 0", lambda: bplib.numerical_gradient(lambda v: 0.0, np.zeros(3), eps=0), ValueError,
     "eps"),
    ("numerical_gradient order 3", lambda: bplib.numerical_gradient(lambda v: 0.0, np.zeros(3), order=3),
     ValueError, "order"),
    ("relative_error shapes", lambda: bplib.relative_error(np.zeros(2), np.zeros(3)), ValueError, "a and b"),
]


@pytest.mark.parametrize("call, exc, text", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_raises_clear_error(call, exc, text):
    with pytest.raises(exc) as info:
        call()
    assert type(info.value) is exc
    assert text in str(info.value), f"message {str(info.value)!r} does not name {text!r}"
