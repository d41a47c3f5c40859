"""Load test: 100 simulated users against ``talentbridge serve`` on the demo store.

One command (SQLite, the demo built into a temporary data directory)::

    .venv/bin/python benchmarks/load_test.py

and on PostgreSQL (a throwaway cluster from scripts/pg-throwaway.sh, or ``--database-url``)::

    .venv/bin/python benchmarks/load_test.py --backend postgres

What it does: builds the demo store (``talentbridge demo --no-serve``; on PostgreSQL the
same ``demo.build.build_demo`` against the server database, see ``build_pg_demo``) or
reuses the one in ``--data-dir``; starts ``talentbridge serve --workers N`` on a free port
with a real secret key (not demo mode), waits for ``/ready`` and for the server's
start-up work (the matching index warm-up) to finish; runs locust headless
(``benchmarks/locustfile.py``: 100 users, 10 spawned a second, 3 minutes) as a
subprocess (locust patches the standard library with gevent, so it is never imported
here); then computes count, failures, median, p95, p99, max and requests per second per
group (pages, API reads, logins) and per named request from every request
(``load_stats.py``), the server's CPU time (all its processes, and PostgreSQL's), the
machine and its load, and writes them to docs/benchmarks.md ("Load test", one
subsection per backend). ``--no-docs`` only prints.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any
from unittest import mock

import psutil

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from load_report import HEADING, SUBHEADINGS, Run, load_average, report, write_docs  # noqa: E402
from load_stats import read_failures, read_samples, server_durations, summarize  # noqa: E402

VENV_BIN = Path(sys.executable).parent


# --- the store ----------------------------------------------------------------------


def _settings(data_dir: Path, database_url: str | None) -> Any:
    from talentbridge.config import load_settings

    env = {"TALENTBRIDGE_DATA_DIR": str(data_dir), "TALENTBRIDGE_DEMO": "true"}
    if database_url:
        env["TALENTBRIDGE_DATABASE_URL"] = database_url
    return load_settings(env)


def holds_demo(settings: Any) -> bool:
    """Whether the store exists and is marked as the demo's sample data."""
    from sqlalchemy import inspect, select

    from talentbridge.store.engine import create_engine_for
    from talentbridge.store.tables import Setting

    if settings.is_sqlite and not (settings.data_dir / "talentbridge.db").exists():
        return False
    engine = create_engine_for(settings)
    try:
        if "store_setting" not in inspect(engine).get_table_names():
            return False
        with engine.connect() as conn:
            flag = conn.scalar(select(Setting.value).where(Setting.key == "sample_data"))
        return (flag or "").strip().lower() == "true"
    finally:
        engine.dispose()


def build_sqlite_demo(data_dir: Path, scale: float, seed: int) -> None:
    env = dict(os.environ, TALENTBRIDGE_DATA_DIR=str(data_dir), TALENTBRIDGE_DATABASE_URL="")
    cmd = [str(VENV_BIN / "talentbridge"), "demo", "--no-serve", "--scale", str(scale),
           "--seed", str(seed)]  # fmt: skip
    print(f"building the demo store: {' '.join(cmd[1:])} in {data_dir} …", flush=True)
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)


def build_pg_demo(settings: Any, scale: float, seed: int) -> None:
    """The demo on a PostgreSQL database: ``talentbridge demo`` builds only SQLite stores
    (it deletes the previous demo's file first and will not wipe a server database), so
    this runs the same ``build_demo`` with that reset replaced by a check that the
    database is empty: every row still comes through the real importers."""
    from sqlalchemy import inspect

    from talentbridge.demo import build
    from talentbridge.store.engine import create_engine_for

    def require_empty(settings: Any, *, force: bool = False) -> None:
        engine = create_engine_for(settings)
        try:
            tables = inspect(engine).get_table_names()
        finally:
            engine.dispose()
        if tables:
            raise SystemExit(f"the database holds {len(tables)} tables but not the demo")

    print(f"building the demo store (scale {scale}) on PostgreSQL …", flush=True)
    with mock.patch.object(build, "reset_demo_store", require_empty):
        build.build_demo(settings, seed=seed, scale=scale)


