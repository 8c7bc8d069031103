# The one entry point: `make demo` runs the portal, `make test` runs the tests.
#
# Every target runs in the virtual environment .venv, installed from requirements.lock: each
# package pinned, each file checked against the lock's sha256 hashes. pyproject.toml holds the
# ranges; `make lock` writes the pins (pip-compile, from pip-tools, pinned in the lock itself).
LOCK = requirements.lock
VENV = .venv
PYTHON := $(VENV)/bin/python
# Written after a complete install: .venv is rebuilt from scratch when the lock is newer.
INSTALLED = $(VENV)/.installed
# The machine's Python 3.11 that creates .venv: python3.11, else python3 (checked below).
BASE_PYTHON ?= $(shell command -v python3.11 || command -v python3)
# xstatic-bootstrap ships a source archive only, whose build breaks with setuptools>=81: the
# constraint file caps the build backend of every isolated build (PIP_CONSTRAINT for pip up to
# 25, PIP_BUILD_CONSTRAINT from pip 26 on) and, through `make lock`, the locked setuptools.
# PIP_USE_PEP517 makes the pip of a new venv (Debian's is 23.0) build it in isolation too,
# instead of the deprecated `setup.py install`; pip 26 builds so anyway and ignores it.
PIP_ENV = PIP_CONSTRAINT=$(CURDIR)/build-constraints.txt \
  PIP_BUILD_CONSTRAINT=$(CURDIR)/build-constraints.txt PIP_USE_PEP517=1 \
  PIP_DISABLE_PIP_VERSION_CHECK=1
# Extra pip-compile arguments for `make lock`, e.g. LOCK_ARGS="-P django" or LOCK_ARGS=--upgrade.
LOCK_ARGS ?=
NPM ?= npm
AXE = node_modules/axe-core/axe.min.js
# The tests run in one process per core (pytest-xdist; TEST_WORKERS=0 runs them in this one).
# The tests of a file stay in one process, which builds the rows they share once; the files
# are handed out in the order the workers give them (the slow browser files first).
TEST_WORKERS ?= auto
PYTEST_PARALLEL = -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

.PHONY: install lock system-deps messages demo test test-fast a11y lint audit format bench loadtest clean

install: $(INSTALLED) messages

