"""The figures the load test writes (benchmarks/load_stats.py): groups, exact
percentiles, rates and the table, from samples and locust CSV files written here."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("load_stats", BENCHMARKS / "load_stats.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("load_stats", module)
    spec.loader.exec_module(module)
    return module


ls = _load()


def _samples(name: str, times: list[float], *, start: float = 1000.0, failed: int = 0) -> list[Any]:
    return [ls.Sample(start + i * 0.1, name, ms, ok=i >= failed) for i, ms in enumerate(times)]


def test_groups_come_from_the_name_prefix() -> None:
    assert ls.group_of("page:/library/resources/[id]") == "page"
    assert ls.group_of("api:/api/v1/match/jobs") == "api"
    assert ls.group_of("login:POST /login") == "login"
    assert ls.group_of("/health") == "other"
    assert ls.group_of("static:/x") == "other"


def test_nearest_rank_percentiles() -> None:
    values = [float(v) for v in range(1, 101)]  # 1..100
    assert ls.percentile(values, 50) == 50.0
    assert ls.percentile(values, 95) == 95.0
    assert ls.percentile(values, 99) == 99.0
    assert ls.percentile(values, 100) == 100.0
    assert ls.percentile(list(reversed(values)), 95) == 95.0  # order does not matter
    assert ls.percentile([7.0, 3.0], 50) == 3.0
    assert ls.percentile([7.0, 3.0], 51) == 7.0
    assert ls.percentile([], 95) == 0.0
    with pytest.raises(ValueError):
        ls.percentile(values, 101)


def test_a_group_p95_is_over_all_its_requests_not_a_mix_of_its_members() -> None:
    # 90 fast requests of one page and 10 slow ones of another: the members' own p95s
    # are 10 ms and 1,000 ms, the group's is 1,000 ms (its 95th request is a slow one).
    fast = _samples("page:/demand", [10.0] * 90)
    slow = _samples("page:/outcomes", [1000.0] * 10)
    api = _samples("api:/api/v1/demand/totals", [float(v) for v in range(1, 21)], failed=2)
    rows = {r.label: r for r in ls.summarize(fast + slow + api, seconds=10.0)}
    pages = rows["pages"]
    assert (pages.count, pages.failures, pages.median, pages.p95, pages.max) == (
        100, 0, 10.0, 1000.0, 1000.0,
    )  # fmt: skip
    assert pages.rps == pytest.approx(10.0)
    assert pages.meets_target is False  # 1,000 ms against < 300 ms
    assert rows["page:/demand"].p95 == 10.0
    assert rows["page:/outcomes"].p95 == 1000.0
    reads = rows["API reads"]
    assert (reads.count, reads.failures, reads.p95, reads.p99) == (20, 2, 19.0, 20.0)
    assert reads.meets_target is True  # 19 ms against < 100 ms
    everything = rows["all requests"]
    assert everything.count == 120 and everything.failures == 2
    assert "logins" not in rows  # no group row without requests


def test_row_order_groups_first_then_names_by_group() -> None:
    samples = (
        _samples("login:POST /login", [100.0])
        + _samples("api:/api/v1/postings", [5.0])
        + _samples("page:/outcomes", [50.0])
        + _samples("page:/demand", [40.0])
    )
    labels = [r.label for r in ls.summarize(samples, seconds=1.0)]
    assert labels == [
        "pages", "API reads", "logins", "all requests",
        "page:/demand", "page:/outcomes", "api:/api/v1/postings", "login:POST /login",
    ]  # fmt: skip


def test_rate_defaults_to_the_span_from_first_request_to_last_answer() -> None:
    samples = [ls.Sample(100.0, "api:/a", 500.0, True), ls.Sample(103.0, "api:/a", 1000.0, True)]
    assert ls.span_seconds(samples) == pytest.approx(4.0)  # 100.0 → 103.0 + 1.0
    (api, *_rest) = ls.summarize(samples)
    assert api.rps == pytest.approx(0.5)


def test_reads_the_samples_file_and_locust_csvs(tmp_path: Path) -> None:
    samples = tmp_path / "samples.csv"
    samples.write_text(
        "start,name,ms,ok\n1.5,page:/demand,12.25,1\n2.0,api:/api/v1/postings,3.00,0\n",
        encoding="utf-8",
    )
    assert ls.read_samples(samples) == [
        ls.Sample(1.5, "page:/demand", 12.25, True),
        ls.Sample(2.0, "api:/api/v1/postings", 3.0, False),
    ]
    (tmp_path / "bad.csv").write_text("name,ms\nx,1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="columns"):
        ls.read_samples(tmp_path / "bad.csv")

    failures = tmp_path / "locust_failures.csv"
    failures.write_text(
        'Method,Name,Error,Occurrences\nGET,page:/outcomes,"HTTP 500",3\n', encoding="utf-8"
    )
    assert ls.read_failures(failures) == [("page:/outcomes", "HTTP 500", 3)]
    assert ls.read_failures(tmp_path / "missing.csv") == []

    stats = tmp_path / "locust_stats.csv"
    header = ("Type,Name,Request Count,Failure Count,Median Response Time,"
              "Average Response Time,Min Response Time,Max Response Time,Average Content Size,"
              "Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%")  # fmt: skip
    stats.write_text(
        header
        + "\nGET,page:/demand,10,0,40,45,5,300,1000,1.0,0.0,40,50,60,70,80,90,95,99,300,300,300"
        "\n,Aggregated,20,1,42,50,5,310,900,2.0,0.1,42,50,60,70,80,91,96,100,310,310,310\n",
        encoding="utf-8",
    )
    totals = ls.read_locust_totals(stats)
    assert totals == {"count": 20.0, "failures": 1.0, "median": 42.0, "p95": 91.0,
                      "p99": 100.0, "max": 310.0, "rps": 2.0}  # fmt: skip


def test_table_marks_targets_met_and_missed() -> None:
    rows = ls.summarize(
        _samples("page:/demand", [400.0] * 20) + _samples("api:/api/v1/postings", [20.0] * 20),
        seconds=4.0,
    )
    lines = ls.markdown_table(rows)
    assert lines[0].startswith("| requests | count | failures | median ms | p95 ms |")
    by_label = {line.split(" | ")[0]: line for line in lines[2:]}
    assert by_label["| **pages**"].endswith("| 5.0 | < 300 ms: **missed** |")
    assert "| 400 | 400 | 400 | 400 |" in by_label["| **pages**"]
    assert by_label["| **API reads**"].endswith("| < 100 ms: met |")
    assert by_label["| `page:/demand`"].endswith("| 5.0 |  |")  # no target on one request


def test_server_durations_group_the_servers_request_lines() -> None:
    lines = [
        "INFO:     Started server process [12]",
        '{"message": "request", "method": "GET", "path": "/demand", "status": 200, "duration_ms": 41.5}',
        '{"message": "request", "method": "GET", "path": "/api/v1/postings", "duration_ms": 12}',
        '{"message": "request", "method": "POST", "path": "/login", "duration_ms": 210.0}',
        '{"message": "request", "method": "GET", "path": "/login", "duration_ms": 3.0}',
        '{"message": "request", "method": "GET", "path": "/health", "duration_ms": 1.0}',
        '{"message": "request", "method": "GET", "path": "/static/app.css", "duration_ms": 1.0}',
        '{"message": "could not read", "level": "WARNING"}',
        "{not json",
    ]
    assert ls.server_durations(lines) == {
        "page": [41.5],
        "api": [12.0],
        "login": [210.0, 3.0],
    }
    assert ls.server_group("POST", "/library/upload") == "other"
