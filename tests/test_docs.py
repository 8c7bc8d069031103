"""The documentation in docs/ stays true: every `explain_score` example prints what the page
shows, the example import files import, every relative link points at a file of the
repository, and no tracked file points outside it.

An `explain_score` example is marked in the Markdown by a comment line, then a fenced ``json``
block (the input) and a fenced ``text`` block (the expected output)::

    <!-- explain_score example -->           exit 0, the text is standard output
    <!-- explain_score invalid example -->   exit 1, the text is standard error

An import example (docs/imports.md) is a comment line and a fenced ``csv`` block, imported in
the order of the page; an invalid one is followed by a ``text`` block of its standard error::

    <!-- import example: <kind> -->
    <!-- import invalid example: <kind> -->
"""

from __future__ import annotations

import io
import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command

from indicators.schemes import SCHEMES

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
EXAMPLE_PAGES = ("explain_score.md", "scoring.md")

_MARKER = re.compile(r"^<!-- explain_score (invalid )?example -->$")
_FENCE = re.compile(r"^```(\w*)$")


@dataclass(frozen=True)
class Example:
    page: str
    line: int
    invalid: bool
    source: str
    expected: str

    @property
    def id(self) -> str:
        return f"{self.page}:{self.line}"


def _fenced_blocks(lines: list[str], start: int):
    """(language, text, index after the block) of each fenced block from ``start`` on."""
    i = start
    while i < len(lines):
        opening = _FENCE.match(lines[i])
        if opening and opening.group(1):
            end = lines.index("```", i + 1)
            yield opening.group(1), "\n".join(lines[i + 1 : end]), end + 1
            i = end + 1
        else:
            i += 1


def examples_of(page: str) -> list[Example]:
    lines = (DOCS / page).read_text(encoding="utf-8").splitlines()
    found = []
    for number, line in enumerate(lines):
        marker = _MARKER.match(line.strip())
        if not marker:
            continue
        blocks = _fenced_blocks(lines, number + 1)
        (lang_in, source, _), (lang_out, expected, _) = next(blocks), next(blocks)
        assert (lang_in, lang_out) == ("json", "text"), f"{page}:{number + 1}"
        found.append(Example(page, number + 1, bool(marker.group(1)), source, expected))
    return found


EXAMPLES = [example for page in EXAMPLE_PAGES for example in examples_of(page)]