def write_targets(settings: Any, path: Path) -> dict[str, Any]:
    """The logins and the store ids the simulated users need (locustfile.py)."""
    from sqlalchemy import func, select

    from talentbridge.demo.build import DEMO_PASSWORD, DEMO_USERS
    from talentbridge.store.engine import create_engine_for
    from talentbridge.store.library_tables import Resource
    from talentbridge.store.tables import Posting, Profile, User

    logins: dict[str, list[str]] = {"student": [], "recruiter": [], "staff": []}
    for username, role, _org, _name in DEMO_USERS:
        logins[role if role in logins else "staff"].append(username)
    engine = create_engine_for(settings)
    try:
        with engine.connect() as conn:
            org = conn.scalar(select(User.organization_id).where(User.username == "demo-recruiter"))
            postings = conn.scalars(
                select(Posting.id).where(Posting.organization_id == org).order_by(Posting.id)
            ).all()
            resources = conn.scalars(
                select(Resource.id).where(Resource.status == "published").order_by(Resource.id)
            ).all()
            counts = [
                conn.scalar(select(func.count()).select_from(t)) or 0 for t in (Posting, Profile)
            ]
    finally:
        engine.dispose()
    if not postings or not resources:
        raise SystemExit("the demo store has no postings of demo-recruiter or no resources")
    targets = {"password": DEMO_PASSWORD, "logins": logins,
               "recruiter_postings": list(postings), "resources": list(resources),
               "store": f"{counts[0]:,} postings, {counts[1]:,} profiles, "
                        f"{len(resources)} published resources"}  # fmt: skip
    path.write_text(json.dumps(targets), encoding="utf-8")
    return targets


@contextmanager
def throwaway_postgres(directory: Path, port: int) -> Any:
    script = ROOT / "scripts" / "pg-throwaway.sh"
    url = subprocess.run(
        [str(script), "start", str(directory), str(port)], check=True, stdout=subprocess.PIPE,
        text=True,
    ).stdout.strip().splitlines()[-1]  # fmt: skip
    try:
        yield url
    finally:
        subprocess.run([str(script), "stop", str(directory)], check=False)


# --- processes and the machine ------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process and its live descendants, and of the
    children they have reaped."""
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0.0
    for p in procs:
        try:
            t = p.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += t.user + t.system + t.children_user + t.children_system
    return total


def stop_tree(proc: subprocess.Popen[bytes], timeout: float = 30) -> None:
    """Stop the server and every process it started. A worker left behind (its parent
    killed while it still served) keeps its store connections, and on SQLite a
    transaction it holds locks every later run out."""
    try:
        tree = [psutil.Process(proc.pid), *psutil.Process(proc.pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        tree = []
    for p in tree:
        with suppress(psutil.NoSuchProcess):
            p.terminate()
    _gone, alive = psutil.wait_procs(tree, timeout=timeout)
    for p in alive:
        with suppress(psutil.NoSuchProcess):
            p.kill()
    psutil.wait_procs(alive, timeout=5)
    proc.poll()


def postmaster_pid(url: str) -> int | None:
    """The PostgreSQL server's main process, when it runs on this machine (for its CPU)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            directory = conn.scalar(text("SHOW data_directory"))
    except Exception:
        return None
    finally:
        engine.dispose()
    pidfile = Path(str(directory)) / "postmaster.pid"
    try:
        return int(pidfile.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def server_versions(url: str | None) -> str:
    if not url:
        return f"SQLite {sqlite3.sqlite_version}"
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return f"PostgreSQL {str(conn.scalar(text('SHOW server_version'))).split()[0]}"
    finally:
        engine.dispose()


def wait_ready(port: int, proc: subprocess.Popen[bytes], timeout: float = 300) -> None:
    """Until /ready answers 200, then until the server's processes go quiet (each
    worker builds the matching index in the background when it starts)."""
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=5) as r:
                if r.status == 200:
                    break
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            raise SystemExit("the server did not answer /ready in time")
        time.sleep(0.5)
    before = tree_cpu(proc.pid)
    while time.monotonic() < deadline:
        time.sleep(2)
        now = tree_cpu(proc.pid)
        if now - before < 0.1:  # under 5 % of a CPU over two seconds
            return
        before = now


def run_locust(args: argparse.Namespace, host: str, out: Path, targets: Path) -> float:
    """Run locust headless; its CPU seconds."""
    env = dict(os.environ, LOADTEST_TARGETS=str(targets), LOADTEST_SAMPLES=str(out / "samples.csv"))
    cmd = [str(VENV_BIN / "locust"), "-f", str(HERE / "locustfile.py"), "--headless",
           "-u", str(args.users), "-r", str(args.spawn_rate), "-t", args.duration,
           "--host", host, "--csv", str(out / "locust"), "--only-summary",
           "--loglevel", "WARNING", "--exit-code-on-error", "0"]  # fmt: skip
    print(" ".join(cmd[1:]), flush=True)
    proc = subprocess.Popen(cmd, env=env)
    ps = psutil.Process(proc.pid)
    cpu = 0.0
    while proc.poll() is None:
        try:
            t = ps.cpu_times()
            cpu = t.user + t.system
        except psutil.NoSuchProcess:
            break
        time.sleep(1)
    if proc.returncode != 0:
        raise SystemExit(f"locust exited with {proc.returncode}")
    return cpu


