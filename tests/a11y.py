"""The accessibility check: axe-core in every page a role reaches, at desktop and phone width.

axe-core comes from the npm registry (`package.json`, installed by `make a11y` and `make test`
into the gitignored `node_modules/`); Playwright injects it into the pages under test, so the
portal never serves or fetches it. A page passes when axe-core reports no violation of impact
serious or critical under WCAG 2.1 A/AA and axe-core's best practices.

The pages are not a hand list: `Crawler` starts where a role lands and follows every link and
every htmx GET it finds, so a new page is checked as soon as a page links to it; a form that
posts to its own page is also submitted empty once, to check how its errors are announced.
`unreached_pages` then lists the portal's URL patterns that no crawl reached.
"""

from __future__ import annotations

import functools
import os
import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

ROOT = Path(__file__).resolve().parent.parent
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = ("serious", "critical")
VIEWPORTS = {"1280px": {"width": 1280, "height": 900}, "390px": {"width": 390, "height": 844}}
# Not pages of the portal: Django's admin (superusers only), static files, the language switch.
NOT_PAGES = ("/admin/", "/static/", "/i18n/", "/jsi18n/")
# The portal's own views, whose every page must be reached; plus the public account pages.
PORTAL_APPS = ("agencies.", "indicators.", "appraisals.", "feedback.", "reports.")
PUBLIC_PAGES = ("account_login", "account_reset_password")
# An object page (a URL with arguments, such as one appraisal) is opened up to this many
# times per role and scheme, and checked again whenever it shows other forms or sections.
INSTANCES_PER_OBJECT_PAGE = 2

RUN_AXE = """async () => {
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const options = {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    resultTypes: ["violations"],
  };
  let result;
  try {
    result = await axe.run(document, options);
  } catch (error) {  // an htmx poll swapped part of the page mid-run: once more
    await new Promise((done) => setTimeout(done, 200));
    result = await axe.run(document, options);
  }
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length,
    target: v.nodes.length ? v.nodes[0].target.join(" ") : "",
  }));
}"""


