"""bplib.figures_networks: the network diagram shows exactly the numbers it is given, readably."""
import itertools

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import Circle  # noqa: E402
from matplotlib.transforms import Bbox  # noqa: E402

from bplib.figures_networks import GRADIENT_COLOUR, bias_node_name, draw_network, network_edges  # noqa: E402

LAYERS = [["i1", "i2"], ["h1", "h2"], ["o1", "o2"]]


def _texts(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def test_network_edges_fully_connected_in_layer_order():
    assert network_edges([["x1", "x2"], ["h1", "h2", "h3"], ["out"]]) == [
        ("x1", "h1"), ("x2", "h1"), ("x1", "h2"), ("x2", "h2"), ("x1", "h3"), ("x2", "h3"),
        ("h1", "out"), ("h2", "out"), ("h3", "out")]


def test_labels_are_the_values_passed_in():
    values = {"i1": 0.05, "i2": 0.1, "h1": "a = 0.5933", "o2": 0.7729284}
    edges = network_edges(LAYERS)
    edge_labels = {e: (f"w{k} = 0.{k}", -0.001 * k) for k, e in enumerate(edges, 1)}
    bias_labels = {"h1": ("b1 = 0.35", 0.0088), "o1": "b2 = 0.60"}
    fig, ax = plt.subplots()
    out = draw_network(LAYERS, values, edge_labels, bias_labels=bias_labels, notes={"o1": "t = 0.01"},
                       ax=ax, fmt="{:.3g}")
    assert out is fig
    texts = _texts(fig)
    expected = ["0.05", "0.1", "a = 0.5933", "0.773", "+1", "+1", "t = 0.01", "b1 = 0.35", "0.0088", "b2 = 0.60",
                *[f"w{k} = 0.{k}" for k in range(1, 9)], *[f"{-0.001 * k:.3g}" for k in range(1, 9)],
                *["i1", "i2", "h1", "h2", "o1", "o2"]]
    assert sorted(texts) == sorted(expected)
    # the bottom line of a pair is the gradient, in its own colour
    grad = [t for t in ax.texts if t.get_text() == f"{-0.001:.3g}"]
    assert len(grad) == 1 and matplotlib.colors.same_color(grad[0].get_color(), GRADIENT_COLOUR)
    plt.close(fig)


def test_one_bias_node_per_layer_with_biases():
    fig = draw_network(LAYERS, bias_labels={"h1": "b", "h2": "b", "o2": "c"})
    assert _texts(fig).count("+1") == 2
    # highlighting a bias edge is allowed once that edge is drawn
    draw_network(LAYERS, bias_labels={"h1": "b"}, highlight=[(bias_node_name(1), "h1")])
    plt.close("all")


def test_labels_do_not_overlap_in_the_2_2_2_diagram():
    """Mazur's network, two-line labels on all 12 edges: no label overlaps another label or a node."""
    edges = network_edges(LAYERS)
    fig, ax = plt.subplots(figsize=(8.6, 6.8))
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.94)
    draw_network(LAYERS, {n: "z 0.3775\na 0.5933" for n in ["h1", "h2", "o1", "o2"]},
                 {e: ("w5 = 0.40", "0.0004386") for e in edges},
                 bias_labels={n: ("b1 = 0.35", "-0.03810") for n in ["h1", "h2", "o1", "o2"]},
                 notes={"o1": "t = 0.01", "o2": "t = 0.99"}, ax=ax)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    labels = {}                                  # the two lines of a label share their anchor point
    for t in ax.texts:
        if t.get_bbox_patch() is not None:
            box = t.get_bbox_patch().get_window_extent(renderer)
            key = tuple(t.get_position())
            labels[key] = box if key not in labels else Bbox.union([labels[key], box])
    assert len(labels) == len(edges) + 4
    nodes = [p.get_window_extent(renderer) for p in ax.patches if isinstance(p, Circle)]
    assert len(nodes) == 6
    for b1, b2 in itertools.combinations(labels.values(), 2):
        assert not b1.overlaps(b2), (b1, b2)
    for b1, b2 in itertools.product(labels.values(), nodes):
        assert not b1.overlaps(b2), (b1, b2)
    inside = ax.get_window_extent(renderer)
    assert all(inside.contains(*b.min) and inside.contains(*b.max) for b in labels.values())
    plt.close(fig)


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(layers=[["x"]]), ValueError, "at least 2 layers"),
    (dict(layers="abc"), TypeError, "layers must be a sequence"),
    (dict(layers=[["x", "y"], ["x"]]), ValueError, "appears twice"),
    (dict(layers=[["x"], []]), ValueError, r"layers\[1\] must be a non-empty"),
    (dict(layers=LAYERS, values={"zz": 1.0}), ValueError, "not in layers"),
    (dict(layers=LAYERS, edge_labels={("i1", "o1"): "w"}), ValueError, "not edges between consecutive"),
    (dict(layers=LAYERS, bias_labels={"i1": "b"}), ValueError, "bias_labels must name units"),
    (dict(layers=LAYERS, values={"h1": [1, 2]}), TypeError, "must be a str or a real number"),
    (dict(layers=LAYERS, edge_labels={("i1", "h1"): ("a", "b", "c")}), ValueError, "pair"),
    (dict(layers=LAYERS, highlight=[("i1", "o2")]), ValueError, "highlight has edges"),
    (dict(layers=LAYERS, label_at=1.5), ValueError, "label_at"),
    (dict(layers=LAYERS, label_at={("i1", "h1"): 0.0}), ValueError, "label_at"),
    (dict(layers=LAYERS, label_at={("i1", "o1"): 0.5}), ValueError, "label_at has keys"),
])
def test_bad_input_names_the_parameter(kwargs, error, match):
    with pytest.raises(error, match=match):
        draw_network(**kwargs)
    plt.close("all")


def test_label_position_per_edge():
    """label_at as a mapping moves one edge's label along its edge and leaves the others."""
    fig, ax = plt.subplots()
    draw_network(LAYERS, edge_labels={("i1", "h1"): "A", ("i2", "h2"): "B"},
                 label_at={("i1", "h1"): 0.5, "default": 0.25}, ax=ax, dx=4.0)
    where = {t.get_text(): t.get_position() for t in ax.texts}
    assert where["A"][0] == pytest.approx(2.0) and where["B"][0] == pytest.approx(1.0)
    plt.close(fig)