def measure(args: argparse.Namespace, data_dir: Path, url: str | None, out: Path) -> Run:
    settings = _settings(data_dir, url)
    if holds_demo(settings):
        print(f"reusing the demo store in {data_dir}" + (" and the database" if url else ""))
    elif url:
        build_pg_demo(settings, args.scale, args.seed)
    else:
        build_sqlite_demo(data_dir, args.scale, args.seed)
    targets = out / "targets.json"
    store = write_targets(settings, targets)["store"]
    run = Run(args.backend, args.workers, args.users, args.spawn_rate, args.duration,
              args.scale, command=command_line(args))  # fmt: skip
    run.store = store
    run.store_version = server_versions(url)
    port = free_port()
    env = dict(os.environ, TALENTBRIDGE_DATA_DIR=str(data_dir),
               TALENTBRIDGE_DATABASE_URL=url or "", TALENTBRIDGE_DEMO="false",
               TALENTBRIDGE_SECRET_KEY=secrets.token_urlsafe(48))  # fmt: skip
    log = (out / "server.log").open("wb")
    server = subprocess.Popen(
        [str(VENV_BIN / "talentbridge"), "serve", "--port", str(port), "--workers",
         str(args.workers)], env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_ready(port, server)
        pg_pid = postmaster_pid(url) if url else None
        run.load_before = load_average()
        run.started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        server_cpu, pg_cpu = tree_cpu(server.pid), tree_cpu(pg_pid) if pg_pid else 0.0
        run.locust_cpu = run_locust(args, f"http://127.0.0.1:{port}", out, targets)
        run.server_cpu = tree_cpu(server.pid) - server_cpu
        if pg_pid:
            run.database_cpu = tree_cpu(pg_pid) - pg_cpu
        run.load_after = load_average()
    finally:
        stop_tree(server)
        log.close()
    run.rows = summarize(read_samples(out / "samples.csv"))
    with (out / "server.log").open(encoding="utf-8", errors="replace") as f:
        run.server_ms = server_durations(f)
    run.failures = read_failures(out / "locust_failures.csv")
    return run


# --- the report -----------------------------------------------------------------------


def command_line(args: argparse.Namespace) -> str:
    parts = [".venv/bin/python benchmarks/load_test.py"]
    if args.backend != "sqlite":
        parts.append(f"--backend {args.backend}")
    if args.data_dir:
        parts.append("--data-dir DIR")
    if args.database_url:
        parts.append("--database-url URL")
    defaults = {"workers": 2, "users": 100, "spawn_rate": 10, "duration": "3m", "scale": 1.0}
    for name, default in defaults.items():
        value = getattr(args, name)
        if value != default:
            parts.append(f"--{name.replace('_', '-')} {value}")
    return " ".join(parts)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--data-dir", type=Path, help="reuse (or build) the demo store here")
    parser.add_argument("--database-url", help="PostgreSQL URL (default: a throwaway cluster)")
    parser.add_argument("--pg-port", type=int, default=55416, help="port of the throwaway cluster")
    parser.add_argument("--scale", type=float, default=1.0, help="demo size; 1.0 ≈ 30,000 postings")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--spawn-rate", type=int, default=10)
    parser.add_argument("--duration", default="3m", help="locust -t, e.g. 3m or 20s")
    parser.add_argument("--out", type=Path, help="keep locust's CSV files and logs here")
    parser.add_argument("--no-docs", action="store_true", help="print only")
    args = parser.parse_args(argv)
    if args.database_url and args.backend != "postgres":
        parser.error("--database-url needs --backend postgres")
    with tempfile.TemporaryDirectory(prefix="tb-load-") as tmp:
        work = Path(tmp)
        work.chmod(0o755)  # the throwaway cluster runs as the postgres user when we are root
        out = args.out or work / "out"
        out.mkdir(parents=True, exist_ok=True)
        data_dir = args.data_dir or work / "data"
        if args.backend == "postgres" and not args.database_url:
            with throwaway_postgres(work / "pg", args.pg_port) as url:
                run = measure(args, data_dir, url, out)
        else:
            run = measure(args, data_dir, args.database_url, out)
    lines = report(run)
    print("\n".join(lines))
    if not args.no_docs:
        write_docs(run)
        print(f"written to docs/benchmarks.md ({HEADING[3:]}, {SUBHEADINGS[run.backend][4:]})")


if __name__ == "__main__":
    main()
