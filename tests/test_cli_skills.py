"""`talentbridge extract`, `discover` and `extract-text`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from talentbridge.cli import app, common
from talentbridge.config import load_settings
from talentbridge.pipeline.postings import ingest_records
from talentbridge.store.engine import create_engine_for, session_factory
from talentbridge.store.migrate import upgrade
from talentbridge.store.tables import CandidatePhrase, Posting
from talentbridge.taxonomy.concepts import load_bundled_taxonomy
from talentbridge.taxonomy.edit import add_alias
from talentbridge.taxonomy.majors import load_bundled_majors
from talentbridge.taxonomy.occupations import load_bundled_occupations

TODAY = dt.date(2026, 11, 29)


@pytest.fixture()
def env(tmp_path: Path) -> dict[str, str]:
    return {
        "TALENTBRIDGE_DATA_DIR": str(tmp_path / "data"),
        "TALENTBRIDGE_DATABASE_URL": "",
        "COLUMNS": "250",
    }


@pytest.fixture()
def store(env: dict[str, str]) -> Iterator[sessionmaker[Session]]:
    engine = create_engine_for(load_settings(env))
    upgrade(engine)
    factory = session_factory(engine)
    load_bundled_majors(factory)
    load_bundled_occupations(factory)
    load_bundled_taxonomy(factory)
    yield factory
    engine.dispose()


def run(env: dict[str, str], *args: str) -> tuple[int, str]:
    # The shared console may have sized itself for another test's output already: give
    # it a wide line so table cells (long concept keys) are printed whole.
    previous = common.console.width
    common.console.width = 250
    try:
        result = CliRunner().invoke(app, list(args), env=env)
    finally:
        common.console.width = previous
    return result.exit_code, " ".join(result.output.split())


def test_extract_text_prints_each_hit_with_its_concept(
    env: dict[str, str], store: sessionmaker[Session]
) -> None:
    code, output = run(
        env, "extract-text", "负责报关，熟悉HS归类，有叉车证者优先，无需英语。", "--title", "报关员"
    )
    assert code == 0, output
    assert "talentbridge@2026.11" in output
    assert "tb.customs.declaration.customs_declaration" in output
    assert "HS归类" in output and "HS classification" in output
    assert "preferred" in output and "yes" in output  # the licence is preferred, 英语 negated
    assert "2-06-07-05" in output


def test_extract_reextracts_stale_postings_after_an_edit(
    env: dict[str, str], store: sessionmaker[Session]
) -> None:
    ingest_records(
        store,
        [{"title": "报关员", "company": "示例·甲", "description": "负责海关申报代理与报关。"}],
        channel="api", source="t", reference=TODAY,
    )  # fmt: skip
    code, output = run(env, "extract", "--stale")
    assert code == 0, output
    assert "postings 招聘信息: 0" in output
    add_alias(store, "tb.customs.declaration.customs_declaration", "海关申报代理", "zh")
    code, output = run(env, "extract", "--stale")
    assert code == 0, output
    assert "postings 招聘信息: 1" in output and "talentbridge@2026.11-local.1" in output
    with store() as session:
        posting = session.scalars(select(Posting)).one()
        assert posting.extracted_version == "talentbridge@2026.11-local.1"
    code, output = run(env, "extract")
    assert "postings 招聘信息: 1" in output


def test_discover_prints_ranked_candidates_and_stores_them(
    env: dict[str, str], store: sessionmaker[Session]
) -> None:
    records = [
        {"title": f"运营{i}", "company": f"示例·丙{i}", "description": "熟悉数字人直播方法。",
         "posted": f"2026-{m:02d}-10"}
        for i, m in enumerate([8, 9, 10, 11])
    ]  # fmt: skip
    ingest_records(store, records, channel="api", source="t", reference=TODAY)
    code, output = run(env, "discover", "--min-postings", "3", "--top", "5")
    assert code == 0, output
    assert "数字人直播" in output and "2026-08" in output and "2026-11" in output
    with store() as session:
        assert session.scalars(select(CandidatePhrase.phrase)).all() == ["数字人直播"]
    code, output = run(env, "discover", "--min-postings", "50")
    assert code == 0 and "No candidate phrases" in output
