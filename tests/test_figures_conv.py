"""bplib.figures_conv: what the convolution figures read off the arrays, and the grids they draw."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import sympy as sp  # noqa: E402

import bplib  # noqa: E402
from bplib.figures_conv import (WINDOW_COLORS, coefficient_map, draw_kernel_stack, draw_map,  # noqa: E402
                                draw_receptive_fields, draw_scatter, draw_terms, draw_window,
                                draw_zero_stuffed, stamps, zero_stuffing_kinds)
from bplib.symbolic import equal, nchw, symbol_matrix  # noqa: E402
from bplib.transposed import dgrad_padding, dilate  # noqa: E402


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def _source_001():
    """The 3x3 input, 2x2 kernel example of source 001, section 3.2."""
    a, w = symbol_matrix("a", 3, 3), symbol_matrix("w", 2, 2)
    z = bplib.conv2d(nchw(a), nchw(w), b=np.array([sp.Symbol("b")]))[0, 0]
    return a, w, z


def test_coefficients_of_z11_are_the_kernel_at_the_top_left():
    a, w, z = _source_001()
    coef = coefficient_map(z[0, 0], a)
    assert equal(coef, np.pad(w, ((0, 1), (0, 1))))
    # padding zeros in the grid get coefficient 0
    assert equal(coefficient_map(z[1, 1], np.pad(a, 1))[1:4, 1:4], np.pad(w, ((1, 0), (1, 0))))


def test_coefficients_need_a_linear_expression():
    a, _, _ = _source_001()
    with pytest.raises(ValueError, match="linear"):
        coefficient_map(a[0, 0] * a[0, 1], a)
    with pytest.raises(ValueError, match="2-D"):
        coefficient_map(a[0, 0], a.ravel())


def test_stamps_add_up_to_conv2d_dgrad_on_symbols():
    _, w, _ = _source_001()
    delta = symbol_matrix("delta", 2, 2)
    s = stamps(delta, w, (3, 3))
    assert s.shape == (2, 2, 3, 3)
    # the stamp of delta_uv is delta_uv * w on the window of z_uv, zero elsewhere
    for u, v in np.ndindex(2, 2):
        assert equal(s[u, v], np.pad(delta[u, v] * w, ((u, 1 - u), (v, 1 - v))))
    assert equal(s.sum(axis=(0, 1)), bplib.conv2d_dgrad(nchw(delta), nchw(w), (1, 1, 3, 3))[0, 0])


@pytest.mark.parametrize("stride, padding, dilation", [(1, 0, 1), (2, 0, 1), (2, 1, 2), (3, 2, 1)])
def test_stamps_add_up_to_conv2d_dgrad_on_numbers(stride, padding, dilation):
    rng = np.random.default_rng(0)
    w = rng.normal(size=(3, 3))
    shape = bplib.conv2d_output_shape((1, 1, 8, 7), (1, 1, 3, 3), stride, padding, dilation)
    delta = rng.normal(size=shape[2:])
    s = stamps(delta, w, (8, 7), stride=stride, padding=padding, dilation=dilation)
    expected = bplib.conv2d_dgrad(nchw(delta), nchw(w), (1, 1, 8, 7), stride, padding, dilation)[0, 0]
    np.testing.assert_allclose(s.sum(axis=(0, 1)), expected, rtol=1e-12, atol=1e-12)


def test_stamps_reject_bad_shapes():
    with pytest.raises(ValueError, match="2-D"):
        stamps(np.ones((1, 1, 2, 2)), np.ones((2, 2)), (3, 3))
    with pytest.raises(ValueError, match="x_shape"):
        stamps(np.ones((2, 2)), np.ones((2, 2)), (1, 3, 3))


@pytest.mark.parametrize("h, kh, stride, padding, dilation", [(5, 2, 2, 0, 1), (6, 2, 2, 1, 2), (7, 3, 2, 0, 1),
                                                               (6, 3, 1, 1, 1), (8, 3, 3, 0, 1)])
def test_zero_stuffing_kinds_match_dilate_and_dgrad_padding(h, kh, stride, padding, dilation):
    ho = bplib.conv2d_output_shape((1, 1, h, h), (1, 1, kh, kh), stride, padding, dilation)[2]
    before, after = dgrad_padding(h, kh, stride, padding, dilation)
    kinds = zero_stuffing_kinds((ho, ho), stride, before, after)
    stuffed = np.pad(dilate(np.ones((ho, ho)), stride), (before, after))
    assert kinds.shape == stuffed.shape
    assert ((kinds == 3) == (stuffed == 1)).all()
    r = after - before
    assert (kinds == 1).sum() == (kinds.shape[0] ** 2 - (kinds.shape[0] - r) ** 2)
    # the inserted zeros lie between the entries of delta: (S - 1) per gap, in rows and columns
    m = (ho - 1) * stride + 1
    assert (kinds == 2).sum() == m * m - ho * ho


def test_zero_stuffing_kinds_reject_bad_geometry():
    with pytest.raises(ValueError):
        zero_stuffing_kinds((2, 2), 2, 2, 1)
    with pytest.raises(ValueError):
        zero_stuffing_kinds((0, 2), 2, 0, 0)


def test_draw_zero_stuffed_refuses_a_different_delta_hat(ax):
    delta = symbol_matrix("delta", 2, 2)
    good = np.pad(dilate(delta, 2), (1, 2))
    kinds = draw_zero_stuffed(ax, good, (2, 2), 2, 1, 2, color_entries=True)
    assert (kinds == 3).sum() == 4
    bad = good.copy()
    bad[0, 0] = sp.Symbol("x")
    with pytest.raises(ValueError, match="not zero"):
        draw_zero_stuffed(ax, bad, (2, 2), 2, 1, 2)
    with pytest.raises(ValueError, match="shape"):
        draw_zero_stuffed(ax, good[:-1], (2, 2), 2, 1, 2)


def test_draw_terms_labels_the_window_with_the_kernel(ax):
    a, w, z = _source_001()
    coef = draw_terms(ax, a, z[1, 0], color="tab:green")
    assert equal(coef, np.pad(w, ((1, 0), (0, 1))))
    texts = [t.get_text() for t in ax.texts]
    assert len(texts) == 9
    assert "$a_{31}$\n$\\cdot\\,w_{21}$" in texts and "$a_{13}$" in texts


def test_draw_receptive_fields_counts_like_dgrad_of_ones(ax):
    """The number of outputs that use an input is conv2d_dgrad of all-ones δ and W (here with stride 2)."""
    a = symbol_matrix("a", 5, 5)
    w = symbol_matrix("w", 3, 3)
    z = bplib.conv2d(nchw(a), nchw(w), stride=2)[0, 0]
    counts = draw_receptive_fields(ax, a, z)
    ones = bplib.conv2d_dgrad(np.ones((1, 1) + z.shape), np.ones((1, 1, 3, 3)), (1, 1, 5, 5), stride=2)[0, 0]
    assert (counts == ones).all()
    assert len([p for p in ax.patches if not p.get_fill()]) == z.size      # one frame per output


def test_draw_window_returns_the_correlation_at_its_place(ax):
    _, w, _ = _source_001()
    delta = symbol_matrix("delta", 2, 2)
    padded, rotated = np.pad(delta, 1), bplib.rot180(w)
    full = bplib.conv2d(nchw(padded), nchw(rotated))[0, 0]
    for i, j in np.ndindex(3, 3):
        assert equal(draw_window(ax, padded, rotated, i, j), full[i, j])
    with pytest.raises(ValueError, match="does not fit"):
        draw_window(ax, padded, rotated, 3, 0)
    with pytest.raises(ValueError, match="does not fit"):
        draw_window(ax, padded, rotated, 0, 0, dilation=4)


def test_draw_scatter_returns_the_input_gradient(ax):
    rng = np.random.default_rng(1)
    w, delta = rng.integers(-3, 4, size=(3, 3)), rng.integers(-3, 4, size=(2, 2))
    total = draw_scatter(ax, stamps(delta, w, (5, 5), stride=2), fmt="{:g}")
    expected = bplib.conv2d_dgrad(nchw(delta), nchw(w), (1, 1, 5, 5), stride=2)[0, 0]
    assert (total.astype(int) == expected).all()
    with pytest.raises(ValueError, match="stamp_stack"):
        draw_scatter(ax, np.zeros((3, 3)))


def test_draw_kernel_stack_titles_and_checks():
    w = np.arange(24).reshape(2, 3, 2, 2)
    fig, axes = plt.subplots(2, 3)
    highlight = np.zeros((2, 3), dtype=bool)
    highlight[:, 1] = True
    draw_kernel_stack(axes, w, highlight=highlight)
    assert axes[1, 2].get_title() == "$W_{2,3}$"
    assert sorted(t.get_text() for t in axes[0, 1].texts) == ["4", "5", "6", "7"]
    with pytest.raises(ValueError, match="axes must have shape"):
        draw_kernel_stack(axes[:1], w)
    with pytest.raises(ValueError, match="highlight"):
        draw_kernel_stack(axes, w, highlight=np.ones((3, 2), dtype=bool))
    plt.close(fig)


def test_draw_map_writes_sums_one_term_per_line(ax):
    delta, w = symbol_matrix("delta", 1, 2), symbol_matrix("w", 1, 2)
    draw_map(ax, np.array([[delta[0, 0] * w[0, 1] + delta[0, 1] * w[0, 0], 0]], dtype=object))
    label = ax.texts[0].get_text()
    assert label.count("\n") == 1 and label.count("+") == 1
    assert ax.texts[1].get_text() == "0"
    with pytest.raises(ValueError, match="cell_colors"):
        draw_map(ax, np.zeros((2, 2)), cell_colors=[[WINDOW_COLORS[0]] * 2])
