"""The training-loop figure: every box drawn with its text, no two boxes overlap, bad input rejected."""
import itertools

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from bplib.figures_training import TRAINING_STEPS, draw_training_loop  # noqa: E402

# Texts as long as the chapters', at the chapters' figure sizes: book/training_process.ipynb
# (a fully connected layer) and book/part2/conv_training_step.ipynb (a convolution layer).
FC = {
    "fprop": "1  fprop\n$z = Wx + b$\n$z$ = (−0.1, 0.1)",
    "loss": "2  loss\n$L = \\frac{1}{2}\\|z - t\\|^2$\n$L$ = 0.61",
    "delta": "3  $\\delta$ at the output\n$\\delta = z - t$\n= (−1.1, 0.1)",
    "wgrad": "4  wgrad\n$\\partial L/\\partial W = \\delta x^T$ =\n(−0.55, −1.1)\n(0.05, 0.1)\n"
             "$\\partial L/\\partial b = \\delta$",
    "dgrad": "4  dgrad\n$\\partial L/\\partial x = W^T\\delta$\n= (−0.18, 0.34)",
    "update": "5  update, $\\eta$ = 0.1\n$W \\leftarrow W - \\eta\\,\\partial L/\\partial W$\n"
              "$b \\leftarrow b - \\eta\\,\\partial L/\\partial b$\nthen $L$ = 0.3664",
}
CONV = {
    "fprop": "1  fprop\n$z_k = \\sum_c a_c \\star W_{k,c} + b_k$\n3 maps of 2×2",
    "loss": "2  loss\n$L = \\frac{1}{2}\\sum_k \\|z_k - t_k\\|^2$\n$L$ = 10.8053",
    "delta": "3  $\\delta_k = z_k - t_k$\n$\\delta_1$ =\n(−1.23, 0.45)\n(2.34, −0.56)",
    "wgrad": "4  wgrad\n$\\partial L/\\partial W_{k,c} = a_c \\star \\delta_k$\n"
             "$\\partial L/\\partial W_{1,1}$ =\n(−1.23, 0.45)\n(2.34, −0.56)",
    "dgrad": "4  dgrad\n$\\partial L/\\partial a_c = \\sum_k W_{k,c} * \\delta_k$\n(full size: 3×3)",
    "update": "5  update, $\\eta$ = 0.05\n$W \\leftarrow W - \\eta\\,\\partial L/\\partial W$\n"
              "$b_k \\leftarrow b_k - \\eta\\,\\sum_{u,v}\\delta_{k,uv}$\nthen $L$ = 4.1326",
}
BOXES = FC
CASES = {"fully connected": (FC, (8.6, 5.2), 12), "convolution": (CONV, (9.6, 6.4), 13)}


@pytest.fixture
def ax():
    fig, ax = plt.subplots(figsize=(8.6, 5.2))
    yield ax
    plt.close(fig)


def test_every_box_is_drawn_with_its_text(ax):
    drawn = draw_training_loop(ax, BOXES, data="input\n$x$ = (0.5, 1)", target="target $t$ = (1, 0)",
                               inference="prediction $z$")
    assert set(drawn) == set(TRAINING_STEPS) | {"data", "target", "inference"}
    for name, text in BOXES.items():
        assert drawn[name].get_text() == text
    assert not ax.axison


@pytest.mark.parametrize("case", CASES)
def test_boxes_do_not_overlap(case):
    boxes, figsize, fontsize = CASES[case]
    fig, ax = plt.subplots(figsize=figsize)
    drawn = draw_training_loop(ax, boxes, data="input\n$x$ = (0.5, 1)", target="target $t$ = (1, 0)",
                               inference="prediction $z$", fontsize=fontsize)
    fig.subplots_adjust(left=0, right=1, bottom=0, top=1)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    extents = {name: t.get_bbox_patch().get_window_extent(renderer) for name, t in drawn.items()}
    for (n1, e1), (n2, e2) in itertools.combinations(extents.items(), 2):
        assert not e1.overlaps(e2), (n1, n2)
    for name, e in extents.items():      # every box inside the figure
        assert fig.bbox.x0 <= e.x0 and e.x1 <= fig.bbox.x1 and fig.bbox.y0 <= e.y0 and e.y1 <= fig.bbox.y1, name
    plt.close(fig)


def test_inference_box_is_optional(ax):
    drawn = draw_training_loop(ax, BOXES, data="x", target="t")
    assert "inference" not in drawn


@pytest.mark.parametrize("boxes, error", [
    ({k: v for k, v in BOXES.items() if k != "dgrad"}, ValueError),   # a step missing
    (dict(BOXES, bias="db"), ValueError),                              # an unknown box
    (dict(BOXES, loss=0.61), TypeError),                               # a number, not a text
    (list(BOXES.values()), TypeError),                                 # not a dict
])
def test_bad_boxes_are_rejected(ax, boxes, error):
    with pytest.raises(error):
        draw_training_loop(ax, boxes, data="x", target="t")