def explain(path: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("explain_score", str(path), stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_each_page_has_one_example_per_preset():
    for page in EXAMPLE_PAGES:
        schemes = [
            json.loads(e.source)["skema"] for e in EXAMPLES if e.page == page and not e.invalid
        ]
        assert sorted(schemes) == sorted(SCHEMES), page


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.id)
def test_the_documented_output_is_what_explain_score_prints(example, tmp_path):
    path = tmp_path / "penilaian.json"
    path.write_text(example.source, encoding="utf-8")
    status, out, err = explain(path)
    if example.invalid:
        assert (status, out) == (1, "")
        assert err.rstrip("\n") == example.expected
    else:
        assert (status, err) == (0, "")
        printed = out.rstrip("\n").splitlines()
        documented = example.expected.splitlines()
        # The contract lines first, for a readable failure; then the whole text.
        assert printed[-1] == documented[-1]
        if printed[-2].startswith("Nilai akhir: "):
            assert printed[-2] == documented[-2]
        assert printed == documented


# --- import files ------------------------------------------------------------------------------

_IMPORT_MARKER = re.compile(r"^<!-- import (invalid )?example: (\w+) -->$")


def import_examples() -> list[tuple[int, bool, str, str, str]]:
    """(line, invalid, kind, file text, expected standard error) in the order of the page."""
    lines = (DOCS / "imports.md").read_text(encoding="utf-8").splitlines()
    found = []
    for number, line in enumerate(lines):
        marker = _IMPORT_MARKER.match(line.strip())
        if not marker:
            continue
        blocks = _fenced_blocks(lines, number + 1)
        lang, content, _ = next(blocks)
        assert lang == "csv", f"imports.md:{number + 1}"
        expected = ""
        if marker.group(1):
            lang, expected, _ = next(blocks)
            assert lang == "text", f"imports.md:{number + 1}"
        found.append((number + 1, bool(marker.group(1)), marker.group(2), content, expected))
    return found


def run_import_command(kind: str, path: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(f"import_{kind}", str(path), "--region", "3201", stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_the_example_import_files_import_in_order_and_the_bad_one_reports_its_errors(tmp_path):
    examples = import_examples()
    kinds = [kind for _line, invalid, kind, _content, _expected in examples if not invalid]
    assert kinds == [
        "agencies", "units", "positions", "employees", "indicators", "attendance", "discipline",
    ]  # fmt: skip
    assert any(invalid for _line, invalid, *_rest in examples)
    for line, invalid, kind, content, expected in examples:
        path = tmp_path / f"{kind}-{line}.csv"
        path.write_text(content + "\n", encoding="utf-8")
        status, out, err = run_import_command(kind, path)
        if invalid:
            assert (status, out) == (1, ""), f"imports.md:{line}"
            assert err.rstrip("\n") == expected, f"imports.md:{line}"
        else:
            assert (status, err) == (0, ""), f"imports.md:{line}: {err}"
            assert out.startswith("Impor selesai: "), f"imports.md:{line}"


# --- links -------------------------------------------------------------------------------------

_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.S)


def markdown_pages() -> list[Path]:
    return [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]


def relative_links(page: Path) -> list[str]:
    """Targets of the page's Markdown links, without web addresses; ``#x`` means this page."""
    text = _CODE.sub("", page.read_text(encoding="utf-8"))
    links = []
    for target in _LINK.findall(text):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):
            continue  # http(s), mailto: not a file of the repository
        links.append(page.name + target if target.startswith("#") else target)
    return links


def anchors(page: Path) -> set[str]:
    """The anchors the forges generate for a page's headings (lowercase, punctuation dropped,
    spaces as hyphens)."""
    headings = re.findall(r"^#+ (.+)$", page.read_text(encoding="utf-8"), re.M)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


def test_docs_has_an_index_that_links_every_page():
    index = relative_links(DOCS / "README.md")
    pages = {p.name for p in DOCS.glob("*.md")} - {"README.md"}
    assert pages <= set(index)


def _broken(page: Path, link: str) -> bool:
    path, _, anchor = link.partition("#")
    target = (page.parent / path).resolve()
    if not target.exists() or not target.is_relative_to(ROOT):
        return True
    return bool(anchor) and target.suffix == ".md" and anchor not in anchors(target)


@pytest.mark.parametrize("doc", markdown_pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_points_at_a_file_that_exists(doc):
    assert [link for link in relative_links(doc) if _broken(doc, link)] == []


# --- nothing points outside the repository ---------------------------------------------------

# Built from pieces so that this file does not match itself (nor a `git grep` for them).
_OUTSIDE_TEXTS = ("../" + "shared", "DESIGN" + ".md", "STYLE" + ".md")
_ISSUE_REFERENCE = re.compile(r"\bissue\s+#?[0-9]", re.IGNORECASE)
_NOT_CHECKED: tuple[str, ...] = ()


def tracked_text_files() -> list[Path]:
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    paths = []
    for name in listed.decode("utf-8").split("\0"):
        if not name or name in _NOT_CHECKED or Path(name).name.upper().startswith("CHANGELOG"):
            continue
        paths.append(ROOT / name)
    return paths


def test_no_tracked_file_points_outside_the_repository():
    found = []
    for path in tracked_text_files():
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
            continue  # binary, or deleted in the work tree
        for number, line in enumerate(text.splitlines(), start=1):
            if any(t in line for t in _OUTSIDE_TEXTS) or _ISSUE_REFERENCE.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []
