"""The measuring side of `make bench`: time, peak memory and query count of one step, the
median of repeated runs for short steps, the table and ``var/bench/bench.json``.

Memory is the peak resident set size (RSS) of this process during the step, above its RSS
when the step started: a thread reads ``/proc/self/statm`` every 10 ms. It counts what the
step takes from the machine, C libraries included (psycopg2's result buffers, lxml, zip),
and costs the step nothing measurable; tracemalloc would slow the step it measures several
times and miss C allocations, and ru_maxrss only moves when the process passes its earlier
peak, so every step after the largest would read 0. Where ``/proc`` is absent it is null.
"""

from __future__ import annotations

import json
import os
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
STATM = Path("/proc/self/statm")


def rss_mb() -> float | None:
    """Resident set size of this process now, in MB (None where /proc is absent)."""
    try:
        return int(STATM.read_text().split()[1]) * PAGE_SIZE / 1024 / 1024
    except (OSError, IndexError, ValueError):
        return None


class PeakRss:
    """Samples RSS in a thread while the block runs; ``peak_mb`` is the growth above start."""

    def __init__(self, interval: float = 0.01) -> None:
        self.interval = interval
        self.start: float | None = None
        self.peak: float | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> PeakRss:
        self.start = self.peak = rss_mb()
        if self.start is not None:
            self._thread = threading.Thread(target=self._sample, daemon=True)
            self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(self.interval):
            now = rss_mb()
            if now is not None and self.peak is not None and now > self.peak:
                self.peak = now

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        now = rss_mb()
        if now is not None and self.peak is not None:
            self.peak = max(self.peak, now)

    @property
    def peak_mb(self) -> float | None:
        if self.start is None or self.peak is None:
            return None
        return round(self.peak - self.start, 1)


class QueryCounter:
    """Counts the statements this thread's connection runs, without keeping their text (a
    60,000-appraisal step runs hundreds of thousands)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        self.count += 1
        return execute(sql, params, many, context)


@dataclass
class Run:
    """One measured run: wall seconds, peak MB (RSS growth), statements."""

    seconds: float
    peak_mb: float | None
    queries: int
    result: Any = None


def measure_once(fn: Callable[[], Any]) -> Run:
    counter = QueryCounter()
    with PeakRss() as memory, connection.execute_wrapper(counter):
        started = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - started
    return Run(seconds=seconds, peak_mb=memory.peak_mb, queries=counter.count, result=result)


@dataclass
class Step:
    """A step's row in the table and in bench.json."""

    name: str
    seconds: float
    peak_mb: float | None = None
    queries: int | None = None
    reference_seconds: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if not self.reference_seconds:
            return None
        return round(self.seconds / self.reference_seconds, 2)

    def as_json(self) -> dict[str, Any]:
        return {
            "seconds": round(self.seconds, 4),
            "peak_mb": self.peak_mb,
            "queries": self.queries,
            "reference_seconds": (
                None if self.reference_seconds is None else round(self.reference_seconds, 4)
            ),
            "ratio": self.ratio,
            **self.extra,
        }


