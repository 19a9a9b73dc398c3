"""Every public function and class of bplib: type hints, a docstring, and the chapter that derives it."""
import importlib
import inspect
import json
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
# bplib's own modules (data and the figure modules of the chapters have their owners and their own tests)
MODULES = ["activations", "conv", "gradcheck", "layers", "linear", "losses", "matrix", "optim", "plot", "pool",
           "printing", "reference", "symbolic", "train", "transposed"]
CHAPTER = re.compile(r"book/[\w/]+\.(ipynb|md)")


def _public():
    for name in MODULES:
        module = importlib.import_module(f"bplib.{name}")
        for attr in module.__all__:
            obj = getattr(module, attr)
            if inspect.isfunction(obj) or inspect.isclass(obj):
                yield f"{name}.{attr}", module, obj


PUBLIC = list(_public())


@pytest.mark.parametrize("qualname, module, obj", PUBLIC, ids=[p[0] for p in PUBLIC])
def test_type_hints_docstring_and_chapter(qualname, module, obj):
    function = obj.__init__ if inspect.isclass(obj) else obj
    if function is not object.__init__:
        signature = inspect.signature(function)
        missing = [p for p in signature.parameters if p not in ("self", "cls")
                   and signature.parameters[p].annotation is inspect.Parameter.empty]
        assert not missing, f"{qualname}: parameters without a type hint: {missing}"
        assert signature.return_annotation is not inspect.Signature.empty, f"{qualname}: no return type hint"
    doc = inspect.getdoc(obj) or ""
    assert doc, f"{qualname} has no docstring"
    paths = [m.group(0) for m in CHAPTER.finditer(doc)]
    assert paths, f"{qualname}: its docstring names no chapter (book/...)"
    for path in paths:
        assert (ROOT / path).exists(), f"{qualname}: {path} does not exist"
    # A function's docstring names a chapter that uses it (not one that stopped using it). Classes
    # may name the chapter of their math only: Layer and History are never built by name, and
    # BookLatexPrinter is used through bplib.printing.latex. conv2d_wgrad_from_columns is the
    # layers' helper (Conv2d reuses the forward's im2col columns), outside the top-level API.
    if inspect.isfunction(obj) and qualname != "conv.conv2d_wgrad_from_columns":
        name = qualname.split(".")[-1]
        users = [path for path in paths if re.search(rf"\b{name}\b", chapter_text(ROOT / path))]
        assert users, f"{qualname}: none of the chapters its docstring names ({paths}) uses it"


def chapter_text(path):
    """A chapter's text: a Markdown page, or a notebook's cells (code and Markdown)."""
    if path.suffix == ".ipynb":
        return "\n".join("".join(cell["source"]) for cell in json.loads(path.read_text(encoding="utf-8"))["cells"])
    return path.read_text(encoding="utf-8")
