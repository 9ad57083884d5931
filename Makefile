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

.PHONY: help venv book test unit nbval html browser live outputs lab lock bench serve pdf clean

help:
	@echo "make book     build the HTML book into _build/html (executes every chapter)"
	@echo "make test     every test: package, chapters (nbval), strict build, built HTML, browser"
	@echo "make serve    preview the built book at http://127.0.0.1:$(PORT)/"
	@echo "make lab      open the chapters in JupyterLab"
	@echo "make outputs  re-run every chapter top to bottom and save its outputs"
	@echo "make lock     regenerate requirements-lock.txt from requirements.txt"
	@echo "make live     the explorers served by Voila and driven in headless Chromium"
	@echo "make bench    every benchmark into benchmarks/results/report.md (BENCH=--book adds a clean build)"
	@echo "make pdf      print every page of the built book to _build/pdf/ (headless Chromium)"

venv: $(STAMP)

$(STAMP): requirements-lock.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-lock.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

book: $(STAMP)
	rm -rf _build/html _build/.doctrees _build/jupyter_execute _build/screenshots
	tools/vendor_js.sh
	$(JB) build . --all -W -n --keep-going
	@echo "The book is at _build/html/index.html; 'make serve' previews it."

unit: $(STAMP)
	$(PYTEST) tests -n 2 --ignore=tests/built --ignore=tests/browser --ignore=tests/live

nbval: $(STAMP)
	$(NBVAL) $(CHAPTERS)

html: $(STAMP)
	$(PYTEST) tests/built -n 2

# The built book in headless Chromium (Debian's package, installed when missing
# and possible; otherwise the test is skipped with the reason). Screenshots go
# to _build/screenshots/.
browser: $(STAMP)
	-tools/ensure_chromium.sh >/dev/null
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(PYTEST) tests/browser -p no:randomly -rs

# The explorers live: every chapter that calls one served by Voila (one server,
# stopped with its kernels at the end), every slider moved with the keyboard in
# headless Chromium; step times go to benchmarks/results/live.json for 'make bench'.
live: $(STAMP)
	-tools/ensure_chromium.sh >/dev/null
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(PYTEST) tests/live -p no:randomly -rs

test: unit nbval book html browser live

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

# Not tests: nothing fails on a slow machine. BENCH=--book also times a clean build.
bench: $(STAMP)
	$(BIN)/python benchmarks/report.py $(BENCH)

PORT ?= 8000
serve:
	@test -f _build/html/index.html || { echo "No book yet: run 'make book' first."; exit 1; }
	@echo "Serving the book at http://127.0.0.1:$(PORT)/ (Ctrl-C stops)"
	$(PYTHON) -m http.server --bind 127.0.0.1 --directory _build/html $(PORT)

pdf: $(STAMP)
	$(BIN)/python tools/print_pdf.py

clean:
	rm -rf _build
