"""Figures the chapters share, drawn with matplotlib.

Each function draws on the axes it is given (or makes its own) and returns
them, so a chapter composes figures and ends its cell with ``plt.show()``.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["show_matrix", "image_grid"]


def show_matrix(ax: Axes, m: ArrayLike, title: str | None = None, fmt: str = "{:.2g}", cmap: str = "Blues",
                labels: Sequence[Sequence[str]] | None = None, fontsize: float = 10) -> Axes:
    """Draw a 2-D array as a grid of coloured cells with each value written in its cell; returns ``ax``.

    The figures of book/part2/conv_as_matrix.ipynb, book/part2/pooling.ipynb and book/part2/small_cnn.ipynb.

    Parameters
    ----------
    ax : matplotlib Axes
    m : array of shape (H, W), numbers (colours follow the values) or objects (no colour)
    title : str, optional
    fmt : str
        Format of numeric cell labels.
    labels : array of shape (H, W) of str, optional
        Text written in each cell instead of the formatted value (e.g. LaTeX ``"$a_{11}$"``).
    """
    m = np.asarray(m)
    if m.ndim != 2:
        raise ValueError(f"m must be 2-D (H, W), got shape {m.shape}")
    numeric = m.dtype != object
    ax.imshow(m.astype(float) if numeric else np.zeros(m.shape), cmap=cmap if numeric else "Greys",
              vmin=None if numeric else 0, vmax=None if numeric else 1)
    for (i, j), v in np.ndenumerate(m):
        text = labels[i][j] if labels is not None else (fmt.format(v) if numeric else f"${v}$")
        ax.text(j, i, text, ha="center", va="center", fontsize=fontsize)
    ax.set_xticks(np.arange(m.shape[1] + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(m.shape[0] + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="black", linewidth=0.8)
    ax.tick_params(which="both", length=0, labelbottom=False, labelleft=False)
    if title:
        ax.set_title(title)
    return ax


def image_grid(images: ArrayLike, ncols: int = 8, titles: Sequence[str] | None = None, cmap: str = "gray",
               size: float = 1.2, vmin: float | None = None, vmax: float | None = None,
               fig: Figure | None = None) -> tuple[Figure, np.ndarray]:
    """Show a stack of 2-D images (n, H, W) in a grid; returns ``(fig, axes)``, axes of shape (rows, ncols).

    The digits and learned filters of book/part1/gradient_descent.ipynb and book/part3/training_digits.ipynb.

    Parameters
    ----------
    images : array of shape (n, H, W)
    ncols : int
    titles : list of str, optional
    size : float
        Inches per image.
    vmin, vmax : float, optional
        Shared colour limits; each image is scaled on its own by default.
    """
    import matplotlib.pyplot as plt

    images = np.asarray(images)
    if images.ndim != 3:
        raise ValueError(f"images must have shape (n, H, W), got {images.shape}")
    n = len(images)
    ncols = max(1, min(ncols, n))
    nrows = -(-n // ncols)
    if fig is None:
        fig = plt.figure(figsize=(size * ncols, size * nrows + (0.3 if titles else 0)))
    axes = fig.subplots(nrows, ncols, squeeze=False)
    for k, ax in enumerate(axes.flat):
        ax.axis("off")
        if k < n:
            ax.imshow(images[k], cmap=cmap, vmin=vmin, vmax=vmax)
            if titles is not None:
                ax.set_title(titles[k], fontsize=8)
    return fig, axes