class PageOutline(HTMLParser):
    """What the crawl needs of a page's HTML: its links and htmx GETs, and its shape inside
    <main> (form actions, field names, data-testid values and h2 headings, numbers left out:
    they are ids and counts). Two pages of one URL pattern with one shape are one page."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.forms: list[tuple[str, str]] = []  # (method, action)
        self.parts: set[str] = set()
        self._in_main = self._in_h2 = False
        self._h2 = ""

    @staticmethod
    def _bare(text: str) -> str:
        return re.sub(r"[0-9]+", "", text).strip()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if href := a.get("hx-get") or (a.get("href") if tag == "a" else None):
            self.links.append(href)
        if tag == "main":
            self._in_main = True
        if not self._in_main:
            return
        if tag == "form":
            self.forms.append(((a.get("method") or "get").lower(), a.get("action") or ""))
        if tag in ("input", "select", "textarea") and a.get("name"):
            self.parts.add("field:" + self._bare(a["name"]))
        if "data-testid" in a:
            self.parts.add("part:" + self._bare(a["data-testid"] or ""))
        if tag == "h2":
            self._in_h2, self._h2 = True, ""

    def handle_endtag(self, tag):
        if tag == "main":
            self._in_main = False
        if tag == "h2" and self._in_h2:
            self._in_h2 = False
            self.parts.add("h2:" + self._bare(self._h2))

    def handle_data(self, data):
        if self._in_h2:
            self._h2 += data


# The index of the first form in <main> that posts back to its own page.
SELF_POSTING_FORM = """() => Array.from(document.querySelectorAll("main form")).findIndex((f) =>
  (f.method || "").toLowerCase() === "post" &&
  f.action.split("?")[0] === location.href.split("?")[0].split("#")[0])"""

# Empty the form's fields and submit it; a form that htmx posts resolves once htmx has
# swapped the answer in, any other is followed by a page load.
SUBMIT_EMPTY = """(index) => {
  const form = document.querySelectorAll("main form")[index];
  form.noValidate = true;
  form.querySelectorAll("input, textarea, select").forEach((el) => {
    if (["hidden", "submit", "button", "checkbox", "radio"].includes(el.type)) return;
    if (el.tagName === "SELECT") { el.selectedIndex = -1; } else { el.value = ""; }
  });
  const button = form.querySelector("button[type=submit], button:not([type]), input[type=submit]");
  const settled = form.matches("[hx-post]") ? new Promise((done) =>
    document.addEventListener("htmx:afterSettle", () => done(true), {once: true})) : false;
  button ? button.click() : form.requestSubmit();
  return settled;
}"""

ERRORS_ANNOUNCED = """() => {
  const problems = [];
  const summary = document.querySelector("[data-error-summary]");
  const invalid = Array.from(document.querySelectorAll("[aria-invalid=true]"));
  const shown = document.querySelectorAll(".invalid-feedback, .errorlist, .text-danger").length;
  if (!summary && (invalid.length || shown)) problems.push("errors shown without an error summary");
  if (summary && document.activeElement !== summary) problems.push("the error summary is not focused");
  for (const el of invalid) {
    // A group of checkboxes names its error on the group.
    const owner = el.hasAttribute("aria-describedby") ? el : el.closest("fieldset, [role=group]") || el;
    const ids = (owner.getAttribute("aria-describedby") || "").split(/\\s+/).filter(Boolean);
    const text = ids.map((id) => (document.getElementById(id) || {}).textContent || "").join("");
    if (!text.trim()) problems.push(`#${el.id} is invalid but aria-describedby names no error text`);
  }
  return {problems, summary: !!summary};
}"""


def axe_source() -> Path:
    """The axe-core script; skips (fails in CI) when `make a11y` has not installed it."""
    if not AXE_JS.exists():
        message = f"{AXE_JS} is missing: `make a11y` installs axe-core (npm ci)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE_JS


# A chart (a canvas, or an svg drawn as an image) needs its figures as a text table in the
# same figure, section or card: axe-core cannot read a chart, and neither can a screen reader.
CHARTS_WITHOUT_TABLE = """() => Array.from(document.querySelectorAll(
    "main canvas, main svg[role=img], main figure svg"))
  .filter((chart) => {
    const box = chart.closest("figure, section, .card") || chart.parentElement;
    return !box.querySelector("table");
  })
  .map((chart) => chart.id || chart.getAttribute("aria-label") || chart.tagName.toLowerCase())"""


# A data table has header cells (axe-core checks them only in tables it takes for data).
TABLES_WITHOUT_HEADERS = """() => Array.from(document.querySelectorAll("main table"))
  .filter((table) => !table.querySelector("th"))
  .map((table) => table.dataset.testid || table.id || "table")"""


@functools.cache
def _axe_script() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def inject_axe(page) -> None:
    """Load axe-core into the page as it is (not into the pages it navigates to later)."""
    if not page.evaluate("() => !!window.axe"):
        page.evaluate(_axe_script())


def axe_failures(page, where: str) -> list[str]:
    """Serious and critical violations on the page as it is, at both widths, one line each:
    rule, impact, first selector and where; then charts without a text table and tables
    without header cells."""
    failures = []
    for width, size in VIEWPORTS.items():
        page.set_viewport_size(size)
        for v in page.evaluate(RUN_AXE):
            if v["impact"] in FAILING_IMPACTS:
                failures.append(
                    f"{v['id']} ({v['impact']}, {v['nodes']} nodes) first at `{v['target']}` "
                    f"on {where} at {width}: {v['help']}"
                )
    page.set_viewport_size(VIEWPORTS["1280px"])
    failures += [
        f"chart `{c}` without a text table on {where}" for c in page.evaluate(CHARTS_WITHOUT_TABLE)
    ]
    failures += [
        f"table `{t}` without header cells on {where}"
        for t in page.evaluate(TABLES_WITHOUT_HEADERS)
    ]
    return failures


def resolved(path: str):
    """The URL match of a portal path, or None for what is not a page of the portal."""
    if path.startswith(NOT_PAGES):
        return None
    try:
        return resolve(path)
    except Resolver404:
        return None


def portal_routes() -> dict[str, str]:
    """Every named URL pattern of the portal's own apps and the public account pages, as
    URL name → full route."""
    found: dict[str, str] = {}

    def walk(patterns, prefix: str):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif (
                isinstance(p, URLPattern)
                and p.name
                and (p.callback.__module__.startswith(PORTAL_APPS) or p.name in PUBLIC_PAGES)
            ):
                found.setdefault(p.name, prefix + str(p.pattern))

    walk(get_resolver().url_patterns, "")
    return found


def dummy_path(route: str) -> str:
    """A path of the route with made-up arguments (0 for numbers, `x` for text)."""
    return "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: "0" if m[1] == "int" else "x", route)


@dataclass
class Report:
    """What the crawls found: pages checked (URL name → who), downloads, forms probed, page
    shapes already checked (by anyone), and every failure."""

    checked: dict[str, set[str]] = field(default_factory=dict)
    downloads: set[str] = field(default_factory=set)
    probed: set[str] = field(default_factory=set)
    shapes: set[tuple] = field(default_factory=set)
    failures: list[str] = field(default_factory=list)

    def check(self, page, name: str, who: str) -> None:
        print(f"axe-core: {urlsplit(page.url).path} ({name}) as {who}")  # shown on a failure
        self.checked.setdefault(name, set()).add(who)
        self.failures += axe_failures(page, f"{urlsplit(page.url).path} ({name}) as {who}")

    def check_errors_announced(self, page, name: str, who: str) -> bool:
        """After a failed submit: the summary has focus, each invalid field names its error."""
        result = page.evaluate(ERRORS_ANNOUNCED)
        where = f"{urlsplit(page.url).path} ({name}) as {who} after a failed submit"
        self.failures += [f"{problem} on {where}" for problem in result["problems"]]
        if result["summary"]:
            self.failures += axe_failures(page, where)
        return result["summary"]


class Crawler:
    """Breadth-first crawl of what one user reaches. Pages are fetched over HTTP with the
    browser's cookies; one opens in the browser, for axe-core, only when its shape is new to
    the whole report, so the same page seen by another role is not checked twice."""

    def __init__(self, page, base: str, report: Report, *, who: str):
        self.page, self.base, self.report, self.who = page, base, report, who
        self.opened: dict[tuple, int] = {}

    def _paths(self, url: str, hrefs: list[str]) -> list[str]:
        """Same-site paths (with query) of the hrefs of the page at ``url``."""
        found = []
        for href in hrefs:
            if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
                continue
            target = urlsplit(urljoin(url, href))
            if f"{target.scheme}://{target.netloc}" == self.base:
                found.append(target.path + (f"?{target.query}" if target.query else ""))
        return found

    def run(self, *starts: str, variant: str = "", label: str = "") -> None:
        """Fetch, follow and (when new) check each page from ``starts``. Per ``variant``
        (e.g. the user's scheme preset) a list page is fetched once and an object page (a URL
        with arguments) up to INSTANCES_PER_OBJECT_PAGE times. A link that answers an error
        status is a failure: a page must not offer what the user may not open."""
        who = f"{self.who} ({label})" if label else self.who
        queue = deque(starts)
        while queue:
            path = queue.popleft()
            match = resolved(urlsplit(path).path)
            if match is None:
                continue
            key = (match.view_name, variant)
            limit = INSTANCES_PER_OBJECT_PAGE if match.kwargs else 1
            if self.opened.get(key, 0) >= limit:
                continue
            self.opened[key] = self.opened.get(key, 0) + 1
            response = self.page.request.get(self.base + path)
            if response.status >= 400:
                self.report.failures.append(
                    f"{path} ({match.view_name}) answers {response.status} to {who}"
                )
                continue
            if not response.headers.get("content-type", "").startswith("text/html"):
                self.report.downloads.add(match.view_name)
                continue
            final = resolved(urlsplit(response.url).path)  # after a redirect
            name = final.view_name if final else match.view_name
            outline = PageOutline()
            outline.feed(response.text())
            queue.extend(self._paths(response.url, outline.links))
            forms = tuple(
                sorted(
                    {
                        (m, getattr(resolved(urlsplit(a).path), "view_name", a))
                        for m, a in outline.forms
                    }
                )
            )
            shape = (name, forms, tuple(sorted(outline.parts)))
            if shape in self.report.shapes:
                continue
            self.report.shapes.add(shape)
            self.page.goto(response.url)
            inject_axe(self.page)
            self.report.check(self.page, name, who)
            own_page = urlsplit(response.url).path
            if any(
                m == "post" and urlsplit(urljoin(response.url, a)).path == own_page
                for m, a in outline.forms
            ):
                self.probe_form(name, who)

    def probe_form(self, name: str, who: str) -> None:
        """Submit the page's own form empty, once per URL pattern, and check the answer."""
        if name in self.report.probed:
            return
        index = self.page.evaluate(SELF_POSTING_FORM)
        if index < 0:
            return
        self.report.probed.add(name)
        htmx = self.page.evaluate(
            "(i) => document.querySelectorAll('main form')[i].matches('[hx-post]')", index
        )
        if htmx:
            self.page.evaluate(SUBMIT_EMPTY, index)
        else:
            with self.page.expect_navigation():
                self.page.evaluate(SUBMIT_EMPTY, index)
        inject_axe(self.page)
        self.report.check_errors_announced(self.page, name, who)


def unreached_pages(report: Report, client) -> list[str]:
    """URL patterns of the portal that no crawl checked or downloaded, other than POST-only
    ones (a GET with made-up arguments answers 405) and probes that are not HTML."""
    missing = []
    done = set(report.checked) | report.downloads
    for name, route in sorted(portal_routes().items()):
        if name in done:
            continue
        response = client.get(dummy_path(route))
        if response.status_code == 405:
            continue
        if response.status_code == 200 and "text/html" not in response.get("Content-Type", ""):
            continue
        missing.append(f"{name} (/{route}) is reached by no demo role")
    return missing
