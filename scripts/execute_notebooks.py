"""Re-run notebooks top to bottom and store their outputs, as nbval will compare them.

Usage: python scripts/execute_notebooks.py [NOTEBOOK ...]   (default: every notebook under book/)

Run it through `make execute`, which sets BPLIB_PROGRESS=0 and PYTHONHASHSEED=0
so the stored outputs are the deterministic ones `make test` reproduces.
Re-executing a notebook gives a byte-identical file: no execution timestamps
(nbclient's `iopub.*` / `shell.execute_reply` cell metadata) are stored.
"""
import pathlib
import sys
import time

import nbformat
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parent.parent


def strip_volatile(nb):
    """Remove the per-cell execution timestamps nbclient records (cell.metadata.execution)."""
    for cell in nb.cells:
        cell.get("metadata", {}).pop("execution", None)
    return nb


def main(paths):
    notebooks = [pathlib.Path(p) for p in paths] or sorted(
        p for p in (ROOT / "book").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
    )
    for path in notebooks:
        start = time.perf_counter()
        nb = nbformat.read(path, as_version=4)
        NotebookClient(nb, timeout=600, kernel_name="python3", record_timing=False,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        nbformat.write(strip_volatile(nb), path)
        print(f"{path.relative_to(ROOT) if path.is_absolute() else path}: {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
