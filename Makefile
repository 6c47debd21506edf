# mirco — two commands on a fresh machine: `make build` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test
CHROMIUM ?= /usr/bin/chromium

.PHONY: sample-video build test test-fast fuzz bench bench-lrs bench-delivery lint typecheck browser-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TSTAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

## build: set up .venv, install mirco, build the sample course into dist/
build: $(STAMP)
	$(BIN)/mirco build

## browser-deps: Debian's Chromium, gettext (msgfmt -c checks the catalogs), the Pango,
## HarfBuzz and fonts WeasyPrint prints PDFs with, and the npm packages the browser tests load
DEBIAN_PACKAGES := chromium gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
browser-deps:
	@missing=$$(dpkg-query -W -f='$${Status} $${Package}\n' $(DEBIAN_PACKAGES) 2>&1 | grep -v '^install ok installed' || true); \
	if [ -n "$$missing" ] || [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $(DEBIAN_PACKAGES) >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq $(DEBIAN_PACKAGES) >/dev/null; fi; \
	fi
	@if [ -f package-lock.json ]; then \
	  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then npm ci --no-audit --no-fund --silent; fi; \
	fi

## sample-video: remake the sample course's narrated video, captions and transcripts
## (optional: the results are committed; needs ffmpeg and espeak-ng from Debian)
MEDIA_PACKAGES := ffmpeg espeak-ng
sample-video:
	@missing=$$(dpkg-query -W -f='$${Status} $${Package}\n' $(MEDIA_PACKAGES) 2>&1 | grep -v '^install ok installed' || true); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $(MEDIA_PACKAGES) >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq $(MEDIA_PACKAGES) >/dev/null; fi; \
	fi
	$(PYTHON) scripts/make_sample_video.py

## test: install what the tests need and run them all
test: $(TSTAMP) browser-deps
	$(BIN)/python -m pytest -n 2 --dist loadgroup

## test-fast: the suite without the real-browser tests
test-fast: $(TSTAMP)
	$(BIN)/python -m pytest -n 2 -m "not browser"

## fuzz: schemathesis over every LRS resource, 20,000 requests on SQLite and on PostgreSQL
fuzz: $(TSTAMP)
	mkdir -p .mirco && rm -f .mirco/fuzz-report.txt
	MIRCO_FUZZ_REQUESTS=$${MIRCO_FUZZ_REQUESTS:-20000} MIRCO_FUZZ_REPORT=.mirco/fuzz-report.txt \
	  $(BIN)/python -m pytest tests/fuzz -n 2 -q; status=$$?; cat .mirco/fuzz-report.txt; exit $$status

## bench: the benchmarks (print figures and ratios)
bench: $(STAMP)
	$(BIN)/python benchmarks/build_bench.py
	$(BIN)/python benchmarks/runtime_bench.py

## bench-lrs: the LRS benchmark against a mirco lrs serve of its own (fresh SQLite, a worker per core)
bench-lrs: $(TSTAMP)
	cd benchmarks && ../$(BIN)/python lrs_local.py

## bench-delivery: N learners (2, 4, 10) playing at once in Chromium against a local LRS
bench-delivery: $(TSTAMP) browser-deps
	$(BIN)/python benchmarks/delivery_bench.py

lint: $(TSTAMP)
	$(BIN)/ruff check src tests benchmarks

typecheck: $(TSTAMP)
	$(BIN)/mypy src

clean:
	rm -rf dist .mirco .pytest_cache