@dataclass
class Bench:
    """What every step function receives: the options, the data the earlier steps left
    (``state``), and :meth:`measure` / :meth:`repeat` / :meth:`record` to report."""

    employees: int
    agencies: int
    small: int
    repeat_count: int
    short_seconds: float
    write: Callable[[str], None]
    steps: list[Step] = field(default_factory=list)
    state: dict[str, Any] = field(default_factory=dict)

    def record(self, step: Step) -> Step:
        if any(s.name == step.name for s in self.steps):
            raise ValueError(f"two steps named {step.name}")
        self.steps.append(step)
        shown = "-" if step.peak_mb is None else f"{step.peak_mb:.1f}"
        self.write(f"  {step.name}: {step.seconds:.3f} s, {shown} MB, {step.queries} query")
        return step

    def measure(
        self,
        name: str,
        fn: Callable[[], Any],
        *,
        reference: Callable[[], Any] | None = None,
        repeatable: bool = False,
        note: Callable[[Any], str] | str = "",
    ) -> Step:
        """Time ``fn`` once; a ``repeatable`` step shorter than ``short_seconds`` runs
        ``repeat_count`` times and reports the median (its peak and queries: of the median
        run). ``reference`` is timed the same way; the ratio is step / reference."""
        runs = self._runs(fn, repeatable=repeatable)
        chosen = _median_run(runs)
        extra: dict[str, Any] = {"runs": len(runs)}
        if len(runs) > 1:
            extra["min_seconds"] = round(min(r.seconds for r in runs), 4)
        reference_seconds = None
        if reference is not None:
            reference_runs = self._runs(reference, repeatable=repeatable)
            reference_seconds = statistics.median(r.seconds for r in reference_runs)
            extra["reference_peak_mb"] = _median_run(reference_runs).peak_mb
        text = note(chosen.result) if callable(note) else note
        if text:
            extra["note"] = text
        return self.record(
            Step(name=name, seconds=chosen.seconds, peak_mb=chosen.peak_mb,
                 queries=chosen.queries, reference_seconds=reference_seconds, extra=extra)
        )  # fmt: skip

    def _runs(self, fn: Callable[[], Any], *, repeatable: bool) -> list[Run]:
        runs = [measure_once(fn)]
        if repeatable and runs[0].seconds < self.short_seconds:
            runs += [measure_once(fn) for _ in range(self.repeat_count - 1)]
        return runs

    def samples(self, name: str, fn: Callable[[], Any], *, warm: int = 1) -> Step:
        """A page: ``warm`` unmeasured runs, then ``repeat_count`` runs; median and p95 in ms
        ("seconds" is the median in seconds), queries of the last run."""
        for _ in range(warm):
            fn()
        runs = [measure_once(fn) for _ in range(self.repeat_count)]
        times = sorted(r.seconds for r in runs)
        median = statistics.median(times)
        extra: dict[str, Any] = {
            "median_ms": round(median * 1000, 1),
            "p95_ms": round(percentile(times, 95) * 1000, 1),
            "runs": len(runs),
        }
        statuses = {r.result for r in runs if r.result is not None}
        if statuses:
            extra["note"] = "HTTP " + ", ".join(str(s) for s in sorted(statuses))
        return self.record(
            Step(name=name, seconds=median, peak_mb=max_or_none(r.peak_mb for r in runs),
                 queries=runs[-1].queries, extra=extra)
        )  # fmt: skip


def _median_run(runs: list[Run]) -> Run:
    ordered = sorted(runs, key=lambda r: r.seconds)
    return ordered[(len(ordered) - 1) // 2]


def percentile(ordered: list[float], pct: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not ordered:
        raise ValueError("no samples")
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def max_or_none(values: Iterator[float | None] | Any) -> float | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


def load_average() -> list[float]:
    try:
        return [round(v, 2) for v in os.getloadavg()]
    except OSError:
        return []


@contextmanager
def timed_phase(write: Callable[[str], None], title: str) -> Iterator[None]:
    write(f"== {title}")
    started = time.perf_counter()
    yield
    write(f"   ({time.perf_counter() - started:.1f} s)")


def write_json(path: Path, bench: Bench, load: dict[str, list[float]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"steps": {step.name: step.as_json() for step in bench.steps}, "load": load}
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def table(bench: Bench) -> str:
    header = (
        f"{'Langkah':<44} {'detik':>9} {'p95 ms':>8} {'MB':>7} {'query':>8} "
        f"{'rujukan':>8} {'rasio':>6}  catatan"
    )
    lines = [header, "-" * len(header)]
    for step in bench.steps:
        p95 = step.extra.get("p95_ms")
        lines.append(
            f"{step.name:<44} {step.seconds:>9.3f} {'-' if p95 is None else f'{p95:.0f}':>8} "
            f"{'-' if step.peak_mb is None else f'{step.peak_mb:.1f}':>7} "
            f"{'-' if step.queries is None else step.queries:>8} "
            f"{'-' if step.reference_seconds is None else f'{step.reference_seconds:.2f}':>8} "
            f"{'-' if step.ratio is None else f'{step.ratio:.1f}':>6}  {step.extra.get('note', '')}"
        )
    return "\n".join(lines)
