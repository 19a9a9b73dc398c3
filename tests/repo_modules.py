"""The repository's scripts and Sphinx extensions, loaded by path for the tests.

They are files (scripts/, book/_ext/, book/_latex/), not a package: ``load("scripts/i18n.py")``
runs the file as a module and returns it, so a test calls the very code the build calls.
"""
import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def load(relative: str) -> ModuleType:
    """The module of the file ``relative`` (a path from the repository's root)."""
    path = ROOT / relative
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
