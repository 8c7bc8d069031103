# The one entry point: `make demo` runs the portal, `make test` runs the tests.
PYTHON ?= python3
PIP_ENV = PIP_CONSTRAINT=$(CURDIR)/build-constraints.txt PIP_DISABLE_PIP_VERSION_CHECK=1
NPM ?= npm
AXE = node_modules/axe-core/axe.min.js
# The tests run in one process per core (pytest-xdist; TEST_WORKERS=0 runs them in this one).
# The tests of a file stay in one process, which builds the rows they share once; the files
# are handed out in the order the workers give them (the slow browser files first).
TEST_WORKERS ?= auto
PYTEST_PARALLEL = -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

.PHONY: install system-deps messages demo test test-fast a11y lint audit format bench clean

install:
	$(PIP_ENV) $(PYTHON) -m pip install -q -e ".[dev]"
	$(MAKE) messages

# Debian packages: gettext for the catalogues; Chromium, and npm for axe-core, for the browser
# tests (make test and make a11y only).
system-deps:
	@if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	  missing=""; \
	  command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	  [ -n "$(WITH_BROWSER)" ] && [ ! -x /usr/bin/chromium ] && missing="$$missing chromium"; \
	  [ -n "$(WITH_BROWSER)" ] && ! command -v $(NPM) >/dev/null && missing="$$missing npm"; \
	  [ -n "$$missing" ] && { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; } || true; \
	fi

messages:
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
	$(MAKE) $(AXE)
	$(PYTHON) -m pytest tests/test_a11y.py

test-fast:
	$(PYTHON) -m pytest $(PYTEST_PARALLEL) -m "not browser and not worker"

lint:
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .
	$(PYTHON) manage.py makemigrations --check --dry-run

# Known vulnerabilities in the dependencies (pip-audit); skipped with the reason printed where
# PyPI's vulnerability data cannot be reached.
audit:
	PYTHON=$(PYTHON) ./scripts/audit-deps.sh

format:
	$(PYTHON) -m ruff format .
	$(PYTHON) -m ruff check --fix .

# A separate data folder: the benchmark never touches the demo database.
bench:
	ASN_DATA_DIR=$${ASN_DATA_DIR:-$(CURDIR)/var/bench} $(PYTHON) manage.py migrate -v0
	ASN_DATA_DIR=$${ASN_DATA_DIR:-$(CURDIR)/var/bench} $(PYTHON) manage.py bench

clean:
	rm -rf var staticfiles test-artifacts node_modules
