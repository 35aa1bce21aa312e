# Two commands for a fresh machine with Python 3.11+:
#   make brief   sets up .venv (pinned versions) and builds the latest yearly brief from data/raw
#   make test    sets up .venv and runs the linters and every test (unit, data, notebooks, end to end)
#   make check   the fast lane while working: linters, layers and every in-process test (under 90 s)
# Re-running either is fast: the environment is rebuilt only when a pin file changes.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup brief demo ingest status test check faults lint lab lock illustrative gazetteer outlines bench clean docs-pictures

setup: $(STAMP)

$(STAMP): requirements-lock.txt pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-lock.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name kepatuhan --display-name "Python (kepatuhan)" >/dev/null
	touch $(STAMP)

brief: $(STAMP)
	$(BIN)/python pipeline.py run --all-pemda $(ARGS)

# The illustrative OPD examples (invented scores, marked as such) in their own folders, apart from real briefs.
demo: $(STAMP)
	$(BIN)/python pipeline.py run --with-examples --province Jambi --year 2023 --all-pemda --reports demo/reports --processed demo/processed $(ARGS)

status: $(STAMP)
	$(BIN)/python pipeline.py status

ingest: $(STAMP)
	$(BIN)/python pipeline.py ingest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

# The tests on both cores (each test holds on a busy machine; tests that share a costly module fixture carry one
# xdist_group, so it is built on one worker only), then the notebooks with nbval in one process:
# a notebook's cells run in order on one kernel, so they are never shared out between workers.
test: lint
	@sh scripts/ensure_chromium.sh
	$(BIN)/python -m pytest -n 2 --dist loadgroup tests $(ARGS)
	$(BIN)/python -m pytest --nbval-lax --nbval-current-env notebooks

# Everything that runs in this process (no pipeline run, kernel, browser or signal: those are marked e2e).
check: lint
	$(BIN)/python -m pytest -m "not e2e" -n 2 tests $(ARGS)

# The README's pictures of a brief and of the index, from the published briefs (after `make brief`).
docs-pictures: $(STAMP)
	$(BIN)/python scripts/docs_pictures.py

faults: $(STAMP)
	$(BIN)/python -m pytest -m faults

# JupyterLab on the project (notebooks/, reports/, data/processed/), with a copy of the explore notebook in
# scratch/ to change and save freely; notebooks/ are recipes, saved without outputs (jupyter_server_config.py).
lab: $(STAMP)
	@mkdir -p scratch
	@[ -e scratch/04_explore.ipynb ] || cp notebooks/04_explore.ipynb scratch/
	$(BIN)/jupyter lab --config=jupyter_server_config.py

illustrative: $(STAMP)
	$(BIN)/python scripts/make_illustrative_opd.py

# Rebuild config/gazetteer.csv after editing config/gazetteer_extra.csv or config/province_changes.csv.
gazetteer: $(STAMP)
	$(BIN)/python scripts/build_gazetteer.py

# Rebuild data/geo/batas_provinsi_2025.parquet after replacing the kabupaten/kota boundary file.
outlines: $(STAMP)
	$(BIN)/python scripts/build_outlines.py

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_explore.py
	$(BIN)/python benchmarks/bench_national.py
	$(BIN)/python benchmarks/bench_country.py
	$(BIN)/python benchmarks/bench_briefs.py --jobs 2
	$(BIN)/python benchmarks/bench_parts.py
	$(BIN)/python benchmarks/bench_imports.py

# Regenerate the full lock after changing requirements.txt.
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet -r requirements.txt
	.venv-lock/bin/python -m pip freeze --all --exclude-editable | grep -v "^pip==" > requirements-lock.txt
	rm -rf .venv-lock

clean:
	rm -rf $(VENV) reports demo data/processed/*.parquet data/processed/*.csv data/processed/*.json data/processed/*.ipynb
