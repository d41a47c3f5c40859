"""Two imports and a web load at once on one SQLite store: nothing fails with
"database is locked" and every row is there.

Real processes: two ``talentbridge import postings`` runs and a ``talentbridge serve``
server, while threads read (API lists, pages) and write through it (postings sent to
the API, API tokens, sign-ins) the whole time the imports run.
"""

from __future__ import annotations

import csv
import importlib.util
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from talentbridge.accounts.tokens import issue_token
from talentbridge.accounts.users import create_user
from talentbridge.config import Settings
from talentbridge.store.engine import session_factory, write_lock
from talentbridge.store.tables import ApiToken, ImportRun, Posting

ROWS = 2_500
REPO = Path(__file__).resolve().parents[2]
CLI = Path(sys.executable).parent / "talentbridge"
LOCKED = "database is locked"
PASSWORD = "correct-horse-42"
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    return match.group(1) if match else ""


def _write_csv(path: Path, seed: int) -> None:
    spec = importlib.util.spec_from_file_location(
        "ingest_bench", REPO / "benchmarks/ingest_bench.py"
    )
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    bench.write_postings_csv(path, ROWS, seed=seed)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TALENTBRIDGE_")}
    env |= {
        "TALENTBRIDGE_DATA_DIR": str(settings.data_dir),
        "TALENTBRIDGE_SECRET_KEY": settings.secret_key,
        "TALENTBRIDGE_LOG_FORMAT": "text",
    }
    return env


@pytest.fixture()
def server(settings: Settings, engine: Engine, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    if not settings.is_sqlite:
        pytest.skip("SQLite's single writer is what this tests")
    port = _free_port()
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(CLI), "serve", "--port", str(port)],
            env=_env(settings),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90  # a busy CI machine starts slowly
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        yield url, log
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_two_imports_and_web_load_on_sqlite_do_not_lock(
    settings: Settings, engine: Engine, server: tuple[str, Path], tmp_path: Path
) -> None:
    url, server_log = server
    with Session(engine) as session:
        admin = create_user(
            session,
            username="ops-admin",
            password=PASSWORD,
            role="platform_admin",
            organization_id=None,
            display_name="Ops",
        )
        session.flush()
        token = issue_token(session, user_id=admin.id, name="load")
        session.commit()
    files = [tmp_path / f"board{i}.csv" for i in (1, 2)]
    for seed, path in enumerate(files, start=11):
        _write_csv(path, seed)
    # The second board also lists 1,500 of the first one's postings, first: both
    # imports look for and store the same postings at the same time.
    with files[0].open(encoding="utf-8", newline="") as first:
        shared = list(csv.reader(first))[1:1501]
    with files[1].open(encoding="utf-8", newline="") as second:
        header, *own = list(csv.reader(second))
    with files[1].open("w", encoding="utf-8", newline="") as out:
        csv.writer(out, lineterminator="\n").writerows([header, *shared, *own])

    statuses: Counter[int] = Counter()
    failures: list[str] = []
    sent_postings: list[int] = []
    tokens_made: list[int] = []
    stop = threading.Event()
    lock = threading.Lock()

    def note(response: httpx.Response) -> None:
        with lock:
            statuses[response.status_code] += 1
            if response.status_code >= 500 or LOCKED in response.text:
                failures.append(f"{response.request.method} {response.request.url}: "
                                f"{response.status_code} {response.text[:200]}")  # fmt: skip

    def api_worker(n: int) -> None:
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=url, headers=headers, timeout=60) as client:
            i = 0
            while not stop.is_set():
                i += 1
                note(client.get("/api/v1/postings", params={"q": "物流", "page": i % 5 + 1}))
                note(client.get("/api/v1/me"))
                body = {
                    "title": f"仓储主管 load {n}-{i}",
                    "company": f"负载测试物流有限公司{n}",
                    "location": "成都-双流区",
                    "salary": "6-8K",
                    "description": f"负责仓库日常管理 {n}-{i}，熟悉WMS系统。",
                }
                sent = client.post("/api/v1/postings", params={"source": "load"}, json=body)
                note(sent)
                if sent.status_code == 200:
                    with lock:
                        sent_postings.append(sent.json()["stored"])
                made = client.post("/api/v1/tokens", json={"name": f"t{n}-{i}"})
                note(made)
                if made.status_code == 201:
                    with lock:
                        tokens_made.append(1)

    def page_worker() -> None:
        while not stop.is_set():
            with httpx.Client(base_url=url, timeout=60) as client:
                form = client.get("/login")
                note(form)
                signed = client.post(
                    "/login",
                    data={"username": "ops-admin", "password": PASSWORD,
                          "csrf_token": csrf_from(form.text)},
                )  # fmt: skip
                note(signed)
                for path in ("/", "/postings/runs", "/api/v1/import-runs"):
                    note(client.get(path))
            time.sleep(0.2)

    threads = [threading.Thread(target=api_worker, args=(n,)) for n in (1, 2, 3)]
    threads.append(threading.Thread(target=page_worker))
    for thread in threads:
        thread.start()
    try:
        imports = [
            subprocess.Popen(
                [str(CLI), "import", "postings", str(path), "--source", path.stem],
                env=_env(settings),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for path in files
        ]
        outputs = [p.communicate(timeout=150) for p in imports]
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=90)
    for process, (out, err) in zip(imports, outputs, strict=True):
        assert process.returncode == 0, err
        assert LOCKED not in out + err
    assert not failures, failures[:5]
    assert sum(statuses.values()) > 40, statuses
    assert set(statuses) <= {200, 201, 303}, statuses
    assert LOCKED not in server_log.read_text(errors="replace")

    with Session(engine) as session:
        runs = session.scalars(select(ImportRun).where(ImportRun.kind == "postings")).all()
        file_runs = [r for r in runs if r.source in ("board1", "board2")]
        assert len(file_runs) == 2 and all(r.status == "finished" for r in file_runs)
        for run in file_runs:
            assert run.rows_read == (ROWS if run.source == "board1" else ROWS + 1500)
            assert run.rows_read == (
                run.rows_stored + run.rows_unchanged + run.rows_duplicate + run.rows_rejected
            )
        postings = session.scalar(select(func.count()).select_from(Posting))
        stored = sum(r.rows_stored for r in runs)
        assert postings == stored
        assert sum(sent_postings) == sum(r.rows_stored for r in runs if r.source == "load") > 0
        tokens = session.scalar(select(func.count()).select_from(ApiToken))
        assert tokens == 1 + len(tokens_made)


def test_write_lock_makes_a_second_writer_wait_for_the_first(engine: Engine) -> None:
    """What keeps two import batches (or cube refreshes) from both finding a posting
    missing and both inserting it: the second waits until the first has committed."""
    factory = session_factory(engine)
    order: list[str] = []
    first = factory()
    write_lock(first, "test-lock")
    first.scalar(select(func.count()).select_from(Posting))
    order.append("first locked")

    def second() -> None:
        with factory() as session:
            write_lock(session, "test-lock")
            order.append("second locked")
            session.commit()

    thread = threading.Thread(target=second)
    thread.start()
    time.sleep(1.0)
    order.append("first commits")
    first.commit()
    first.close()
    thread.join(timeout=30)
    assert order == ["first locked", "first commits", "second locked"]
