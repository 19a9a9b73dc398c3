"""bplib.figures_cnn: routes read off a backward pass, and the grids and arrows drawn from them."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import bplib  # noqa: E402
from bplib.figures_cnn import draw_grid, draw_routes, routes  # noqa: E402


def _nchw(m):
    return np.asarray(m, dtype=float)[None, None]


def test_routes_of_average_pooling_cover_each_window():
    found = routes(lambda d: bplib.avg_pool2d_backward(_nchw(d), (1, 1, 4, 4), 2)[0, 0], (2, 2))
    expected = sorted(((u, v), (2 * u + i, 2 * v + j)) for u in range(2) for v in range(2)
                      for i in range(2) for j in range(2))
    assert found == expected


def test_routes_of_max_pooling_go_to_the_argmax():
    x = np.random.default_rng(0).permutation(16).reshape(4, 4).astype(float)
    found = routes(lambda d: bplib.max_pool2d_backward(_nchw(d), _nchw(x), 2)[0, 0], (2, 2))
    expected = []
    for u in range(2):
        for v in range(2):
            i, j = np.unravel_index(np.argmax(x[2 * u:2 * u + 2, 2 * v:2 * v + 2]), (2, 2))
            expected.append(((u, v), (2 * u + int(i), 2 * v + int(j))))
    assert found == expected


def test_routes_rejects_a_bad_shape():
    with pytest.raises(ValueError, match="shape"):
        routes(lambda d: d, (2,))
    with pytest.raises(ValueError, match="2-D"):
        routes(lambda d: d.ravel(), (2, 2))


def test_draw_grid_places_one_label_per_cell():
    fig, ax = plt.subplots()
    centres = draw_grid(ax, [["a", "b", "c"], ["d", "e", "f"]], origin=(1.0, 2.0),
                        notes=[["1", "2", "3"], ["4", "5", "6"]])
    assert centres[(1, 2)] == (3.0, 3.0)
    texts = [t.get_text() for t in ax.texts]
    assert sorted(texts) == sorted(list("abcdef") + list("123456"))
    assert len(ax.patches) == 6
    plt.close(fig)


def test_draw_grid_rejects_mismatched_colors():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="colors"):
        draw_grid(ax, [["a", "b"]], colors=[["red"]])
    plt.close(fig)


def test_draw_routes_draws_one_arrow_per_route():
    fig, ax = plt.subplots()
    route_list = [((0, 0), (0, 0)), ((0, 0), (1, 1)), ((0, 1), (0, 1))]
    arrows = draw_routes(ax, [["x", "y"]], [["1", "2"], ["3", "4"]], route_list, src_title="src", dst_title="dst")
    assert len(arrows) == 3
    assert {"src", "dst"} <= {t.get_text() for t in ax.texts}
    plt.close(fig)


def test_draw_routes_rejects_a_route_outside_the_grids():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="outside"):
        draw_routes(ax, [["x"]], [["1"]], [((0, 0), (1, 0))])
    plt.close(fig)
