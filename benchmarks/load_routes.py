"""CPU time of each request of the load test, one at a time, in-process.

    .venv/bin/python benchmarks/load_routes.py --data-dir DIR [--database-url URL]

The load test's figures (benchmarks/load_test.py) depend on how busy the shared machine
is; this measures what each request costs by itself: the app is built in this process
over the demo store in ``DIR`` (as the load test leaves it, or any demo store), each demo
role signs in through the login form, and every request the simulated users make is sent
``--repeat`` times after one warm-up, through Starlette's test client. It reports the
median CPU milliseconds (the process's CPU time, so a busy machine slows it less than it
slows wall time) and the median wall milliseconds per request, and writes them to
docs/benchmarks.md ("Load test", "CPU per request, one at a time").
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from docs_section import replace_subsection  # noqa: E402
from load_report import HEADING, ROUTES, load_average  # noqa: E402
from load_test import _settings, write_targets  # noqa: E402

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def requests_by_user(targets: dict[str, object]) -> dict[str, list[tuple[str, str]]]:
    """(name, url) of each request of the locustfile, per demo user who makes it."""
    posting = targets["recruiter_postings"][0]  # type: ignore[index]
    resource = targets["resources"][0]  # type: ignore[index]
    staff = [
        ("page:/demand", "/demand"),
        ("page:/demand/regions", "/demand/regions"),
        ("page:/outcomes", "/outcomes"),
        ("page:/library/stats", "/library/stats"),
        ("api:/api/v1/demand/totals", "/api/v1/demand/totals"),
        ("api:/api/v1/outcomes/indicators", "/api/v1/outcomes/indicators"),
        ("api:/api/v1/library/stats", "/api/v1/library/stats"),
    ]
    return {
        "demo-student": [
            ("page:/matching/jobs", "/matching/jobs"),
            ("api:/api/v1/match/jobs", "/api/v1/match/jobs"),
            ("page:/library/search (zh)", "/library/search?q=报关"),
            ("page:/library/search (en)", "/library/search?q=cold+chain"),
            ("api:/api/v1/library/search", "/api/v1/library/search?q=仓储管理"),
            ("api:/api/v1/postings", "/api/v1/postings?q=仓储"),
            ("page:/library/resources/[id]", f"/library/resources/{resource}"),
            ("page:/demand", "/demand"),
        ],
        "demo-recruiter": [
            ("page:/matching/postings/[id]/candidates", f"/matching/postings/{posting}/candidates"),
            ("api:/api/v1/match/candidates", f"/api/v1/match/candidates?posting_id={posting}"),
            ("api:/api/v1/postings/[id]", f"/api/v1/postings/{posting}"),
            ("api:/api/v1/demand/top-skills", "/api/v1/demand/top-skills"),
        ],
        "demo-college": staff,
        "demo-analyst": staff,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--database-url")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--no-docs", action="store_true")
    args = parser.parse_args()
    os.environ["TALENTBRIDGE_DATA_DIR"] = str(args.data_dir)
    from fastapi.testclient import TestClient

    from talentbridge.web.app import create_app

    settings = _settings(args.data_dir, args.database_url)
    targets = write_targets(settings, args.data_dir / "load-targets.json")
    app = create_app(settings)
    load_before = load_average()
    rows: list[tuple[str, str, float, float]] = []

    def signed_in(user: str) -> TestClient:
        client = TestClient(app, base_url="http://127.0.0.1")
        form = CSRF.search(client.get("/login").text)
        assert form is not None
        answer = client.post(
            "/login",
            data={"username": user, "password": targets["password"], "csrf_token": form.group(1)},
            follow_redirects=False,
        )
        assert answer.status_code == 303, answer.text[:300]
        return client

    cpu, wall = [], []
    for _ in range(args.repeat):  # the login form and signing in (argon2id), as one
        c, w = time.process_time(), time.perf_counter()
        signed_in("demo-student")
        cpu.append(1000 * (time.process_time() - c))
        wall.append(1000 * (time.perf_counter() - w))
    rows.append(("demo-student", "login:GET /login + POST /login", statistics.median(cpu),
                 statistics.median(wall)))  # fmt: skip
    for user, requests in requests_by_user(targets).items():
        client = signed_in(user)
        for name, url in requests:
            assert client.get(url).status_code == 200, (user, url)  # warm-up
            cpu, wall = [], []
            for _ in range(args.repeat):
                c, w = time.process_time(), time.perf_counter()
                client.get(url)
                cpu.append(1000 * (time.process_time() - c))
                wall.append(1000 * (time.perf_counter() - w))
            rows.append((user, name, statistics.median(cpu), statistics.median(wall)))
            print(f"{user:15} {name:45} cpu {rows[-1][2]:7.1f} ms  wall {rows[-1][3]:7.1f} ms")
    backend = "PostgreSQL" if args.database_url else "SQLite"
    lines = [
        ROUTES,
        "",
        f"`.venv/bin/python benchmarks/load_routes.py --data-dir DIR` ({backend}, the demo store "
        f"at scale 1, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average "
        f"{load_before} before and {load_average()} after): median of {args.repeat} requests "
        "each, after one warm-up, one at a time in one process (no queueing, no other "
        "request competing). CPU ms is the process's CPU time (the test client's share "
        "included, about 1 ms); wall ms grows with the machine's load.",
        "",
        "| user | request | CPU ms | wall ms |",
        "|---|---|---:|---:|",
        *[f"| {u} | `{n}` | {c:.1f} | {w:.1f} |" for u, n, c, w in rows],
    ]
    if not args.no_docs:
        replace_subsection(HEADING, ROUTES, "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
