"""Diagrams of small fully connected networks, with numbers on the nodes and on the edges.

Drawn by book/part1/relu_network.ipynb (source 002's 2-2-1 ReLU network) and
book/part1/delta_rule.ipynb (Mazur's 2-2-2 sigmoid network). Each chapter
passes the values its cells computed (forward values for the nodes, weights and
gradients for the edges), so the picture is drawn from the same arrays as the
text and cannot disagree with it.

Layout: layer ``l`` is a column at ``x = l * dx``, input layer on the left;
the nodes of a layer are centred vertically, ``dy`` apart. A bias is drawn as
what it is, the weight of an extra input that is always 1 (source 004:
偏置项的输入值永远为1): a square "+1" node at the bottom of the previous
column, with one edge to every unit of the layer.
"""
from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence

__all__ = ["draw_network", "network_edges", "bias_node_name", "GRADIENT_COLOUR"]

#: Colour of the second line of a two-part label (the gradient), as in the chain-rule figure.
GRADIENT_COLOUR = "#c0392b"

_WEIGHT, _BIAS, _HIGHLIGHT = "0.35", "0.55", "#2471a3"
_FILL_INPUT, _FILL_UNIT, _FILL_BIAS = "#e8eef7", "white", "#f2f2f2"


def bias_node_name(layer):
    """Name of the "+1" node that feeds the biases of ``layer`` (an int >= 1): ``"+1→<layer>"``."""
    return f"+1→{layer}"


def network_edges(layers):
    """The weight edges of a fully connected network, as ``(source, target)`` name pairs.

    Parameters
    ----------
    layers : sequence of L sequences of str
        Node names, one sequence per layer, input layer first.

    Returns
    -------
    list of (str, str), length sum over l of n(l-1) * n(l)
        Every unit of layer l-1 to every unit of layer l, in layer order.
    """
    _check_layers(layers)
    return [(u, v) for prev, cur in zip(layers, layers[1:]) for v in cur for u in prev]


def _check_layers(layers):
    if isinstance(layers, (str, bytes)) or not isinstance(layers, Sequence):
        raise TypeError(f"layers must be a sequence of sequences of node names, got {type(layers).__name__}")
    if len(layers) < 2:
        raise ValueError(f"layers must have at least 2 layers (input and output), got {len(layers)}")
    seen = set()
    for l, layer in enumerate(layers):
        if isinstance(layer, (str, bytes)) or not isinstance(layer, Sequence) or len(layer) == 0:
            raise ValueError(f"layers[{l}] must be a non-empty sequence of node names, got {layer!r}")
        for name in layer:
            if not isinstance(name, str):
                raise TypeError(f"node names must be str, got {name!r} in layers[{l}]")
            if name in seen:
                raise ValueError(f"node name {name!r} appears twice in layers")
            seen.add(name)


def _text(value, fmt, what):
    if isinstance(value, str):
        return value
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return fmt.format(float(value))
    raise TypeError(f"{what} must be a str or a real number, got {type(value).__name__}")


