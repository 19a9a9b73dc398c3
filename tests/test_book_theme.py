"""Theme settings: buttons only with a repository, a valid colour mode, no Thebe scripts."""
from types import SimpleNamespace

import pytest
from repo_modules import load

book_theme = load("book/_ext/book_theme.py")

KEYS = {"repository_url", "use_repository_button", "use_issues_button", "use_edit_page_button",
        "launch_buttons"}


def configured(monkeypatch, url, options=None):
    if url is None:
        monkeypatch.delenv(book_theme.ENV, raising=False)
    else:
        monkeypatch.setenv(book_theme.ENV, url)
    config = SimpleNamespace(html_theme_options=dict(options or {}), html_context={})
    book_theme._configure(None, config)
    return config.html_theme_options


def test_no_repository_no_buttons(monkeypatch):
    stale = {"repository_url": "https://github.com/nowhere/nothing", "use_issues_button": True,
             "path_to_docs": ""}
    options = configured(monkeypatch, None, stale)
    assert not KEYS & set(options)
    options.pop("secondary_sidebar_items")
    assert options == {"path_to_docs": ""}


def test_repository_turns_every_button_on(monkeypatch):
    options = configured(monkeypatch, "https://github.com/owner/book/")
    assert options["repository_url"] == "https://github.com/owner/book"
    assert all(options[k] for k in ("use_repository_button", "use_issues_button", "use_edit_page_button"))
    assert options["launch_buttons"]["binderhub_url"] == "https://mybinder.org"


def test_repository_must_be_https(monkeypatch):
    with pytest.raises(ValueError, match="BOOK_REPOSITORY_URL"):
        configured(monkeypatch, "github.com/owner/book")


def test_default_colour_mode(monkeypatch):
    monkeypatch.delenv(book_theme.ENV, raising=False)
    config = SimpleNamespace(html_theme_options={}, html_context={})
    book_theme._configure(None, config)
    assert config.html_context["default_mode"] == "auto"


def test_thebe_dropped():
    from sphinx.builders.html._assets import _CascadingStyleSheet, _JavaScript

    context = {"script_files": [_JavaScript("_static/sphinx-thebe.js"),
                                _JavaScript(None, body='const THEBE_JS_URL = "x"'),
                                _JavaScript("_static/doctools.js")],
               "css_files": [_CascadingStyleSheet("_static/sphinx-thebe.css"),
                             _CascadingStyleSheet("_static/pygments.css")],
               "body": '<p>text</p>\n    <script type="text/x-thebe-config">\n {a: 1}\n</script>'}
    book_theme._drop_thebe(None, "p", "page.html", context, None)
    assert [js.filename for js in context["script_files"]] == ["_static/doctools.js"]
    assert [css.filename for css in context["css_files"]] == ["_static/pygments.css"]
    assert context["body"] == "<p>text</p>"


def test_wide_pages_have_no_contents_sidebar(monkeypatch):
    from pydata_sphinx_theme.utils import _get_matching_sidebar_items

    items = configured(monkeypatch, None)["secondary_sidebar_items"]
    assert _get_matching_sidebar_items("book/notation", items) == []
    assert _get_matching_sidebar_items("book/part3/performance", items) == []
    assert _get_matching_sidebar_items("book/part1/losses", items) == ["page-toc.html"]
    # a configuration that sets its own sidebar items keeps them
    assert configured(monkeypatch, None, {"secondary_sidebar_items": ["x.html"]})["secondary_sidebar_items"] == [
        "x.html"]
