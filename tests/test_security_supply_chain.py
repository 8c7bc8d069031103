"""Known-vulnerable dependencies are looked for in CI, and reporters know where to write."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)


def test_ci_runs_the_dependency_audit():
    assert "make audit" in (BASE / ".ci" / "run").read_text()
    assert "audit-deps.sh" in (BASE / "Makefile").read_text()


def test_the_audit_is_skipped_with_its_reason_where_pypi_cannot_be_reached():
    env = {**os.environ, "PYTHON": sys.executable, "HTTPS_PROXY": "http://127.0.0.1:9",
           "https_proxy": "http://127.0.0.1:9"}  # fmt: skip
    completed = subprocess.run(
        [str(BASE / "scripts" / "audit-deps.sh")], env=env, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert completed.returncode == 0
    assert completed.stdout.startswith("dependency audit skipped: ")


def test_security_md_says_how_to_report_and_what_is_promised():
    text = (BASE / "SECURITY.md").read_text()
    for heading in ("## Reporting a vulnerability", "## What the portal promises"):
        assert heading in text
    for promise in ("Roles and scope", "Anonymity", "Private files", "Audit"):
        assert promise in text
