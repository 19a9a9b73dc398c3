"""Re-run notebooks top to bottom and store their outputs, as nbval will compare them.

Usage: python scripts/execute_notebooks.py [NOTEBOOK ...]   (default: every notebook under book/)

Run it through `make execute`, which sets BPLIB_PROGRESS=0 and PYTHONHASHSEED=0
so the stored outputs are the deterministic ones `make test` reproduces.
Re-executing a notebook gives a byte-identical file: no execution timestamps
(nbclient's `iopub.*` / `shell.execute_reply` cell metadata) are stored, and
consecutive outputs of one stream are merged (the kernel may flush one `print`
as one message or as two, depending on timing).
"""
import pathlib
import sys
import time

import nbformat
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parent.parent


def merge_streams(outputs):
    """Join consecutive stream outputs of the same stream (stdout, stderr) into one."""
    merged = []
    for out in outputs:
        prev = merged[-1] if merged else None
        if (out.get("output_type") == "stream" and prev is not None
                and prev.get("output_type") == "stream" and prev.get("name") == out.get("name")):
            prev["text"] = prev["text"] + out["text"]
        else:
            merged.append(out)
    return merged


def strip_volatile(nb):
    """Remove execution timestamps (cell.metadata.execution) and merge split stream outputs."""
    for cell in nb.cells:
        cell.get("metadata", {}).pop("execution", None)
        if cell.get("cell_type") == "code":
            cell["outputs"] = merge_streams(cell.get("outputs", []))
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