# A new .venv each time the lock changes, so that it holds exactly the lock (a package dropped
# from the lock leaves with it); nothing is installed while the lock is unchanged.
$(INSTALLED): $(LOCK)
	@if [ -z "$(BASE_PYTHON)" ] || ! $(BASE_PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then \
	  echo "$(VENV) needs Python 3.11: python3.11, else a python3 that is 3.11, or make BASE_PYTHON=/path/to/python3.11 (tried: $(or $(BASE_PYTHON),none found))" >&2; \
	  exit 1; \
	fi
	rm -rf $(VENV)
	$(BASE_PYTHON) -m venv $(VENV) || { rm -rf $(VENV); exit 1; }
	$(PIP_ENV) $(PYTHON) -m pip install -q --require-hashes -r $(LOCK)
	@touch $@

# Re-pin after a change of the ranges in pyproject.toml: new packages are added, existing pins
# kept unless LOCK_ARGS says otherwise. pip-compile uses pip's own configuration (index, mirror,
# proxy) and writes no index or local path into the lock. An unchanged lock keeps its date, so
# that .venv is not rebuilt for nothing.
lock: $(INSTALLED)
	@cp -p $(LOCK) $(VENV)/lock.before
	CUSTOM_COMPILE_COMMAND="make lock" $(PIP_ENV) $(VENV)/bin/pip-compile --quiet \
	  --extra dev --generate-hashes --strip-extras --allow-unsafe \
	  --no-emit-index-url --no-emit-trusted-host --no-emit-find-links \
	  -c build-constraints.txt $(LOCK_ARGS) -o $(LOCK) pyproject.toml
	@if cmp -s $(LOCK) $(VENV)/lock.before; then touch -r $(VENV)/lock.before $(LOCK); fi
	@rm -f $(VENV)/lock.before
	@if grep -nE '^[-./]|file://' $(LOCK); then \
	  echo "$(LOCK) names a local path or a pip option (above): make it against a package index" >&2; \
	  exit 1; \
	fi

# Debian packages: the venv module of Python 3.11 for .venv; gettext for the catalogues; Pango
# and the DejaVu fonts for the PDF documents (WeasyPrint), poppler-utils (pdftotext) for their tests;
# Chromium, and npm for axe-core, for the browser tests (make test and make a11y only). Installed
# as root only, and only what is missing; anyone else is told by the step that needs them.
system-deps:
	@if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	  missing=""; \
	  [ -n "$(BASE_PYTHON)" ] && ! $(BASE_PYTHON) -c 'import ensurepip' 2>/dev/null && missing="$$missing python3.11-venv"; \
	  command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	  ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	  [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$$missing fonts-dejavu-core"; \
	  command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	  [ -n "$(WITH_BROWSER)" ] && [ ! -x /usr/bin/chromium ] && missing="$$missing chromium"; \
	  [ -n "$(WITH_BROWSER)" ] && ! command -v $(NPM) >/dev/null && missing="$$missing npm"; \
	  [ -n "$$missing" ] && { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; } || true; \
	fi

messages: $(INSTALLED)
	@if command -v msgfmt >/dev/null; then $(PYTHON) manage.py compilemessages -v0 --ignore=".*"; \
	else echo "msgfmt not found (apt-get install gettext): English stays untranslated"; fi

demo: system-deps install
	PYTHON=$(PYTHON) ./scripts/demo.sh

test:
	$(MAKE) system-deps WITH_BROWSER=1
	$(MAKE) install
	$(MAKE) $(AXE)
	$(PYTHON) -m pytest $(PYTEST_PARALLEL)

# axe-core for the accessibility check, from the npm registry at the version that
# package-lock.json pins, into the gitignored node_modules/ (Playwright injects it into the
# pages under test; the portal never serves it).
$(AXE): package.json package-lock.json
	$(NPM) ci --no-audit --no-fund --loglevel=error
	@touch $@

# The accessibility check alone: every page of every demo role under axe-core, 1280 and 390 px.
a11y:
	$(MAKE) system-deps WITH_BROWSER=1
	$(MAKE) install
	$(MAKE) $(AXE)
	$(PYTHON) -m pytest tests/test_a11y.py

test-fast: install
	$(PYTHON) -m pytest $(PYTEST_PARALLEL) -m "not browser and not worker"

lint: $(INSTALLED)
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .
	$(PYTHON) -m mypy
	$(PYTHON) manage.py makemigrations --check --dry-run

# Known vulnerabilities in the locked packages (pip-audit on requirements.lock); skipped with the
# reason printed where PyPI's vulnerability data cannot be reached.
audit: $(INSTALLED)
	PYTHON=$(PYTHON) ./scripts/audit-deps.sh

format: $(INSTALLED)
	$(PYTHON) -m ruff format .
	$(PYTHON) -m ruff check --fix .

# A separate data folder: the benchmark never touches the demo database. It empties the
# database it runs on (var/bench/, or DATABASE_URL's: give it one of its own) and writes
# var/bench/bench.json. BENCH_ARGS="--quick" for a short run, "--employees 10000" and so on.
BENCH_ARGS ?=
bench: $(INSTALLED)
	ASN_DATA_DIR=$${ASN_DATA_DIR:-$(CURDIR)/var/bench} $(PYTHON) manage.py migrate -v0
	ASN_DATA_DIR=$${ASN_DATA_DIR:-$(CURDIR)/var/bench} $(PYTHON) manage.py bench --reset \
	  --output $(CURDIR)/var/bench/bench.json $(BENCH_ARGS)

# 100 simulated users (Locust) against gunicorn on 127.0.0.1, on the PostgreSQL database of
# DATABASE_URL (seeded when empty), then every confirmed save checked in the database.
loadtest: $(INSTALLED)
	PYTHON=$(PYTHON) ./scripts/loadtest.sh

clean:
	rm -rf var staticfiles test-artifacts node_modules $(VENV)
