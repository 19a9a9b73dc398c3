"""The figure of one training step as a loop: fprop, loss, delta, wgrad and dgrad, update.

Drawn by book/training_process.ipynb (a fully connected layer) and
book/part2/conv_training_step.ipynb (a convolution layer), each with the
numbers of its own example written in the boxes, so the picture is computed
from the same arrays as the text.
"""
from __future__ import annotations

__all__ = ["TRAINING_STEPS", "draw_training_loop"]

#: The boxes of the loop, in the order of source 000's steps.
TRAINING_STEPS = ("fprop", "loss", "delta", "wgrad", "dgrad", "update")

# Box centres in axes coordinates: the training loop runs clockwise.
_TOP, _BOTTOM, _ABOVE = 0.60, 0.15, 0.92
_WHERE = {
    "data": (0.08, _TOP),
    "fprop": (0.33, _TOP),
    "loss": (0.61, _TOP),
    "delta": (0.88, _TOP),
    "update": (0.33, _BOTTOM),
    "wgrad": (0.61, _BOTTOM),
    "dgrad": (0.88, _BOTTOM),
    "target": (0.61, _ABOVE),
    "inference": (0.33, _ABOVE),
}
_FORWARD, _BACKWARD, _UPDATE, _INFERENCE = "#dbe9f6", "#fde2c8", "#e2f0d9", "#1b7f3b"


def draw_training_loop(ax, boxes, data, target, inference=None, fontsize=12):
    """Draw one training step as boxes joined by arrows, with the chapter's text in each box.

    Top row, left to right: the input ``data``, fprop, the loss (fed by the
    ``target`` box above it), delta at the output. From delta, wgrad (bottom
    row, middle) and dgrad (bottom row, right, "to the layer below"). wgrad
    feeds the update (bottom left), whose arrow back up to fprop closes the
    loop. With ``inference``, a green box above fprop shows the forward-only
    path: data, fprop, prediction, and nothing else.

    Parameters
    ----------
    ax : matplotlib Axes
        Drawn on in axes coordinates; its frame is switched off.
    boxes : dict
        Exactly the keys of ``TRAINING_STEPS``; each value is the text of
        that box (str, newlines and matplotlib mathtext allowed).
    data, target : str
        Text of the input box and of the target box.
    inference : str, optional
        Text of the prediction box (the forward-only path).
    fontsize : float

    Returns
    -------
    dict mapping each box name (the keys of ``boxes``, ``"data"``,
    ``"target"`` and, if drawn, ``"inference"``) to its matplotlib Text.
    """
    if not isinstance(boxes, dict):
        raise TypeError(f"boxes must be a dict with the keys {TRAINING_STEPS}, got {type(boxes).__name__}")
    missing = [k for k in TRAINING_STEPS if k not in boxes]
    extra = [k for k in boxes if k not in TRAINING_STEPS]
    if missing or extra:
        raise ValueError(f"boxes must have exactly the keys {TRAINING_STEPS}; missing {missing}, unexpected {extra}")
    for name, text in [*boxes.items(), ("data", data), ("target", target), ("inference", inference)]:
        if text is not None and not isinstance(text, str):
            raise TypeError(f"the text of box {name!r} must be a str, got {type(text).__name__}")

    colour = {"fprop": _FORWARD, "data": "white", "target": "white", "loss": _BACKWARD,
              "delta": _BACKWARD, "wgrad": _BACKWARD, "dgrad": _BACKWARD, "update": _UPDATE,
              "inference": "white"}
    texts = dict(boxes, data=data, target=target)
    if inference is not None:
        texts["inference"] = inference
    drawn = {}
    for name, text in texts.items():
        x, y = _WHERE[name]
        edge = _INFERENCE if name == "inference" else "black"
        drawn[name] = ax.text(x, y, text, ha="center", va="center", fontsize=fontsize,
                              transform=ax.transAxes, color=edge if name == "inference" else "black",
                              bbox=dict(boxstyle="round,pad=0.45", fc=colour[name], ec=edge, lw=1.3))

    def arrow(a, b, colour="black", style="-|>", ls="-", label=None, label_at=None):
        (x0, y0), (x1, y1) = _WHERE[a], _WHERE[b]
        ax.annotate("", xy=(x1, y1), xytext=(x0, y0), xycoords=ax.transAxes, textcoords=ax.transAxes,
                    arrowprops=dict(arrowstyle=style, color=colour, lw=1.6, ls=ls, mutation_scale=16,
                                    patchA=drawn[a].get_bbox_patch(), patchB=drawn[b].get_bbox_patch(),
                                    shrinkA=3, shrinkB=3))
        if label is not None:
            ax.text(*label_at, label, ha="center", va="center", fontsize=fontsize - 1, color=colour,
                    transform=ax.transAxes)

    arrow("data", "fprop")
    arrow("fprop", "loss")
    arrow("target", "loss")
    arrow("loss", "delta")
    arrow("delta", "wgrad")
    arrow("delta", "dgrad")
    arrow("wgrad", "update")
    arrow("update", "fprop", colour="#2e7d32", label="next step", label_at=(0.265, 0.38))
    if inference is not None:
        arrow("fprop", "inference", colour=_INFERENCE, label="inference: stop here",
              label_at=(0.19, 0.80))
    ax.text(_WHERE["dgrad"][0], 0.0, "to the layer below", ha="center", va="bottom",
            fontsize=fontsize - 1, transform=ax.transAxes, style="italic")
    ax.set_axis_off()
    return drawn
