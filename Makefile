# The book's commands. `make book` builds it, `make test` runs every test; each
# creates .venv from requirements-lock.txt first when it is missing or stale.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
JB     := $(BIN)/jupyter-book
PYTEST := $(BIN)/python -m pytest
NBVAL  := $(PYTEST) --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg \
          -p no:randomly -n 2 --dist loadfile
CHAPTERS := $(sort $(wildcard chapters/*.ipynb))

.PHONY: help venv book test unit nbval html outputs lab lock bench serve clean

help:
	@echo "make book     build the HTML book into _build/html (executes every chapter)"
	@echo "make test     every test: package, chapters (nbval), strict build, built HTML"
	@echo "make lab      open the chapters in JupyterLab"
	@echo "make outputs  re-run every chapter top to bottom and save its outputs"
	@echo "make lock     regenerate requirements-lock.txt from requirements.txt"
	@echo "make bench    run the benchmarks"

venv: $(STAMP)

$(STAMP): requirements-lock.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-lock.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

book: $(STAMP)
	rm -rf _build/html _build/.doctrees _build/jupyter_execute
	$(JB) build . --all -W -n --keep-going
	@echo "The book is at _build/html/index.html"

unit: $(STAMP)
	$(PYTEST) tests -n 2 --ignore=tests/built

nbval: $(STAMP)
	$(NBVAL) $(CHAPTERS)

html: $(STAMP)
	$(PYTEST) tests/built

test: unit nbval book html

outputs: $(STAMP)
	for nb in $(CHAPTERS); do $(BIN)/jupyter execute --inplace "$$nb" || exit 1; done

lab: $(STAMP)
	$(BIN)/jupyter lab chapters

lock:
	rm -rf .lockvenv && $(PYTHON) -m venv .lockvenv
	.lockvenv/bin/python -m pip install --quiet --upgrade pip
	.lockvenv/bin/python -m pip install --quiet -r requirements.txt
	( echo "# Exact versions of everything the book installs; regenerate with 'make lock'."; \
	  .lockvenv/bin/python -m pip freeze --exclude-editable ) > requirements-lock.txt
	rm -rf .lockvenv

bench: $(STAMP)
	for script in benchmarks/*.py; do $(BIN)/python "$$script" || exit 1; done

clean:
	rm -rf _build
