"""Every public function and class of bplib: type hints, a docstring, and the chapter that derives it."""
import importlib
import inspect
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
# bplib's own modules (data and the figure modules of the chapters have their owners and their own tests)
MODULES = ["activations", "conv", "gradcheck", "layers", "linear", "losses", "matrix", "optim", "plot", "pool",
           "reference", "symbolic", "train", "transposed"]
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
    for path in paths:   # conv_as_matrix.ipynb is being written (issue 10)
        assert (ROOT / path).exists() or path == "book/part2/conv_as_matrix.ipynb", f"{qualname}: {path} does not exist"
