"""Figures of Part II: labelled grids, and gradient routes from one grid to another.

A *route* is a pair ``((u, v), (i, j))``: entry ``(u, v)`` of one array (for
example the δ of a pooling layer's output) contributes to entry ``(i, j)`` of
another (the δ of its input). ``routes`` reads the routes off the function
that computes the second array from the first (bplib's own backward pass),
so a figure drawn with ``draw_routes`` shows what the code computes, not what
the text says it computes. Drawn by book/part2/conv_wgrad.ipynb (the weight
gradient as δ sliding over the input; tied and untied bias) and
book/part2/pooling.ipynb (max- and average-pooling routes).
"""
from __future__ import annotations

import numpy as np

__all__ = ["routes", "draw_grid", "draw_routes"]

#: Colours of the routes, one per source entry (cycled when there are more).
ROUTE_COLORS = ("tab:red", "tab:blue", "tab:green", "tab:purple", "tab:orange", "tab:brown")


def routes(backward, shape):
    """The routes of a linear map: every ``((u, v), (i, j))`` with ``backward(e_uv)[i, j] != 0``.

    Parameters
    ----------
    backward : callable
        Takes a float array of shape ``shape`` and returns a 2-D array (the
        map's output, e.g. a pooling layer's input gradient for that δ).
    shape : (H, W)
        Shape of the map's input.

    Returns
    -------
    list of ``((u, v), (i, j))`` pairs of int, sorted by source entry in
    row-major order, then by destination entry: one unit δ at a time is sent
    through ``backward`` and every non-zero it produces is a route.
    """
    shape = tuple(int(n) for n in shape)
    if len(shape) != 2 or min(shape) < 1:
        raise ValueError(f"shape must be (H, W) with H, W >= 1, got {shape}")
    found = []
    for u, v in np.ndindex(*shape):
        unit = np.zeros(shape)
        unit[u, v] = 1.0
        out = np.asarray(backward(unit))
        if out.ndim != 2:
            raise ValueError(f"backward must return a 2-D array, got shape {out.shape}")
        found += [((u, v), (int(i), int(j))) for i, j in zip(*np.nonzero(out))]
    return found


def draw_grid(ax, labels, origin=(0.0, 0.0), colors=None, notes=None, fontsize=12, notesize=8):
    """Draw an ``H x W`` grid of unit cells with a text label in each; cell ``(i, j)`` is centred at
    ``(x0 + j, y0 + i)`` (rows go down: call ``ax.invert_yaxis()`` or set the limits top-down).

    Parameters
    ----------
    ax : matplotlib Axes
    labels : H lists of W str (matplotlib mathtext allowed), or an (H, W) array of str
    origin : (x0, y0)
        Centre of cell (0, 0) in data coordinates.
    colors : H lists of W colours (None for white), optional
        Fill of each cell.
    notes : H lists of W str, optional
        A second, small grey text in the top-left corner of each cell (e.g. the forward input).
    fontsize, notesize : float

    Returns
    -------
    dict mapping ``(i, j)`` to the centre ``(x, y)`` of cell ``(i, j)``.
    """
    from matplotlib.patches import Rectangle

    labels = np.asarray(labels, dtype=object)
    if labels.ndim != 2:
        raise ValueError(f"labels must be 2-D (H, W), got shape {labels.shape}")
    H, W = labels.shape
    for name, arr in (("colors", colors), ("notes", notes)):
        if arr is not None and (len(arr) != H or any(len(row) != W for row in arr)):
            raise ValueError(f"{name} must be {H} rows of {W} entries, like labels; "
                             f"got rows of lengths {[len(row) for row in arr]}")
    x0, y0 = origin
    centres = {}
    for i, j in np.ndindex(H, W):
        x, y = x0 + j, y0 + i
        centres[(i, j)] = (x, y)
        face = colors[i][j] if colors is not None and colors[i][j] is not None else "white"
        ax.add_patch(Rectangle((x - 0.5, y - 0.5), 1, 1, facecolor=face, edgecolor="black", linewidth=1))
        ax.text(x, y, str(labels[i, j]), ha="center", va="center", fontsize=fontsize, zorder=7,
                bbox=dict(facecolor=face, edgecolor="none", pad=1.0))   # arrows pass behind labels
        if notes is not None:
            ax.text(x - 0.44, y - 0.42, str(notes[i][j]), ha="left", va="top", fontsize=notesize,
                    color="0.35", zorder=7)
    return centres


