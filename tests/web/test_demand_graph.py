"""The skill graph page ``/demand/graph`` and its API (JSON and GraphML)."""

from __future__ import annotations

import html
import io
import json
import re

import networkx as nx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker
from webtools import World, login

from talentbridge.accounts.tokens import issue_token
from talentbridge.analytics.cube import refresh
from talentbridge.store.tables import Concept, Posting, PostingConcept, Taxonomy

FIGURE = re.compile(r'data-plotly-figure="([^"]*)"')


def family(prefix: str, count: int, month: str) -> list[tuple[str, list[str]]]:
    """Postings of one skill family: s1 always, s2 in 3 of 4, s3 in half, s4 in 1 of 5."""
    out = []
    for i in range(count):
        names = [f"{prefix}1"]
        names += [f"{prefix}2"] if i % 4 != 3 else []
        names += [f"{prefix}3"] if i % 2 == 0 else []
        names += [f"{prefix}4"] if i % 5 == 0 else []
        out.append((month, names))
    return out


@pytest.fixture()
def graph_store(world: World, factory: sessionmaker[Session]) -> dict[str, int]:
    """Two skill families X and Y over 2023–2024 (X rising), counted by the real cube."""
    ids: dict[str, int] = {}
    with factory.begin() as s:
        taxonomy = Taxonomy(code="t", version="1", name="test")
        s.add(taxonomy)
        s.flush()
        for name in [f"{p}{i}" for p in "XY" for i in range(1, 5)]:
            c = Concept(
                taxonomy_id=taxonomy.id,
                key=f"t.{name}",
                kind="skill",
                label_zh=f"技能{name}",
                label_en=f"Skill {name}",
            )
            s.add(c)
            s.flush()
            ids[name] = c.id
        postings = [
            *family("X", 40, "2023-05"),
            *family("Y", 160, "2023-05"),
            *family("X", 120, "2024-05"),
            *family("Y", 80, "2024-05"),
        ]
        for number, (month, names) in enumerate(postings):
            p = Posting(
                title="物流专员",
                employer_name="示例公司",
                content_hash=f"h{number}",
                block_key="b",
                fingerprint=number,
                posted_month=month,
                province_code="510000",
                city_code="510100",
                in_circle=True,
            )
            s.add(p)
            s.flush()
            s.add_all(
                PostingConcept(
                    posting_id=p.id,
                    concept_id=ids[name],
                    start=0,
                    end=1,
                    surface=name,
                    taxonomy_version="t@1",
                )
                for name in names
            )
    refresh(factory)
    return ids


def bearer(session: Session, world: World, username: str) -> dict[str, str]:
    token = issue_token(session, user_id=world.users[username].id, name="t")
    session.commit()
    return {"Authorization": f"Bearer {token}"}


def figure_of(page: str) -> dict[str, object]:
    found = FIGURE.search(page)
    assert found, "page has no plotly figure"
    figure: dict[str, object] = json.loads(html.unescape(found.group(1)))
    return figure


def test_analyst_sees_the_network_clusters_and_downloads(
    client: TestClient, world: World, graph_store: dict[str, int]
) -> None:
    login(client, "analyst")
    page = client.get("/demand/graph?min_pair=2&min_npmi=0")
    assert page.status_code == 200, page.text
    text = page.text
    assert "技能图谱" in text and "技能簇" in text
    assert "技能Y1、技能Y2、技能Y3" in text and "技能X1、技能X2、技能X3" in text
    assert "新兴" in text  # X rises from 20% to 60% of postings
    assert 'class="table-wrap"' in text
    assert "/api/v1/demand/graph.graphml?region=all&amp;min_pair=2" in text
    assert '<script src="/static/charts.js" defer></script>' in text
    assert "<script>" not in text  # strict CSP: no inline scripts
    figure = figure_of(text)
    data = figure["data"]
    assert isinstance(data, list)
    clusters = [t for t in data if t.get("mode") == "markers+text"]
    assert [t["name"] for t in clusters] == [
        "1. 技能Y1、技能Y2、技能Y3",
        "2. 技能X1、技能X2、技能X3",
    ]
    assert clusters[0]["marker"]["color"] != clusters[1]["marker"]["color"]
    sizes = clusters[1]["marker"]["size"]
    assert sizes == sorted(sizes, reverse=True)  # most frequent first, largest marker
    assert "招聘数 160" in clusters[1]["hovertext"][0]
    assert any(t.get("mode") == "lines" for t in data)
    assert figure_of(client.get("/demand/graph?min_pair=2&min_npmi=0").text) == figure


