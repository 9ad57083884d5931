# The book's commands; `make help` lists them (from the `## ` comment of each
# target). `make book` builds the book and `make test` runs every test; each
# first creates .venv from requirements-lock.txt when it is missing or stale.
# Every stage prints what it does and then how long it took (tools/stage).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
STAGE  := tools/stage
PYTEST := $(BIN)/python -m pytest
NBVAL_ARGS := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:randomly
# One pass alone runs its chapters in 2 processes (`make nbval`); two passes at once run in one
# process each, which keeps both cores as busy without xdist's extra processes (make test's
# two passes: 58 s and 107 s of CPU in one process each, 63 s and 126 s in two).
NBVAL_ALONE := -n 2 --dist loadfile
CHAPTERS := $(sort $(wildcard chapters/*.ipynb))
# Every pytest run but nbval's leaves nbval's plugin out (its imports of Jupyter's client take
# 1 to 3 s of CPU in a pytest process that would not import them otherwise).
NO_NBVAL := -p no:nbval
UNIT   := $(PYTEST) tests -n 2 $(NO_NBVAL) --ignore=tests/built --ignore=tests/browser --ignore=tests/live
# The Hypothesis profile of the unit tests (tests/conftest.py): book (100 examples per property,
# what make test runs) or thorough (200).
HYPOTHESIS_PROFILE ?= book
export HYPOTHESIS_PROFILE
# The browser and the live tests: make test runs them side by side, one pytest process and
# one Chromium each. The first explorer's response on a slow network needs no other test's page
# visits, so make test runs it in a process of its own, after the Chinese pages.
BROWSER_TESTS := $(PYTEST) tests/browser $(NO_NBVAL) -p no:randomly -rs
FIRST_RESPONSE := tests/browser/test_first_response.py
# The Chinese edition's pages in the browser, each visited once, as on a phone: loaded, math
# typeset, no raw TeX, no console error, every explorer moves, and the page fits the phone (its
# code, the accessibility and the weight are checked on the English pages, at 1280 px).
BROWSER_ZH := env BOOK_EDITION=zh_CN $(PYTEST) tests/browser/test_pages.py tests/browser/test_static_explorers.py \
              tests/browser/test_layout.py $(NO_NBVAL) -p no:randomly -rs
LIVE_TESTS := $(PYTEST) tests/live $(NO_NBVAL) -p no:randomly -rs
HTML_TESTS := $(PYTEST) tests/built $(NO_NBVAL)
# $(call nbval_on,SETTING[,PYTEST OPTIONS]): strict nbval of CHAPTERS as on that CPU (tools/cpu_setting.py
# says which SIMD code and BLAS kernel the run gets, or why the setting is skipped). On this
# machine's own CPU (native) every figure a cell shows is also checked for clipped, overlapping
# or too-small text (BOOK_FIGURE_CHECK=1: book/figcheck.py, loaded by
# tools/ipython_kernel_config.py); the other settings and Pythons check the printed numbers only,
# since where a text lands on a figure does not depend on the SIMD code or the Python version
# (the lock fixes Matplotlib and FreeType), and the check costs each pass about 8 s of CPU.
nbval_on = env BOOK_FIGURE_CHECK=$(if $(filter native,$(1)),1,0) $(BIN)/python tools/cpu_setting.py $(1) -- \
           $(PYTEST) $(NBVAL_ARGS) $(2) $(CHAPTERS)
# The CPU `make nbval` runs the chapters on (tools/cpu_setting.py): native, avx2, x86-64-v2.
CPU_SETTING ?= native
# The oldest and newest Python the README states; `make portable` runs nbval with each.
PORTABLE_PYTHONS := 3.11 3.13
PORT     ?= 8000
LAB_PORT ?= 8888
# Where tools/stage notes each stage's time (`make test` prints them at its end).
STAGE_LOG := _build/stage-times.tsv
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: help venv book catalogues test unit nbval portable html browser live serve lab outputs lock bench pdf clean

help: ## list every target
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z]+):.*## (.*)/make \1|\2/' | awk -F'|' '{printf "%-14s %s\n", $$1, $$2}'

venv: $(STAMP) ## create .venv from requirements-lock.txt (book and test do it when it is missing or stale)

$(STAMP): requirements-lock.txt pyproject.toml tools/make_venv.sh tools/ipython_kernel_config.py
	@$(STAGE) install "$(VENV) from requirements-lock.txt with $$($(PYTHON) --version 2>&1), and the package book (editable)" \
	  tools/make_venv.sh $(PYTHON) $(VENV)

book: $(STAMP) ## build the book into _build/html and its Chinese edition into _build/html/zh_CN (warnings are errors)
	@$(STAGE) book "execute every chapter once, render the static explorers, build both editions strictly" \
	  $(BIN)/python tools/build_book.py force
	@echo "The book is at _build/html/index.html, its Chinese edition at _build/html/zh_CN/index.html; 'make serve' previews them."

catalogues: $(STAMP) ## make or update the Chinese edition's catalogues (locales/zh_CN/LC_MESSAGES/*.po) from the English text
	@$(STAGE) catalogues "the English text's messages into locales/zh_CN/ (new: untranslated; changed: fuzzy; gone: obsolete)" \
	  $(BIN)/python tools/catalogues.py

# The two nbval passes run at the same time (one process each: their kernels keep both cores
# busy). The live test (Voila on the
# explorers, not the built site) then runs while the book is built and its HTML and browser
# tests run (the browsers mostly wait for pages, the live test for its kernel). Once the English
# edition is built, its browser test runs beside a chain of the Chinese edition's build, both
# editions' HTML tests, the Chinese browser test and the first-response test. (Three browser tests at once, axe-core apart,
# measured slower: 2 cores thrash; so did building both editions side by side before any test.) A stage that
# runs beside another prints its output in one piece when it ends (tools/stage, STAGE_OUTPUT). The closing line gives each stage's own wall
# time, the whole run's wall time (less than their sum where stages overlapped) and CPU time.
test: $(STAMP) ## every test: unit, nbval (this CPU and x86-64-v2), both editions' strict builds, html, browser and live
	@rm -f $(STAGE_LOG)
	@export STAGE_LOG=$(STAGE_LOG); started=$$(date +%s); \
	$(STAGE) unit "the unit and property tests of book/ (tests/test_*.py, 2 processes, Hypothesis profile $(HYPOTHESIS_PROFILE))" $(UNIT) && \
	{ STAGE_OUTPUT=_build/nbval-native.log $(STAGE) nbval \
	    "every chapter re-run under strict nbval on this machine's CPU (at the same time as the next)" \
	    $(call nbval_on,native) & native=$$!; \
	  STAGE_OUTPUT=_build/nbval-x86-64-v2.log $(STAGE) "nbval x86-64-v2" \
	    "every chapter under strict nbval as on an x86-64-v2 CPU (no AVX)" $(call nbval_on,x86-64-v2); v2=$$?; \
	  wait $$native && [ $$v2 -eq 0 ]; } && \
	{ tools/ensure_chromium.sh >/dev/null || true; } && \
	{ STAGE_OUTPUT=_build/live.log $(STAGE) live \
	    "every explorer live through Voila, in headless Chromium (while the stages below run)" \
	    $(LIVE_TESTS) & live=$$!; \
	  $(STAGE) book "the English edition's strict build from the committed outputs nbval has just checked (make book executes them)" \
	    $(BIN)/python tools/build_book.py off en && \
	  { { STAGE_OUTPUT=_build/book-zh.log $(STAGE) "book zh_CN" \
	        "the Chinese edition from the same outputs and frames, strictly (beside the English browser test)" \
	        $(BIN)/python tools/build_book.py off zh_CN && \
	      STAGE_OUTPUT=_build/html.log $(STAGE) html "the tests of both editions' HTML (tests/built)" $(HTML_TESTS) && \
	      STAGE_OUTPUT=_build/browser-zh.log $(STAGE) "browser zh_CN" \
	        "every Chinese page in a headless Chromium of its own" $(BROWSER_ZH) && \
	      STAGE_OUTPUT=_build/first-response.log $(STAGE) "first response" \
	        "each chapter's first explorer on a slow network (10 Mbit/s, 40 ms)" \
	        $(PYTEST) $(FIRST_RESPONSE) $(NO_NBVAL) -p no:randomly -rs -rP; } & chinese=$$!; \
	    STAGE_OUTPUT=_build/browser.log $(STAGE) browser \
	      "every English page in a second headless Chromium, at 1280 px and as on a phone" \
	      $(BROWSER_TESTS) --ignore=$(FIRST_RESPONSE); browser=$$?; \
	    wait $$chinese && [ $$browser -eq 0 ]; }; built=$$?; \
	  wait $$live && [ $$built -eq 0 ]; }; \
	status=$$?; \
	echo "make test: $$(awk -F'\t' -v all=$$(( $$(date +%s) - started )) '{printf "%s%s %s s", sep, $$1, $$2; sep=", "; c+=$$4; } END {printf " (%d s in all, stages side by side counted once; CPU %d s)", all, c}' $(STAGE_LOG))"; \
	exit $$status

unit: $(STAMP) ## the unit and property tests of book/ (tests/test_*.py; HYPOTHESIS_PROFILE=thorough tries more examples)
	@$(STAGE) unit "the unit and property tests of book/ (tests/test_*.py, 2 processes, Hypothesis profile $(HYPOTHESIS_PROFILE))" $(UNIT)

nbval: $(STAMP) ## re-run every chapter under strict nbval (CHAPTERS=..., CPU_SETTING=avx2 or x86-64-v2)
	@$(STAGE) "nbval $(CPU_SETTING)" "strict nbval of $(if $(filter command line environment,$(origin CHAPTERS)),$(CHAPTERS),every chapter), CPU setting $(CPU_SETTING)" \
	  $(call nbval_on,$(CPU_SETTING),$(NBVAL_ALONE))

# The matrix in two rounds of two passes at once: the two CPU settings, then the two Pythons
# (a venv of its own for a Python other than .venv's, installed first when missing or stale).
portable: $(STAMP) ## nbval as on an AVX2 and an x86-64-v2 CPU, and with Python 3.11 and 3.13
	@STAGE_OUTPUT=_build/nbval-avx2.log $(STAGE) "nbval avx2" \
	  "every chapter under strict nbval as on an AVX2 CPU (no AVX-512; at the same time as the next)" \
	  $(call nbval_on,avx2) & avx2=$$!; \
	STAGE_OUTPUT=_build/nbval-x86-64-v2.log $(STAGE) "nbval x86-64-v2" \
	  "every chapter under strict nbval as on an x86-64-v2 CPU (no AVX)" $(call nbval_on,x86-64-v2); v2=$$?; \
	wait $$avx2 && [ $$v2 -eq 0 ]
	@runs=; for version in $(PORTABLE_PYTHONS); do \
	  if ! python=$$(tools/find_python.sh $$version 2>&1); then echo "==> nbval Python $$version: skipped: $$python"; continue; fi; \
	  venv=$(VENV); \
	  if [ "$$($(BIN)/python -c 'import sys; print("%d.%d" % sys.version_info[:2])')" != "$$version" ]; then \
	    venv=.venv-py$$version; \
	    if [ ! -f $$venv/.installed ] || [ -n "$$(find requirements-lock.txt pyproject.toml tools/make_venv.sh tools/ipython_kernel_config.py -newer $$venv/.installed)" ]; then \
	      $(STAGE) "install Python $$version" "$$venv from requirements-lock.txt with $$python" \
	        tools/make_venv.sh $$python $$venv || exit 1; \
	    fi; \
	  fi; \
	  runs="$$runs $$version:$$venv"; \
	done; \
	pids=; for run in $$runs; do \
	  version=$${run%%:*} venv=$${run#*:}; \
	  STAGE_OUTPUT=_build/nbval-py$$version.log $(STAGE) "nbval Python $$version" \
	    "every chapter under strict nbval with Python $$version ($$venv; the Pythons at the same time)" \
	    env BOOK_FIGURE_CHECK=0 $$venv/bin/python tools/cpu_setting.py native -- \
	    $$venv/bin/python -m pytest $(NBVAL_ARGS) $(CHAPTERS) & pids="$$pids $$!"; \
	done; \
	status=0; for pid in $$pids; do wait $$pid || status=1; done; exit $$status

html: $(STAMP) ## the tests of the built HTML (tests/built), after make book
	@$(STAGE) html "the tests of the built HTML (tests/built)" $(HTML_TESTS)

# Headless Chromium is Debian's package (tools/ensure_chromium.sh installs it when
# missing and possible; otherwise the tests are skipped with the reason).
browser: $(STAMP) ## every page of both editions in headless Chromium (tests/browser), after make book
	-@tools/ensure_chromium.sh --cjk-font >/dev/null
	@BOOK_SCREENSHOTS=all $(STAGE) browser "every page in headless Chromium; screenshots in _build/screenshots/" \
	  $(BROWSER_TESTS)
	@BOOK_SCREENSHOTS=all $(STAGE) "browser zh_CN" "every Chinese page; screenshots in _build/screenshots/zh_CN/" \
	  $(BROWSER_ZH)

# Every chapter that calls an explorer served by Voila (one server, stopped with
# its kernels at the end), every control moved in headless Chromium; step times
# go to benchmarks/results/live.json for `make bench`.
live: $(STAMP) ## every explorer served by Voila and driven in headless Chromium (tests/live)
	-@tools/ensure_chromium.sh >/dev/null
	@$(STAGE) live "every explorer live through Voila, driven in headless Chromium" \
	  $(PYTEST) tests/live $(NO_NBVAL) -p no:randomly -rs

serve: ## preview the built book at http://127.0.0.1:8000/ (PORT=... for another port)
	@test -f _build/html/index.html || { echo "No book yet: run 'make book' first."; exit 1; }
	@echo "Serving the book at http://127.0.0.1:$(PORT)/ (Ctrl-C stops)"
	$(PYTHON) -m http.server --bind 127.0.0.1 --directory _build/html $(PORT)

# JupyterLab on this machine only (127.0.0.1), on a fixed port so that the
# address printed is the one it serves (it fails if the port is taken:
# LAB_PORT=...). A fresh token is passed through the environment (not the
# command line, which other users can read) and printed in the address.
# --allow-root only when run as root.
lab: $(STAMP) ## JupyterLab on the chapters at http://127.0.0.1:8888/lab (LAB_PORT=... for another port)
	@token=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(24))'); \
	root=; [ "$$(id -u)" = 0 ] && root=--allow-root; \
	echo "==> lab: JupyterLab on the chapters; open http://127.0.0.1:$(LAB_PORT)/lab?token=$$token (Ctrl-C stops)"; \
	JUPYTER_TOKEN=$$token exec $(BIN)/jupyter lab --no-browser --ServerApp.ip=127.0.0.1 \
	  --ServerApp.port=$(LAB_PORT) --ServerApp.port_retries=0 --ServerApp.root_dir=chapters $$root

outputs: $(STAMP) ## re-run every chapter top to bottom and save its outputs
	@for nb in $(CHAPTERS); do \
	  $(STAGE) "outputs $$nb" "execute and save" $(BIN)/jupyter execute --inplace "$$nb" || exit 1; done

lock: ## regenerate requirements-lock.txt from requirements.txt
	rm -rf .lockvenv && $(PYTHON) -m venv .lockvenv
	.lockvenv/bin/python -m pip install --quiet --upgrade pip
	.lockvenv/bin/python -m pip install -r requirements.txt
	( echo "# Exact versions of everything the book installs, for Python 3.11 to 3.13 (the range"; \
	  echo "# \`make portable\` tests; NumPy 2.4, SciPy 1.17, contourpy 1.3.3 and IPython 9 need 3.11)."; \
	  echo "# Regenerate with 'make lock'."; \
	  .lockvenv/bin/python -m pip freeze --all --exclude-editable | grep -v '^pip==' ) > requirements-lock.txt
	rm -rf .lockvenv

# Not tests: nothing fails on a slow machine. BENCH=--book also times a clean build.
bench: $(STAMP) ## every benchmark into benchmarks/results/report.md (BENCH=--book adds a clean build)
	$(BIN)/python benchmarks/report.py $(BENCH)

pdf: $(STAMP) ## print every page of the built book to _build/pdf/ (headless Chromium)
	$(BIN)/python tools/print_pdf.py

clean: ## remove _build (the built book, its caches and screenshots)
	rm -rf _build