def draw_routes(ax, src_labels, dst_labels, route_list, gap=2.0, src_title=None, dst_title=None,
                caption=None, dst_colors=None, dst_groups=None, dst_notes=None, fontsize=12,
                titlesize=13):
    """The entries of a source array as a column on the left, a destination grid on the right, and
    one arrow per route from a source entry to the destination cell it reaches.

    The source entries are stacked in row-major order, so that every arrow can
    leave its entry's right edge without crossing another entry. Each source
    entry gets a colour (``ROUTE_COLORS``, row-major); its cell and its arrows
    are drawn in that colour, and so is every destination cell reached by
    that entry alone (a cell reached by several entries is grey, one reached
    by none white), unless ``dst_colors`` says otherwise.

    Parameters
    ----------
    ax : matplotlib Axes
        Its frame is switched off and its limits set to hold the drawing.
    src_labels : 2-D array (or nested lists) of str, shape (h, w)
    dst_labels : 2-D array (or nested lists) of str, shape (H, W)
    route_list : list of ``((u, v), (i, j))``
        As returned by ``routes``; every index must lie inside its array.
    gap : float
        Empty space between the column and the grid, in cells.
    src_title, dst_title : str, optional
        Written above the column and above the grid.
    caption : str, optional
        Written below the drawing.
    dst_colors : H lists of W colours, optional
        Fill of the destination cells.
    dst_groups : H lists of W source indices ``(u, v)`` (or None), optional
        The source entry each destination cell belongs to (e.g. the pooling
        window that covers it). Each group is framed, and its cells that no
        route reaches are tinted faintly in the group's colour.
    dst_notes : H lists of W str, optional
        Small grey text in the corner of each destination cell.

    Returns
    -------
    list of the arrows drawn (matplotlib ``Annotation``), one per route.
    """
    from matplotlib.colors import to_rgba

    src = np.asarray(src_labels, dtype=object)
    dst = np.asarray(dst_labels, dtype=object)
    if src.ndim != 2 or dst.ndim != 2:
        raise ValueError(f"src_labels and dst_labels must be 2-D, got shapes {src.shape} and {dst.shape}")
    for (u, v), (i, j) in route_list:
        if not (0 <= u < src.shape[0] and 0 <= v < src.shape[1] and 0 <= i < dst.shape[0]
                and 0 <= j < dst.shape[1]):
            raise ValueError(f"route {((u, v), (i, j))} lies outside the arrays {src.shape} and {dst.shape}")
    entries = list(np.ndindex(*src.shape))
    colour = {e: ROUTE_COLORS[n % len(ROUTE_COLORS)] for n, e in enumerate(entries)}

    def light(c, alpha=0.3):
        r, g, b, _ = to_rgba(c)
        return (1 - alpha + alpha * r, 1 - alpha + alpha * g, 1 - alpha + alpha * b)

    # the column and the grid share one horizontal centre line
    n_src, (H, W) = len(entries), dst.shape
    src_y0 = (H - n_src) / 2
    dst_x0 = 1 + gap
    column = np.array([[src[e]] for e in entries], dtype=object)
    column_c = draw_grid(ax, column, origin=(0, src_y0), colors=[[light(colour[e])] for e in entries],
                         fontsize=fontsize)
    src_c = {e: column_c[(n, 0)] for n, e in enumerate(entries)}
    if dst_colors is None:
        reached = {}
        for e, cell in route_list:
            reached.setdefault(cell, set()).add(e)
        dst_colors = [[None] * W for _ in range(H)]
        if dst_groups is not None:
            for i, j in np.ndindex(H, W):
                if dst_groups[i][j] is not None:
                    dst_colors[i][j] = light(colour[tuple(dst_groups[i][j])], 0.08)
        for (i, j), es in reached.items():
            dst_colors[i][j] = light(colour[next(iter(es))]) if len(es) == 1 else "0.88"
    dst_c = draw_grid(ax, dst, origin=(dst_x0, 0), colors=dst_colors, notes=dst_notes, fontsize=fontsize)
    if dst_groups is not None:
        from matplotlib.patches import Rectangle

        cells = {}
        for i, j in np.ndindex(H, W):
            if dst_groups[i][j] is not None:
                cells.setdefault(tuple(dst_groups[i][j]), []).append((i, j))
        for members in cells.values():
            rows, cols = [i for i, _ in members], [j for _, j in members]
            ax.add_patch(Rectangle((dst_x0 + min(cols) - 0.5, min(rows) - 0.5), max(cols) - min(cols) + 1,
                                   max(rows) - min(rows) + 1, fill=False, edgecolor="black", linewidth=2.5,
                                   zorder=5))
    arrows = []
    for e, cell in route_list:
        (xs, ys), (xd, yd) = src_c[e], dst_c[cell]
        arrows.append(ax.annotate(
            "", xy=(xd - 0.3, yd), xytext=(xs + 0.5, ys),
            arrowprops=dict(arrowstyle="-|>", color=colour[e], lw=1.5, alpha=0.85,
                            shrinkA=0, shrinkB=0, connectionstyle="arc3,rad=-0.1"),
            zorder=6))
    top, bottom = min(src_y0, 0) - 0.5, max(src_y0 + n_src, H) - 0.5
    if src_title:
        ax.text(0, src_y0 - 0.65, src_title, ha="center", va="bottom", fontsize=titlesize)
    if dst_title:
        ax.text(dst_x0 + (W - 1) / 2, -0.65, dst_title, ha="center", va="bottom", fontsize=titlesize)
    if src_title or dst_title:
        top = min(src_y0, 0) - 1.4
    if caption:
        ax.text((dst_x0 + W - 1) / 2, bottom + 0.25, caption, ha="center", va="top", fontsize=titlesize)
        bottom += 1.1
    ax.set_xlim(-0.6, dst_x0 + W - 0.4)
    ax.set_ylim(bottom + 0.1, top)
    ax.set_aspect("equal")
    ax.axis("off")
    return arrows