def test_page_in_english_and_with_a_year_and_region(
    client: TestClient, world: World, graph_store: dict[str, int]
) -> None:
    login(client, "admin_a")
    page = client.get("/demand/graph?lang=en&region=circle&year=2023&min_pair=2&min_npmi=0")
    assert page.status_code == 200
    assert "Skill clusters" in page.text and "Skill Y1 / Skill Y2 / Skill Y3" in page.text
    assert '<option value="2023" selected>2023</option>' in page.text
    assert '<option value="circle" selected>' in page.text
    assert "from 200 job postings" in page.text


def test_page_without_data_says_so(client: TestClient, world: World) -> None:
    login(client, "analyst")
    page = client.get("/demand/graph")
    assert page.status_code == 200
    assert "没有达到阈值的技能关联" in page.text
    assert "data-plotly-figure" not in page.text and "plotly.min.js" not in page.text


def test_json_api(
    client: TestClient, session: Session, world: World, graph_store: dict[str, int]
) -> None:
    headers = bearer(session, world, "analyst")
    response = client.get(
        "/api/v1/demand/graph",
        params={"year": "2024", "min_pair": 2, "min_npmi": 0},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["years"] == ["2024"] and body["postings"] == 200
    assert body["parameters"]["min_pair"] == 2 and body["parameters"]["seed"]
    assert {n["concept_id"] for n in body["nodes"]} == set(graph_store.values())
    x = next(c for c in body["clusters"] if graph_store["X1"] in c["concept_ids"])
    assert x["name_en"] == "Skill X1 / Skill X2 / Skill X3"
    assert x["previous_year"] == "2023" and x["growth"] == pytest.approx(2.0)
    edge = body["edges"][0]
    assert set(edge) == {"source", "target", "n", "pmi", "npmi"}
    assert edge["source"] < edge["target"] and -1 <= edge["npmi"] <= 1
    strict = client.get("/api/v1/demand/graph", params={"min_pair": 10_000}, headers=headers)
    assert strict.json()["nodes"] == [] and strict.json()["postings"] == 400


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"region": "p:510000"}, 422),
        ({"min_npmi": 2}, 422),
        ({"max_nodes": 1000}, 422),
        ({"year": "24"}, 400),
        ({"kind": "planet"}, 400),
    ],
)
def test_json_api_refuses_bad_parameters(
    client: TestClient, session: Session, world: World, params: dict[str, object], status: int
) -> None:
    response = client.get(
        "/api/v1/demand/graph", params=params, headers=bearer(session, world, "analyst")
    )
    assert response.status_code == status, response.text
    assert response.json()["error"]["message"]


def test_graphml_api_parses_back(
    client: TestClient, session: Session, world: World, graph_store: dict[str, int]
) -> None:
    response = client.get(
        "/api/v1/demand/graph.graphml",
        params={"region": "circle", "year": ["2023", "2024"], "min_pair": 2, "min_npmi": 0},
        headers=bearer(session, world, "teacher_a"),
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/graphml+xml")
    assert "skill-graph-circle-2023-2024.graphml" in response.headers["content-disposition"]
    graph = nx.read_graphml(io.BytesIO(response.content), node_type=int)
    assert set(graph.nodes) == set(graph_store.values())
    x1 = graph.nodes[graph_store["X1"]]
    assert x1["label"] == "技能X1" and x1["label_en"] == "Skill X1" and x1["cluster"] == 2
    assert graph.graph["years"] == "2023,2024"


def test_students_may_read_the_graph_and_anonymous_users_may_not(
    client: TestClient, session: Session, world: World, graph_store: dict[str, int]
) -> None:
    anonymous = client.get("/demand/graph", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    assert client.get("/api/v1/demand/graph").status_code == 401
    assert client.get("/api/v1/demand/graph.graphml").status_code == 401
    headers = bearer(session, world, "student_a")
    assert client.get("/api/v1/demand/graph", headers=headers).status_code == 200
    login(client, "student_a")
    assert client.get("/demand/graph").status_code == 200
