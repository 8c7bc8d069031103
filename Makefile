# The one entry point: `make demo` runs the portal, `make test` runs the tests.
PYTHON ?= python3
PIP_ENV = PIP_CONSTRAINT=$(CURDIR)/build-constraints.txt PIP_DISABLE_PIP_VERSION_CHECK=1

.PHONY: install system-deps messages demo test test-fast lint audit format bench clean

install:
	$(PIP_ENV) $(PYTHON) -m pip install -q -e ".[dev]"
	$(MAKE) messages

# Debian packages: gettext for the catalogues; Chromium for the browser tests (make test only).
system-deps:
	@if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	  missing=""; \
	  command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	  [ -n "$(WITH_BROWSER)" ] && [ ! -x /usr/bin/chromium ] && missing="$$missing chromium"; \
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
	$(PYTHON) -m pytest

test-fast:
	$(PYTHON) -m pytest -m "not browser and not worker"

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
	rm -rf var staticfiles test-artifacts
