"""The production image's packages: the runtime dependencies of pyproject.toml (without the
``dev`` extra), each pinned at its version in requirements.lock, one a line::

    python scripts/runtime-requirements.py > runtime.txt
    pip install --require-hashes -c requirements.lock -r runtime.txt

pip (26 or newer) takes the hashes of every file it downloads, dependencies included, from the
lock given as constraints, so the image and ``make install`` share one hashed lock. With
``--pip`` the script prints the lock's entry for pip itself, hashes included, to install that
pip first. Standard library only: it runs before anything is installed.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
PYPROJECT = ROOT / "pyproject.toml"

_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*([^;]*)(;.*)?$")
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", re.M)


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked_versions(lock_text: str) -> dict[str, str]:
    return {normalized(name): version for name, version in _PIN.findall(lock_text)}


def lock_entry(lock_text: str, name: str) -> str:
    """The lines of one pinned package: ``name==version \\`` and its ``--hash`` lines."""
    lines = lock_text.splitlines()
    for i, line in enumerate(lines):
        match = _PIN.match(line)
        if match and normalized(match.group(1)) == normalized(name):
            end = i
            while lines[end].endswith("\\"):
                end += 1
            return "\n".join(lines[i : end + 1])
    raise SystemExit(f"{name} is not pinned in {LOCK.name}: run make lock")


def runtime_requirements(pyproject_text: str, lock_text: str) -> list[str]:
    versions = locked_versions(lock_text)
    pinned = []
    for requirement in tomllib.loads(pyproject_text)["project"]["dependencies"]:
        name, extras, _specifier, marker = _REQUIREMENT.match(requirement).groups()
        version = versions.get(normalized(name))
        if version is None:
            raise SystemExit(f"{name} is not pinned in {LOCK.name}: run make lock")
        pinned.append(f"{normalized(name)}{extras or ''}=={version}{marker or ''}")
    return pinned


def main(argv: list[str]) -> None:
    lock_text = LOCK.read_text(encoding="utf-8")
    if argv == ["--pip"]:
        print(lock_entry(lock_text, "pip"))
    elif not argv:
        print("\n".join(runtime_requirements(PYPROJECT.read_text(encoding="utf-8"), lock_text)))
    else:
        raise SystemExit(f"usage: {Path(__file__).name} [--pip]")


if __name__ == "__main__":
    main(sys.argv[1:])
