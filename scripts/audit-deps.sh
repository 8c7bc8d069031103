#!/usr/bin/env bash
# Known vulnerabilities in the locked dependencies (every package of requirements.lock, the
# versions that .venv and the production image install), from PyPI's advisory data. pip-audit
# reads the pins of the lock and installs nothing. Runs where it can; where it cannot (pip-audit
# missing, PyPI's per-version JSON API not reachable, e.g. behind a mirror), it says why and
# exits 0 so that the rest of CI runs.
set -uo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
LOCK=requirements.lock

if ! "$PYTHON" -c "import pip_audit" 2>/dev/null; then
  echo "dependency audit skipped: pip-audit is not installed in $PYTHON (make install)"
  exit 0
fi

probe=$("$PYTHON" - <<'PY'
import urllib.request
from importlib.metadata import version

url = f"https://pypi.org/pypi/pip/{version('pip')}/json"
try:
    with urllib.request.urlopen(url, timeout=10) as response:
        print("ok" if response.status == 200 else f"HTTP {response.status} from {url}")
except Exception as exc:  # offline, a proxy, or a mirror without the per-version API
    print(f"{exc} ({url})")
PY
)
if [ "$probe" != "ok" ]; then
  echo "dependency audit skipped: PyPI's vulnerability data cannot be reached: $probe"
  exit 0
fi

echo "pip-audit of $LOCK against PyPI's vulnerability data:"
exec "$PYTHON" -m pip_audit --requirement "$LOCK" --disable-pip --vulnerability-service pypi \
  --progress-spinner off
