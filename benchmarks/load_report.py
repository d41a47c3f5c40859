"""The load test's report: the figures of one run as Markdown, and its section of
docs/benchmarks.md (``## Load test (issue 9)``, one subsection per backend, the
one-at-a-time CPU table of load_routes.py and hand-written notes kept in order)."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass, field
from pathlib import Path

from docs_section import replace_section, replace_subsection
from load_stats import GROUP_LABELS, GROUPS, Row, markdown_table, percentile

HEADING = "## Load test (issue 9)"
SUBHEADINGS = {"sqlite": "### SQLite", "postgres": "### PostgreSQL"}
ROUTES = "### CPU per request, one at a time"  # written by load_routes.py, kept
NOTES = "### What is slow, and what would fix it"  # written by hand, kept


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def load_average() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


@dataclass
class Run:
    backend: str
    workers: int
    users: int
    spawn_rate: int
    duration: str
    scale: float
    command: str
    cpu: str = field(default_factory=cpu_model)
    vcpus: int = field(default_factory=lambda: os.cpu_count() or 0)
    python: str = field(default_factory=platform.python_version)
    store: str = ""
    store_version: str = ""
    load_before: str = ""
    load_after: str = ""
    started: str = ""
    server_cpu: float = 0.0
    database_cpu: float | None = None
    locust_cpu: float = 0.0
    rows: list[Row] = field(default_factory=list)
    server_ms: dict[str, list[float]] = field(default_factory=dict)  # from its request log
    failures: list[tuple[str, str, int]] = field(default_factory=list)


def report(run: Run) -> list[str]:
    total = next(r for r in run.rows if r.group == "all")
    lines = [
        SUBHEADINGS[run.backend],
        "",
        f"`{run.command}` — {run.started}. {run.store_version}; `talentbridge serve --workers "
        f"{run.workers}`; {run.users} users spawned {run.spawn_rate} a second for "
        f"{run.duration}; the demo store ({run.store}). Machine: {run.cpu}, "
        f"{run.vcpus} vCPUs (shared), Python {run.python}; load average (1, 5, 15 min) "
        f"{run.load_before} before, {run.load_after} after.",
        "",
        *markdown_table(run.rows),
        "",
    ]
    cpu = [f"server (all workers) {run.server_cpu:.1f} s"]
    if run.database_cpu is not None:
        cpu.append(f"PostgreSQL {run.database_cpu:.1f} s")
    cpu.append(f"locust itself {run.locust_cpu:.1f} s")
    spent = run.server_cpu + (run.database_cpu or 0.0)
    per = 1000 * spent / total.count if total.count else 0.0
    lines.append(
        f"CPU time during the run: {', '.join(cpu)}; {per:.1f} ms of server"
        f"{' and database' if run.database_cpu is not None else ''} CPU per request "
        f"({total.count / spent if spent else 0:.1f} requests per CPU-second)."
    )
    if run.server_ms:
        parts = [
            f"{GROUP_LABELS[g]} median {percentile(ms, 50):.0f}, p95 {percentile(ms, 95):.0f}"
            for g, ms in sorted(
                run.server_ms.items(), key=lambda kv: GROUPS.index(kv[0]) if kv[0] in GROUPS else 9
            )
            if g in GROUPS
        ]
        lines.append(
            "Time inside the server (its request log, from the first middleware to the "
            f"answer; the rest of the time above is waiting for a worker's event loop): "
            f"{'; '.join(parts)} ms."
        )
    if run.failures:
        lines += ["", "Failures:", ""]
        lines += [f"- `{name}`: {error} ({n}×)" for name, error, n in run.failures]
    return lines


INTRO = """\
## Load test (issue 9)

`benchmarks/load_test.py` builds the demo store (scale 1: about 29,000 postings, 3,000
profiles, 156 library resources), starts `talentbridge serve --workers 2` with a real
secret key (not demo mode) and waits until `/ready` answers and the workers have
finished warming the matching index, then runs locust headless
(`benchmarks/locustfile.py`): 100 simulated users, 10 started a second, for 3 minutes.
Each user signs in through the login form (CSRF token included) as a demo user of its
role, then acts with a think time of 1–5 s (`between(1, 5)`), and signs out and in again
now and then (about once in 50 actions); a user whose sign-in failed, or who is sent to
the login page, signs in again before its next action, and a GET is sent again once when
the server had just closed the kept-alive connection (as browsers do):

- students (half the users): their job matches (page and API), library searches in
  Chinese and English (page and API), postings searches, a resource page, the demand map;
- recruiters (a fifth): a posting's ranked candidates (page and API), postings searches
  and a posting, the demand map and its top skills;
- staff (the rest: platform admin, college admin, teacher or analyst): the demand map and
  regions, the outcomes dashboard and the library usage dashboard (pages and their API
  reads), library searches.

Requests are grouped by route template: `page:` (HTML pages), `api:` (JSON reads under
`/api/v1`), `login:` (the login form, signing in and out). Percentiles are exact (nearest
rank over every request, from the samples file the locustfile writes), not locust's
rounded buckets. Targets from the issue: no errors, p95 under 300 ms for pages and under
100 ms for API reads. The server's CPU time (all its processes; PostgreSQL's too) is
measured over the run, so that the figures can be read per CPU-second when the shared
machine is busy.

On PostgreSQL the command starts a throwaway cluster (`scripts/pg-throwaway.sh`, port
55416) unless `--database-url` names one; `talentbridge demo` builds only SQLite stores,
so the driver runs the same `demo.build.build_demo` against the empty database (its
"delete the previous demo file" step replaced by a check that the database is empty;
every row still comes through the importers). `--data-dir DIR` (with `--database-url
URL`) reuses a demo store built before instead of building one; `--users`, `--duration`,
`--workers` change the run (`--users 10 --duration 20s` for a quick try).
"""


def write_docs(run: Run, docs: Path | None = None) -> None:
    kwargs = {"docs": docs} if docs else {}
    keep = [*SUBHEADINGS.values(), ROUTES, NOTES]
    replace_section(HEADING, INTRO, keep=keep, **kwargs)
    replace_subsection(HEADING, SUBHEADINGS[run.backend], "\n".join(report(run)), **kwargs)
    replace_section(HEADING, INTRO, keep=keep, **kwargs)  # a new subsection into its place
