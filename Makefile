# Backprop, Derived: every command creates and fills the virtual environment
# .venv from requirements.txt when it is missing or older than requirements.txt.
#
#   make book    build the rendered book into _build/html, and its Chinese edition into _build/html/zh (warnings are errors)
#   make gettext update the Chinese edition's catalogs locales/zh_CN/LC_MESSAGES/*.po after changing English text
#   make pdf     build the book as a PDF, _build/latex/book.pdf (needs the TeX packages named in README.md)
#   make pdf-zh  the Chinese edition as a PDF, _build/i18n/zh_CN/_build/latex/book.pdf
#   make test    lint (ruff, rules in pyproject.toml), then every test: pytest on tests/ and nbval on every notebook in book/,
#                on two processes (pytest-xdist; a file's tests stay together, so a notebook runs in one kernel)
#   make bench   time bplib's convolution and pooling (and PyTorch's, if installed)
#   make lab     open the chapters in JupyterLab
#   make execute re-run every notebook in place (after changing a chapter or bplib)
#   make explorer-data  regenerate the gradient explorer's formulas (after changing bplib's convolution)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# Deterministic notebook outputs: no progress bars, fixed hash seed, one BLAS thread order.
export BPLIB_PROGRESS := 0
export PYTHONHASHSEED := 0

.PHONY: book gettext pdf pdf-zh test bench lab execute explorer-data clean venv

venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build . --warningiserror --nitpick --keep-going
	$(BIN)/python scripts/i18n.py build zh_CN

# The English messages of every page (Sphinx's gettext builder on the built doctree, no execution)
# into _build/i18n/pot, merged into the Chinese catalogs by sphinx-intl: new messages are added
# untranslated, changed ones marked fuzzy with the old translation, removed ones kept as obsolete
# (#~). Then translate, and run make test (scripts/i18n.py, README "The Chinese edition").
gettext: $(STAMP)
	$(BIN)/python scripts/i18n.py gettext

# XeLaTeX through latexmk (configured in _config.yml and book/_latex/). A LaTeX error fails it
# and removes the partial PDF; a missing glyph or an undefined reference in the log fails it too
# (book/_latex/check_log.py, which also lists boxes that stick out). Unwrapped log lines.
pdf: $(STAMP)
	rm -f _build/latex/book.pdf
	max_print_line=10000 $(BIN)/jupyter-book build . --builder pdflatex --warningiserror --nitpick --keep-going \
		|| { rm -f _build/latex/book.pdf; exit 1; }
	$(BIN)/python book/_latex/check_log.py _build/latex/book.log

pdf-zh: $(STAMP)
	max_print_line=10000 $(BIN)/python scripts/i18n.py pdf zh_CN
	$(BIN)/python book/_latex/check_log.py _build/i18n/zh_CN/_build/latex/book.log

test: $(STAMP)
	$(BIN)/ruff check bplib tests scripts benchmarks book/_ext book/_latex
	$(BIN)/python -m pytest -n 2 --dist loadfile

bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py

execute: $(STAMP)
	$(BIN)/python scripts/execute_notebooks.py $(NOTEBOOKS)

explorer-data: $(STAMP)
	$(BIN)/python scripts/explorer_data.py

lab: $(STAMP)
	$(BIN)/jupyter lab book/

clean:
	rm -rf _build .pytest_cache .hypothesis
