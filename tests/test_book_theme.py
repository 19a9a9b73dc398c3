"""The theme's repository, issue, edit and launch buttons appear only when a repository is named."""
import importlib.util
import pathlib
from types import SimpleNamespace

import pytest

spec = importlib.util.spec_from_file_location(
    "book_buttons", pathlib.Path(__file__).resolve().parent.parent / "book" / "_ext" / "book_buttons.py")
book_buttons = importlib.util.module_from_spec(spec)
spec.loader.exec_module(book_buttons)

KEYS = {"repository_url", "use_repository_button", "use_issues_button", "use_edit_page_button",
        "launch_buttons"}


def configured(monkeypatch, url, options=None):
    if url is None:
        monkeypatch.delenv(book_buttons.ENV, raising=False)
    else:
        monkeypatch.setenv(book_buttons.ENV, url)
    config = SimpleNamespace(html_theme_options=dict(options or {}))
    book_buttons._configure(None, config)
    return config.html_theme_options


def test_no_repository_no_buttons(monkeypatch):
    stale = {"repository_url": "https://github.com/nowhere/nothing", "use_issues_button": True,
             "path_to_docs": ""}
    options = configured(monkeypatch, None, stale)
    assert not KEYS & set(options)
    assert options == {"path_to_docs": ""}


def test_repository_turns_every_button_on(monkeypatch):
    options = configured(monkeypatch, "https://github.com/owner/book/")
    assert options["repository_url"] == "https://github.com/owner/book"
    assert all(options[k] for k in ("use_repository_button", "use_issues_button", "use_edit_page_button"))
    assert options["launch_buttons"]["binderhub_url"] == "https://mybinder.org"


def test_repository_must_be_https(monkeypatch):
    with pytest.raises(ValueError, match="BOOK_REPOSITORY_URL"):
        configured(monkeypatch, "github.com/owner/book")
