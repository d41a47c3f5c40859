"""User text is escaped everywhere, chart labels and tooltips included. Hostile names
go in through the real services (taxonomy install, organization import, posting
ingestion, library submission); the pages that show them, and their plotly figures,
must never carry them as markup."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from webtools import World, login

from hostiletools import AMP, IMG, SCRIPT, build_hostile_demand
from talentbridge.config import Settings
from talentbridge.pipeline.postings import ingest_records
from talentbridge.registry.organizations import import_organizations
from talentbridge.store.tables import Major, Posting
from talentbridge.web.chart_text import plot_text

HOSTILE = (IMG, SCRIPT)
FIGURE = re.compile(r'data-plotly-figure="([^"]*)"')


def figures(page: str) -> list[dict[str, Any]]:
    return [json.loads(html.unescape(raw)) for raw in FIGURE.findall(page)]


def strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def assert_escaped(page: str, *, expect: tuple[str, ...] = ()) -> None:
    """No hostile text as markup in the page or in any figure; each of ``expect`` shown
    (escaped) in the page."""
    for text in (*HOSTILE, "<b>bold</b>"):
        assert text not in page
    for text in expect:
        assert html.escape(text, quote=False) in page or html.escape(text) in page, text
    for figure in figures(page):
        for text in strings(figure):
            for raw in (*HOSTILE, "<b>bold</b>"):
                assert raw not in text, text


def test_plot_text_escapes_what_plotly_reads_as_markup() -> None:
    assert plot_text(IMG) == "&lt;img src=x onerror=alert(1)&gt;"
    assert plot_text("R&D") == "R&amp;D"
    assert plot_text("物流 Excel") == "物流 Excel"


@pytest.fixture()
def hostile_demand(world: World, factory: sessionmaker[Session]) -> dict[str, int]:
    return build_hostile_demand(factory)


def test_demand_pages_and_charts_escape_skill_labels(
    client: TestClient, hostile_demand: dict[str, int]
) -> None:
    login(client, "analyst")
    pages = {
        "overview": client.get("/demand"),
        "trends": client.get(f"/demand/trends?concept_id={hostile_demand['evil-img']}"),
        "regions": client.get("/demand/regions"),
        "occupation": client.get(f"/demand/occupations/{hostile_demand['job']}"),
        "graph": client.get("/demand/graph?min_pair=1&min_npmi=0"),
    }
    for name, page in pages.items():
        assert page.status_code == 200, (name, page.text[:300])
        assert_escaped(page.text, expect=(IMG,))
    charted = [s for page in pages.values() for f in figures(page.text) for s in strings(f)]
    assert any(plot_text(IMG) in s for s in charted)
    assert any(plot_text(SCRIPT) in s for s in charted)
    assert any(plot_text(AMP) in s for s in charted)
    graph = figures(pages["graph"].text)[0]
    hovers = [h for trace in graph["data"] for h in trace.get("hovertext", [])]
    assert hovers and all(h.startswith("<b>") for h in hovers)  # our own markup stays
    assert any(h.startswith(f"<b>{plot_text(IMG)}</b>") for h in hovers)


def test_organization_names_from_the_importer_are_escaped(
    client: TestClient, world: World, factory: sessionmaker[Session], settings: Settings
) -> None:
    path = settings.data_dir / "orgs.csv"
    path.write_text(f"code,kind,name_zh,name_en\nCOL-A,college,{SCRIPT},{IMG}\n", encoding="utf-8")
    report = import_organizations(factory, path)
    assert report.stored == 1, report
    login(client, "admin_a")
    home = client.get("/")
    assert_escaped(home.text, expect=(SCRIPT,))
    english = client.get("/?lang=en")
    assert_escaped(english.text, expect=(IMG,))


def test_posting_titles_from_the_pipeline_are_escaped(
    client: TestClient, world: World, factory: sessionmaker[Session], session: Session
) -> None:
    report = ingest_records(
        factory,
        [
            {"title": f"仓储主管 {IMG}", "company": f"蓉欧 {SCRIPT}", "city": "成都"},
            {"title": "库存 <5 & 周转 >3 主管", "company": "蓉欧 R&D", "city": "成都"},
        ],
        channel="api",
        source="test",
    )
    assert report.stored == 2, report
    tagged, angled = session.scalars(select(Posting).order_by(Posting.id)).all()
    assert "<img" not in tagged.title  # the pipeline's text cleaning drops markup
    assert "<5 & " in angled.title  # but keeps a bare < or &, which the page must escape
    login(client, "analyst")
    for posting in (tagged, angled):
        page = client.get(f"/postings/{posting.id}")
        assert page.status_code == 200
        assert_escaped(page.text)
    assert "库存 &lt;5 &amp; 周转 &gt;3 主管" in client.get(f"/postings/{angled.id}").text


def test_library_titles_are_escaped(
    client: TestClient,
    world: World,
    factory: sessionmaker[Session],
    session: Session,
    settings: Settings,
) -> None:
    from librarytools import build_shelf, upload

    shelf = build_shelf(factory, session, world, settings.data_dir)
    resource = upload(
        session, world, settings.data_dir, shelf.libraries["docs"], b"Bill of lading notes.",
        "evil.txt", title_zh=IMG, title_en=SCRIPT, kind="document",
    )  # fmt: skip
    session.commit()
    login(client, "teacher_a")
    for path in (f"/library/resources/{resource.id}", "/library/trade-documents", "/library"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert_escaped(page.text)
    assert html.escape(IMG, quote=False) in client.get(f"/library/resources/{resource.id}").text


def test_outcomes_charts_escape_major_names(
    client: TestClient, world: World, session: Session
) -> None:
    from outcomestools import build_outcomes

    build_outcomes(session, world)
    major = session.scalars(select(Major).where(Major.code == "530802")).one()
    major.name_zh = IMG
    major.name_en = SCRIPT
    session.commit()
    login(client, "admin_a")
    for path in ("/outcomes", "/outcomes/colleges/COL-A?year=2025", "/outcomes/colleges/COL-A"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert_escaped(page.text)
    page = client.get("/outcomes/colleges/COL-A").text
    charted = [s for f in figures(page) for s in strings(f)]
    assert any(plot_text(IMG) in s for s in charted), "the major is not on a chart"