def draw_network(layers, values=None, edge_labels=None, *, bias_labels=None, notes=None, highlight=(),
                 ax=None, title=None, fmt="{:.4g}", dx=6.5, dy=5.0, radius=1.15, label_at=0.38,
                 fontsize=12.5):
    """Draw a fully connected network as a diagram and return its figure.

    Nodes are circles with their name (bold) and, below it, their value; edges
    are arrows from every unit of one layer to every unit of the next, each
    with its label on a white box at the fraction ``label_at`` of the way from
    its source, so that the labels of neighbouring edges do not overlap.

    Parameters
    ----------
    layers : sequence of L sequences of str
        Node names, one sequence per layer, input layer first; layer l has
        n(l) nodes. Names must be unique.
    values : mapping str -> str or number, optional
        Text written inside a node, under its name (e.g. its forward value).
        Numbers are formatted with ``fmt``; strings may hold newlines.
    edge_labels : mapping (str, str) -> str, number or pair, optional
        Text on the weight edge from unit ``source`` of layer l-1 to unit
        ``target`` of layer l. A pair ``(top, bottom)`` is written as two
        lines, the bottom one in ``GRADIENT_COLOUR`` (e.g. the weight, then
        dL/dw). Every key must be an edge of :func:`network_edges`.
    bias_labels : mapping str -> str or number, optional
        For each unit of layers 1 .. L-1 given here, a bias edge is drawn to
        it from the "+1" node of its layer (drawn at the bottom of the
        previous column) and labelled with the text, or with a pair
        ``(top, bottom)`` as for ``edge_labels`` (e.g. b, then dL/db).
    notes : mapping str -> str, optional
        Text next to a node: right of output nodes, left of input nodes,
        above hidden nodes (e.g. the target of an output).
    highlight : iterable of (str, str)
        Edges (weight edges, or bias edges ``(bias_node_name(l), unit)``)
        drawn thick and blue, e.g. the paths of one chain-rule product.
    ax : matplotlib Axes, optional
        Drawn on with equal aspect and the frame off; a new figure is made
        when omitted.
    title : str, optional
    fmt : str
        Format of numeric values and labels.
    dx, dy : float
        Horizontal distance of the layers and vertical distance of the nodes,
        in data units; ``radius`` is a node's radius in the same units.
    label_at : float in (0, 1), or mapping (str, str) -> float
        Where along each edge its label sits, as a fraction of the way from
        its source; a mapping gives it per weight edge (its key ``"default"``,
        if present, for all other edges, else 0.38).
    fontsize : float

    Returns
    -------
    matplotlib Figure
        The figure of ``ax``; every label is one of its axes' ``texts``.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

    _check_layers(layers)
    values = {} if values is None else values
    edge_labels = {} if edge_labels is None else edge_labels
    bias_labels = {} if bias_labels is None else bias_labels
    notes = {} if notes is None else notes
    for name, arg in [("values", values), ("edge_labels", edge_labels), ("bias_labels", bias_labels),
                      ("notes", notes)]:
        if not isinstance(arg, Mapping):
            raise TypeError(f"{name} must be a mapping, got {type(arg).__name__}")
    if isinstance(label_at, Mapping):
        where = dict(label_at)
        label_at = where.pop("default", 0.38)
    else:
        where = {}
    for f in [label_at, *where.values()]:
        if not (isinstance(f, numbers.Real) and 0 < f < 1):
            raise ValueError(f"label_at must be in (0, 1) (or a mapping of such fractions), got {f!r}")

    pos = {}
    for l, layer in enumerate(layers):
        for i, name in enumerate(layer):
            pos[name] = (l * dx, ((len(layer) - 1) / 2 - i) * dy)
    layer_of = {name: l for l, layer in enumerate(layers) for name in layer}
    edges = network_edges(layers)
    edge_set = set(edges)

    unknown = [n for n in [*values, *notes] if n not in pos]
    if unknown:
        raise ValueError(f"values and notes name nodes that are not in layers: {unknown}")
    bad = [e for e in edge_labels if e not in edge_set]
    if bad:
        raise ValueError(f"edge_labels has keys that are not edges between consecutive layers: {bad}")
    bad = [e for e in where if e not in edge_set]
    if bad:
        raise ValueError(f"label_at has keys that are not edges between consecutive layers: {bad}")
    bad = [n for n in bias_labels if n not in pos or layer_of[n] == 0]
    if bad:
        raise ValueError(f"bias_labels must name units of layers 1 .. {len(layers) - 1}, got {bad}")

    # one "+1" node per layer that has a bias, under the previous column
    bias_edges = []
    for l in sorted({layer_of[n] for n in bias_labels}):
        b = bias_node_name(l)
        prev = layers[l - 1]
        pos[b] = ((l - 1) * dx, ((len(prev) - 1) / 2 - len(prev)) * dy)
        bias_edges += [(b, v) for v in layers[l] if v in bias_labels]
    highlight = set(map(tuple, highlight))
    bad = [e for e in highlight if e not in edge_set and e not in set(bias_edges)]
    if bad:
        raise ValueError(f"highlight has edges that are not drawn: {bad}")

    if ax is None:
        width = dx * (len(layers) - 1) + 2 * radius + (3.0 if notes else 1.0)
        fig, ax = plt.subplots(figsize=(min(12.0, 1.1 * width), 1.1 * (dy * (max(map(len, layers)) + 1) + 1)))
    fig = ax.figure

    box = dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.92)
    for u, v in [*edges, *bias_edges]:
        (x0, y0), (x1, y1) = pos[u], pos[v]
        length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
        ux, uy = (x1 - x0) / length, (y1 - y0) / length
        hot = (u, v) in highlight
        colour = _HIGHLIGHT if hot else (_BIAS if (u, v) in bias_edges else _WEIGHT)
        r0 = radius if u in layer_of else 0.6 * radius          # a "+1" square is smaller than a unit
        ax.add_patch(FancyArrowPatch((x0 + r0 * ux, y0 + r0 * uy), (x1 - radius * ux, y1 - radius * uy),
                                     arrowstyle="-|>", mutation_scale=14, lw=2.6 if hot else 1.2, color=colour,
                                     linestyle="--" if (u, v) in bias_edges and not hot else "-",
                                     shrinkA=0, shrinkB=0, zorder=1))
        label = edge_labels.get((u, v)) if (u, v) in edge_set else bias_labels.get(v)
        if label is not None:
            f = where.get((u, v), label_at)
            lx, ly = x0 + f * (x1 - x0), y0 + f * (y1 - y0)
            what = f"the label of edge {(u, v)}"
            if isinstance(label, tuple):
                if len(label) != 2:
                    raise ValueError(f"{what} must be a str, a number or a pair (top, bottom), got {label!r}")
                top, bottom = (_text(t, fmt, what) for t in label)
                ax.text(lx, ly, top, ha="center", va="bottom", fontsize=fontsize, bbox=box, zorder=4,
                        color=_HIGHLIGHT if hot else "black", fontweight="bold" if hot else "normal")
                ax.text(lx, ly, bottom, ha="center", va="top", fontsize=fontsize, bbox=box, zorder=4,
                        color=GRADIENT_COLOUR)
            else:
                ax.text(lx, ly, _text(label, fmt, what), ha="center", va="center", fontsize=fontsize,
                        color=_HIGHLIGHT if hot else "black", bbox=box, zorder=4)

    for name, (x, y) in pos.items():
        is_bias = name not in layer_of
        if is_bias:
            s = 0.55 * radius
            ax.add_patch(FancyBboxPatch((x - s, y - s), 2 * s, 2 * s, boxstyle="round,pad=0.02",
                                        fc=_FILL_BIAS, ec="0.3", lw=1.2, zorder=2))
            ax.text(x, y, "+1", ha="center", va="center", fontsize=fontsize, zorder=3)
            continue
        fill = _FILL_INPUT if layer_of[name] == 0 else _FILL_UNIT
        ax.add_patch(Circle((x, y), radius, fc=fill, ec="black", lw=1.5, zorder=2))
        if name in values:
            ax.text(x, y + 0.06 * radius, name, ha="center", va="bottom", fontsize=fontsize,
                    fontweight="bold", zorder=3)
            ax.text(x, y - 0.02 * radius, _text(values[name], fmt, f"the value of node {name!r}"),
                    ha="center", va="top", fontsize=fontsize, zorder=3)
        else:
            ax.text(x, y, name, ha="center", va="center", fontsize=fontsize, fontweight="bold", zorder=3)

    for name, note in notes.items():
        x, y = pos[name]
        l = layer_of[name]
        note = _text(note, fmt, f"the note of node {name!r}")
        if l == len(layers) - 1:
            ax.text(x + 1.25 * radius, y, note, ha="left", va="center", fontsize=fontsize)
        elif l == 0:
            ax.text(x - 1.25 * radius, y, note, ha="right", va="center", fontsize=fontsize)
        else:
            ax.text(x, y + 1.25 * radius, note, ha="center", va="bottom", fontsize=fontsize)

    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    has_in = any(layer_of[n] == 0 for n in notes)
    has_out = any(layer_of[n] == len(layers) - 1 for n in notes)
    has_mid = any(0 < layer_of[n] < len(layers) - 1 for n in notes)
    ax.set_xlim(min(xs) - radius - (0.4 * dx if has_in else 0.2),
                max(xs) + radius + (0.4 * dx if has_out else 0.2))
    ax.set_ylim(min(ys) - radius - 0.2, max(ys) + radius + (0.45 * dy if has_mid else 0.2))
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=fontsize + 1)
    return fig
