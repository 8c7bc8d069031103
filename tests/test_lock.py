"""requirements.lock stays the one install source: it pins every dependency of pyproject.toml
inside its range, with hashes and nothing local, and the Makefile, CI and the image install from
it with hashes checked."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import re
import tomllib
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def lock_entries() -> dict[str, tuple[str, list[str]]]:
    """name -> (version, sha256 hashes) of each pinned package."""
    entries: dict[str, tuple[str, list[str]]] = {}
    text = LOCK.read_text(encoding="utf-8")
    for block in re.split(r"\n(?=[^\s#])", text):
        pin = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", block)
        if pin:
            hashes = re.findall(r"--hash=sha256:([0-9a-f]{64})", block)
            entries[canonicalize_name(pin.group(1))] = (pin.group(2), hashes)
    return entries


def declared() -> list[Requirement]:
    project = PYPROJECT["project"]
    return [Requirement(r) for r in project["dependencies"]] + [
        Requirement(r) for r in project["optional-dependencies"]["dev"]
    ]


def test_every_declared_dependency_is_locked_inside_its_range():
    locked = lock_entries()
    wrong = []
    for requirement in declared():
        version = locked.get(canonicalize_name(requirement.name), (None,))[0]
        if version is None or not requirement.specifier.contains(version, prereleases=True):
            wrong.append(f"{requirement} locked at {version}")
    assert wrong == [], "pyproject.toml changed without `make lock`"


def test_the_lock_holds_what_any_python_3_11_needs():
    """pip-compile leaves out a dependency whose marker is false for the Python that runs it: a
    lock written on 3.11.7 lacks what 3.11.2 (Debian 12) needs, and pip install --require-hashes
    then stops there. Every locked package's dependencies are checked for each 3.11 release."""
    locked = lock_entries()
    missing = []
    for name in locked:
        try:
            requirements = importlib.metadata.requires(name) or []
        except importlib.metadata.PackageNotFoundError:
            pytest.skip(f"{name} is not installed: run the tests in .venv (make install)")
        for requirement in map(Requirement, requirements):
            if requirement.marker is None or canonicalize_name(requirement.name) in locked:
                continue
            for patch in range(20):
                env = {**default_environment(), "extra": ""}
                env |= {"python_full_version": f"3.11.{patch}", "python_version": "3.11"}
                if requirement.marker.evaluate(env):
                    missing.append(f"{name} needs {requirement} on 3.11.{patch}")
                    break
    assert missing == [], "add each to pyproject.toml without its marker, then make lock"


def test_every_locked_package_has_hashes_and_the_lock_names_nothing_local():
    entries = lock_entries()
    assert len(entries) > 50
    assert [name for name, (_version, hashes) in entries.items() if not hashes] == []
    text = LOCK.read_text(encoding="utf-8")
    # No index, find-links or editable option, and no local path: pip's configuration decides
    # where the files come from, the hashes decide whether they are accepted.
    assert re.findall(r"(?m)^[-./].*$|file://|/opt/|/tmp/|/home/|/root/", text) == []


def test_make_install_and_ci_install_from_the_lock_with_hashes():
    makefile = (ROOT / "Makefile").read_text()
    assert "pip install -q --require-hashes -r $(LOCK)" in makefile
    assert "LOCK = requirements.lock" in makefile
    assert "pip install -e" not in makefile
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make install" in ci
    assert "pip install" not in ci


def test_the_image_installs_the_runtime_packages_from_the_lock_with_hashes():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install --require-hashes -c requirements.lock -r /tmp/runtime.txt" in dockerfile
    assert "pip install --require-hashes --no-deps -r /tmp/pip.txt" in dockerfile

    spec = importlib.util.spec_from_file_location(
        "runtime_requirements", ROOT / "scripts" / "runtime-requirements.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    lock_text = LOCK.read_text(encoding="utf-8")
    pyproject_text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    runtime = [Requirement(line) for line in module.runtime_requirements(pyproject_text, lock_text)]
    locked = lock_entries()
    assert {canonicalize_name(r.name) for r in runtime} == {
        canonicalize_name(Requirement(r).name) for r in PYPROJECT["project"]["dependencies"]
    }
    for requirement in runtime:
        assert str(requirement.specifier) == f"=={locked[canonicalize_name(requirement.name)][0]}"
    assert "celery[redis]" in {f"{r.name}[{','.join(r.extras)}]" for r in runtime if r.extras}
    pip_entry = module.lock_entry(lock_text, "pip")
    assert pip_entry.startswith(f"pip=={locked['pip'][0]} \\")
    assert pip_entry.count("--hash=sha256:") == len(locked["pip"][1])
