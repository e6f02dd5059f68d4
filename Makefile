# Two commands set everything up on a fresh Linux machine with Python >= 3.10:
#   make lab    create .venv if missing, install, check extensions, open JupyterLab on the course
#   make test   create .venv if missing, install, run the whole test suite
# Re-running any target on a ready machine only checks that pyproject.toml has not changed.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8888
# extra JupyterLab options, e.g. LAB_ARGS=--no-browser
LAB_ARGS ?=
STAMP  := $(VENV)/.installed
EXERCISES := $(notdir $(wildcard solutions/ex*))
# Jupyter refuses to run as root unless told; containers and CI machines often are root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)
# JupyterLab's terminals start a login shell, which resets PATH from /etc/profile; a plain
# interactive shell keeps the PATH exported below, so `naltrexone-course` works in them.
LAB_SHELL := $(shell command -v bash 2>/dev/null || echo /bin/sh)
LAB_EXTENSIONS := @jupyter-widgets/jupyterlab-manager anywidget jupyterlab-plotly @jupyter/nbgrader
PYTEST_ARGS ?=
# test files run in parallel, each file in one worker (each browser test file has its own
# JupyterLab); one worker more than the machine has cores, since the browser tests mostly wait
# (2 cores: 3 workers took 657 s, 4 took 734 s; see the README). PYTEST_JOBS=0: one process.
PYTEST_JOBS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) + 1 )))
# --no-loadscope-reorder: xdist would otherwise hand out files by their number of tests, not in
# the order tests/conftest.py sets (longest first); the one-test JupyterHub file then started
# last and one worker finished 115 s after the others.
PYTEST_PARALLEL := $(if $(filter 0,$(PYTEST_JOBS)),,-n $(PYTEST_JOBS) --dist loadfile --no-loadscope-reorder)
# nbgrader starts `alembic` by name: the venv's scripts must be on PATH.
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: lab lab-instructor test test-quick release lint extensions benchmark site clean help

help:
	@echo "make lab        open the course in JupyterLab (PORT=$(PORT))"
	@echo "make lab-instructor  JupyterLab with nbgrader's instructor menus and solutions/ shown"
	@echo "make test       run the whole test suite"
	@echo "make test-quick run everything except the slow notebook/nbgrader/browser tests"
	@echo "make release    regenerate exercises/ from solutions/ with nbgrader"
	@echo "make lint       run ruff and mypy"
	@echo "make benchmark  print widget update and notebook execution times"
	@echo "make site       build the static course site into site/_build/html (offline)"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@# an editable install skips the package's data files: put the server-extension switch
	@# (naltrexone_lab.labserver serves plotly.js to the course figures) where a wheel puts it
	install -D -m 644 jupyter-config/jupyter_server_config.d/naltrexone_lab.json \
	  $(VENV)/etc/jupyter/jupyter_server_config.d/naltrexone_lab.json
	@touch $(STAMP)

extensions: $(STAMP)
	@listing="$$($(BIN)/jupyter labextension list 2>&1)"; \
	for ext in $(LAB_EXTENSIONS); do \
	  if ! printf '%s\n' "$$listing" | grep -F " $$ext v" | grep -q "enabled"; then \
	    echo "enabling JupyterLab extension $$ext"; \
	    $(BIN)/jupyter labextension enable "$$ext" >/dev/null || exit 1; \
	  fi; \
	done; \
	$(BIN)/jupyter labextension list 2>&1 | grep -E "$$(echo $(LAB_EXTENSIONS) | tr ' ' '|')" \
	  | grep -vq "disabled" || { echo "a required JupyterLab extension is disabled"; exit 1; }
	@$(BIN)/jupyter server extension enable --sys-prefix nbgrader >/dev/null 2>&1 || true
	@echo "extensions ready: $(LAB_EXTENSIONS)"

# The learner works in my_work/ (git-ignored copies of every chapter and exercise, made once and
# kept), so running and saving never touches the tracked notebooks and `git pull` never conflicts.
# Learner mode (jupyter-config/learner): nbgrader's instructor menus (formgrader, create
# assignment, course list, assignment list) are switched off and solutions/ is not listed in the
# file browser. `make lab-instructor` shows everything.
LEARNER_CONFIG := JUPYTER_CONFIG_PATH="$(CURDIR)/jupyter-config/learner$(if $(JUPYTER_CONFIG_PATH),:$(JUPYTER_CONFIG_PATH))"
LAB_COMMAND = $(BIN)/jupyter lab --port=$(PORT) $(ALLOW_ROOT) $(LAB_ARGS) --ServerApp.root_dir="$(CURDIR)" \
	  --ServerApp.terminado_settings="{'shell_command': ['$(LAB_SHELL)']}"

lab: extensions
	$(BIN)/naltrexone-course setup
	$(LEARNER_CONFIG) $(LAB_COMMAND) my_work/course/00_start_here.ipynb

lab-instructor: extensions
	$(LAB_COMMAND) solutions/ex01_antagonism/ex01_antagonism.ipynb

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_PARALLEL) $(PYTEST_ARGS)

test-quick: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_PARALLEL) -m "not slow and not browser" $(PYTEST_ARGS)

release: $(STAMP)
	@for ex in $(EXERCISES); do \
	  $(BIN)/nbgrader generate_assignment "$$ex" --force --log-level=WARN || exit 1; \
	done
	@echo "exercises/ regenerated from solutions/: $(EXERCISES)"

lint: $(STAMP)
	$(BIN)/ruff check naltrexone_lab tests benchmarks course solutions book
	$(BIN)/mypy naltrexone_lab

benchmark: $(STAMP)
	$(BIN)/python benchmarks/widgets.py

# The static course site: Jupyter Book 1 over every ready chapter, the student exercises, the
# glossary and references, with a static explorer for every interactive model; no notebook is
# executed and nothing is downloaded. SITE_REPOSITORY=owner/name sets the Binder links.
site: $(STAMP)
	$(BIN)/python book/build_site.py --out site/_build

clean:
	rm -rf .pytest_cache .hypothesis .ruff_cache gradebook.db test-artifacts
