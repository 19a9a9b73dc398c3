"""Show the repository, issue, edit and launch buttons only when the book has a real repository.

The buttons of the book theme all point into a source repository. A button that leads nowhere
is a broken link, so they are off unless one setting names the repository:

    BOOK_REPOSITORY_URL=https://github.com/<owner>/<repo> make book

turns on the repository, issues, edit-this-page and launch (Binder, Colab) buttons, all built
from that URL. Without it the rendered book links only to its own pages.
"""
import os

ENV = "BOOK_REPOSITORY_URL"


def _configure(app, config):
    url = os.environ.get(ENV, "").strip().rstrip("/")
    options = config.html_theme_options
    for key in ("repository_url", "use_repository_button", "use_issues_button",
                "use_edit_page_button", "launch_buttons"):
        options.pop(key, None)
    if not url:
        return
    if not url.startswith("https://"):
        raise ValueError(f"{ENV} must be an https:// URL of the book's repository, got {url!r}")
    options.update(
        repository_url=url,
        use_repository_button=True,
        use_issues_button=True,
        use_edit_page_button=True,
        launch_buttons={
            "notebook_interface": "jupyterlab",
            "binderhub_url": "https://mybinder.org",
            "colab_url": "https://colab.research.google.com",
        },
    )


def setup(app):
    app.connect("config-inited", _configure)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
