# Backprop, Derived: every command creates and fills the virtual environment
# .venv from requirements.txt when it is missing or older than requirements.txt.
#
#   make book    build the rendered book into _build/html (warnings are errors)
#   make test    run every test: pytest on tests/ and nbval on every notebook in book/
#   make bench   time bplib's convolution and pooling (and PyTorch's, if installed)
#   make lab     open the chapters in JupyterLab
#   make execute re-run every notebook in place (after changing a chapter or bplib)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# Deterministic notebook outputs: no progress bars, fixed hash seed, one BLAS thread order.
export BPLIB_PROGRESS := 0
export PYTHONHASHSEED := 0

.PHONY: book test bench lab execute clean venv

venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build . --warningiserror --nitpick --keep-going

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py

execute: $(STAMP)
	$(BIN)/python scripts/execute_notebooks.py $(NOTEBOOKS)

lab: $(STAMP)
	$(BIN)/jupyter lab book/

clean:
	rm -rf _build .pytest_cache .hypothesis
