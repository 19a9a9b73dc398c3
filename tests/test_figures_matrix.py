"""bplib.figures_matrix: which kernel entry sits where in T, and the grids drawn from it."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import bplib  # noqa: E402
from bplib.figures_matrix import draw_column_maps, draw_kernel_matrix, kernel_colors, kernel_entry_index  # noqa: E402
from bplib.symbolic import symbol_matrix  # noqa: E402


def test_index_of_source_001s_matrix():
    """Row z11 of T for the 3x3 input and the 2x2 kernel reads w11 w12 0 w21 w22 0 0 0 0."""
    w = symbol_matrix("w", 2, 2)
    index = kernel_entry_index(bplib.conv_matrix(w, (3, 3)), w)
    assert index.tolist()[0] == [0, 1, -1, 2, 3, -1, -1, -1, -1]
    assert index.tolist()[3] == [-1, -1, -1, -1, 0, 1, -1, 2, 3]


def test_index_on_numbers_matches_the_window_rule():
    """On a numeric kernel with distinct entries, entry (uv, ij) is w[i - u*S, j - v*S] inside the window."""
    w = np.arange(1.0, 10.0).reshape(3, 3)
    T = bplib.conv_matrix(w, (7, 7), stride=2)
    index = kernel_entry_index(T, w)
    for (r, c), n in np.ndenumerate(index):
        (u, v), (i, j) = divmod(r, 3), divmod(c, 7)
        p, q = i - 2 * u, j - 2 * v
        assert n == (p * 3 + q if 0 <= p < 3 and 0 <= q < 3 else -1)


def test_index_rejects_ambiguous_kernels_and_foreign_entries():
    with pytest.raises(ValueError, match="distinct and non-zero"):
        kernel_entry_index(np.zeros((2, 2)), np.array([[1.0, 1.0], [2.0, 3.0]]))
    with pytest.raises(ValueError, match="distinct and non-zero"):
        kernel_entry_index(np.zeros((2, 2)), np.array([[0.0, 1.0], [2.0, 3.0]]))
    with pytest.raises(ValueError, match=r"m\[0, 1\] = 7"):
        kernel_entry_index(np.array([[1.0, 7.0]]), np.array([[1.0, 2.0]]))
    with pytest.raises(ValueError, match="2-D"):
        kernel_entry_index(np.zeros(3), np.ones((2, 2)))


def test_kernel_colors_are_distinct():
    assert len(set(kernel_colors(9))) == 9
    assert len(set(kernel_colors(16))) == 16
    with pytest.raises(ValueError):
        kernel_colors(0)
    with pytest.raises(ValueError):
        kernel_colors(21)


def test_draw_kernel_matrix_labels_every_non_zero_once():
    w = symbol_matrix("w", 2, 2)
    T = bplib.conv_matrix(w, (3, 3))
    fig, ax = plt.subplots()
    draw_kernel_matrix(ax, T, w, row_labels=list("abcd"), col_labels=list("123456789"), blocks=(2, 3))
    texts = [t.get_text() for t in ax.texts]
    assert sorted(texts) == sorted(["$w_{11}$", "$w_{12}$", "$w_{21}$", "$w_{22}$"] * 4)
    assert [t.get_text() for t in ax.get_yticklabels()] == list("abcd")
    assert len(ax.lines) == 1 + 2            # one row break, two column breaks
    plt.close(fig)


def test_draw_kernel_matrix_rejects_wrong_label_counts():
    w = symbol_matrix("w", 2, 2)
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="row_labels must have 4"):
        draw_kernel_matrix(ax, bplib.conv_matrix(w, (3, 3)), w, row_labels=["a"])
    plt.close(fig)


def test_draw_column_maps_one_stamp_per_column():
    w = symbol_matrix("w", 2, 2)
    Tt = bplib.conv_matrix(w, (5, 5), stride=2).T            # (25, 4)
    fig, axes = plt.subplots(2, 3)
    draw_column_maps(axes, Tt, w, (5, 5), titles=list("abcd"))
    for ax in axes.flat[:4]:
        assert sorted(t.get_text() for t in ax.texts) == ["$w_{11}$", "$w_{12}$", "$w_{21}$", "$w_{22}$"]
    assert not axes.flat[4].axison and not axes.flat[5].axison
    with pytest.raises(ValueError, match="cells"):
        draw_column_maps(axes, Tt, w, (4, 4))
    with pytest.raises(ValueError, match="axes"):
        draw_column_maps(axes.flat[:2], Tt, w, (5, 5))
    plt.close(fig)
