"""The figures of the load test (benchmarks/load_test.py), from the requests it made.

Pure functions, tested in tests/test_load_test_stats.py. The locustfile writes one line
per request (``start,name,ms,ok``) to a samples file; these functions turn it into
counts, failures and percentiles per request group (pages, API reads, logins) and per
named request. Percentiles are exact (nearest rank over every request), not locust's
rounded buckets, so that a group's p95 is the p95 of all its requests, not a mix of its
members' percentiles.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

GROUPS = ("page", "api", "login")
GROUP_LABELS = {"page": "pages", "api": "API reads", "login": "logins", "all": "all requests"}
# The targets: p95 under 300 ms for pages and under 100 ms for API reads.
P95_TARGET_MS = {"page": 300.0, "api": 100.0}
SAMPLE_FIELDS = ("start", "name", "ms", "ok")


@dataclass(frozen=True)
class Sample:
    start: float  # epoch seconds when the request was sent
    name: str  # "page:/demand", "api:/api/v1/match/jobs", "login:POST /login"
    ms: float  # response time in milliseconds
    ok: bool


@dataclass(frozen=True)
class Row:
    label: str  # a group label ("pages") or a request name ("page:/demand")
    group: str  # "page", "api", "login", "all", or "other"
    count: int
    failures: int
    median: float
    p95: float
    p99: float
    max: float
    rps: float

    @property
    def target_ms(self) -> float | None:
        return P95_TARGET_MS.get(self.group)

    @property
    def meets_target(self) -> bool | None:
        target = self.target_ms
        return None if target is None else self.p95 < target


def group_of(name: str) -> str:
    """The group of a request name: the part before the first ':' when it is a known
    group ("page:/outcomes" → "page"), "other" otherwise."""
    head, sep, _rest = name.partition(":")
    return head if sep and head in GROUPS else "other"


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0..100) of ``values``: the smallest value with
    at least q % of the values at or below it. 0.0 for no values."""
    if not values:
        return 0.0
    if not 0 <= q <= 100:
        raise ValueError(f"percentile {q} is outside 0..100")
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def _row(label: str, group: str, samples: Sequence[Sample], seconds: float) -> Row:
    times = [s.ms for s in samples]
    return Row(
        label=label,
        group=group,
        count=len(samples),
        failures=sum(1 for s in samples if not s.ok),
        median=percentile(times, 50),
        p95=percentile(times, 95),
        p99=percentile(times, 99),
        max=max(times, default=0.0),
        rps=len(samples) / seconds if seconds > 0 else 0.0,
    )


def span_seconds(samples: Sequence[Sample]) -> float:
    """Seconds from the first request sent to the last answer received."""
    if not samples:
        return 0.0
    first = min(s.start for s in samples)
    last = max(s.start + s.ms / 1000 for s in samples)
    return last - first


def summarize(samples: Sequence[Sample], seconds: float | None = None) -> list[Row]:
    """One row per group present (pages, API reads, logins, then all requests), then
    one row per request name (sorted by group, then name). Requests per second are
    over ``seconds`` (default: the span of the samples)."""
    seconds = span_seconds(samples) if seconds is None else seconds
    rows: list[Row] = []
    for group in GROUPS:
        members = [s for s in samples if group_of(s.name) == group]
        if members:
            rows.append(_row(GROUP_LABELS[group], group, members, seconds))
    rows.append(_row(GROUP_LABELS["all"], "all", samples, seconds))
    by_name: dict[str, list[Sample]] = {}
    for s in samples:
        by_name.setdefault(s.name, []).append(s)
    order = {g: i for i, g in enumerate((*GROUPS, "other"))}
    for name in sorted(by_name, key=lambda n: (order[group_of(n)], n)):
        rows.append(_row(name, group_of(name), by_name[name], seconds))
    return rows


def read_samples(path: Path) -> list[Sample]:
    """The samples file the locustfile writes (CSV with a header: start,name,ms,ok)."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if tuple(reader.fieldnames or ()) != SAMPLE_FIELDS:
            raise ValueError(f"{path}: expected the columns {','.join(SAMPLE_FIELDS)}")
        return [
            Sample(float(r["start"]), r["name"], float(r["ms"]), r["ok"] == "1") for r in reader
        ]


def read_failures(path: Path) -> list[tuple[str, str, int]]:
    """(name, error, occurrences) from locust's ``PREFIX_failures.csv``."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return [(r["Name"], r["Error"], int(r["Occurrences"])) for r in csv.DictReader(f)]


def read_locust_totals(path: Path) -> dict[str, float]:
    """Locust's own "Aggregated" row of ``PREFIX_stats.csv`` (count, failures, median,
    p95, p99, max, rps), to check our figures against."""
    with path.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if r["Name"] == "Aggregated":
                return {
                    "count": float(r["Request Count"]),
                    "failures": float(r["Failure Count"]),
                    "median": float(r["Median Response Time"]),
                    "p95": float(r["95%"]),
                    "p99": float(r["99%"]),
                    "max": float(r["Max Response Time"]),
                    "rps": float(r["Requests/s"]),
                }
    raise ValueError(f"{path}: no Aggregated row")


def _ms(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def markdown_table(rows: Iterable[Row]) -> list[str]:
    """The rows as a Markdown table; group rows in bold, with the p95 target if any."""
    lines = [
        "| requests | count | failures | median ms | p95 ms | p99 ms | max ms | req/s | p95 target |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        is_group = r.label in GROUP_LABELS.values()
        label = f"**{r.label}**" if is_group else f"`{r.label}`"
        target = ""
        if is_group and r.target_ms is not None:
            target = f"< {r.target_ms:.0f} ms: {'met' if r.meets_target else '**missed**'}"
        lines.append(
            f"| {label} | {r.count:,} | {r.failures:,} | {_ms(r.median)} | {_ms(r.p95)} | "
            f"{_ms(r.p99)} | {_ms(r.max)} | {r.rps:.1f} | {target} |"
        )
    return lines


def server_group(method: str, path: str) -> str:
    """The group of a request as the server logged it (path without the query)."""
    if path in ("/login", "/logout"):
        return "login"
    if path.startswith("/api/"):
        return "api"
    return "page" if method == "GET" else "other"


def server_durations(lines: Iterable[str]) -> dict[str, list[float]]:
    """Durations (ms) the server logged per group, from its JSON request lines
    (web/request_log.py: method, path, status, duration_ms); other lines are skipped,
    and so are the probes (/health, /ready) and static files."""
    out: dict[str, list[float]] = {}
    for line in lines:
        if not line.startswith("{"):
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        path, ms = entry.get("path"), entry.get("duration_ms")
        if not isinstance(path, str) or not isinstance(ms, (int, float)):
            continue
        if path in ("/health", "/ready") or path.startswith("/static/"):
            continue
        out.setdefault(server_group(str(entry.get("method")), path), []).append(float(ms))
    return out
