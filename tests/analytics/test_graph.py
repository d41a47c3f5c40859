"""The skill graph: PMI/NPMI from the cube, thresholds, clusters, names, growth, export."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

import networkx as nx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.analytics.cube import refresh
from talentbridge.analytics.graph import (
    GraphInputError,
    emerging_clusters,
    graph_years,
    pmi,
    skill_graph,
)
from talentbridge.store.tables import Concept, Posting, PostingConcept, Taxonomy


class Store:
    """Concepts by short name and postings naming them, counted by the real cube."""

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self.factory = factory
        self.ids: dict[str, int] = {}
        self.rows = 0

    def concepts(self, names: Sequence[str], kind: str = "skill") -> None:
        with self.factory.begin() as s:
            taxonomy = s.query(Taxonomy).filter_by(code="t").one_or_none()
            if taxonomy is None:
                taxonomy = Taxonomy(code="t", version="1", name="test")
                s.add(taxonomy)
                s.flush()
            for name in names:
                c = Concept(
                    taxonomy_id=taxonomy.id,
                    key=f"t.{name}",
                    kind=kind,
                    label_zh=f"技能{name}",
                    label_en=f"Skill {name}",
                )
                s.add(c)
                s.flush()
                self.ids[name] = c.id

    def posting(
        self,
        names: Sequence[str],
        *,
        month: str = "2024-03",
        circle: bool = True,
        negated: Sequence[str] = (),
        times: int = 1,
    ) -> None:
        with self.factory.begin() as s:
            for _ in range(times):
                self.rows += 1
                p = Posting(
                    title="物流专员",
                    employer_name="示例公司",
                    content_hash=f"h{self.rows}",
                    block_key="b",
                    fingerprint=self.rows,
                    posted_month=month,
                    province_code="510000" if circle else "440000",
                    city_code="510100" if circle else "440100",
                    in_circle=circle,
                )
                s.add(p)
                s.flush()
                for name in [*names, *negated]:
                    s.add(
                        PostingConcept(
                            posting_id=p.id,
                            concept_id=self.ids[name],
                            start=0,
                            end=1,
                            surface=name,
                            negated=name in negated,
                            taxonomy_version="t@1",
                        )
                    )

    def count(self) -> None:
        refresh(self.factory)


@pytest.fixture()
def tiny(factory: sessionmaker[Session]) -> Store:
    """Ten postings of 2024 (two outside the circle) over skills A–D (D a certificate)."""
    store = Store(factory)
    store.concepts(["A", "B", "C", "E"])
    store.concepts(["D"], kind="certificate")
    store.posting(["A", "B"], negated=["E"], times=3)
    store.posting(["A", "C"])
    store.posting(["B"])
    store.posting(["C", "D"], times=2)
    store.posting(["D"])
    store.posting([], circle=False)
    store.posting(["A"], circle=False)
    store.count()
    return store


def by_pair(graph_json: dict[str, object], store: Store) -> dict[frozenset[str], dict[str, float]]:
    names = {v: k for k, v in store.ids.items()}
    edges = graph_json["edges"]
    assert isinstance(edges, list)
    return {frozenset({names[e["source"]], names[e["target"]]}): e for e in edges}


def test_pmi_and_npmi_match_the_hand_computed_values(session: Session, tiny: Store) -> None:
    graph = skill_graph(session, region="all", min_pair=1, min_npmi=0.0)
    assert graph.postings == 10 and graph.years == ("2024",)
    edges = by_pair(graph.to_json(), tiny)
    # n_A = 5, n_B = 4, n_AB = 3, N = 10;  n_C = 3, n_D = 3, n_CD = 2
    ab = edges[frozenset("AB")]
    assert ab["n"] == 3
    assert ab["pmi"] == pytest.approx(math.log(3 * 10 / (5 * 4)), abs=1e-6)
    assert ab["npmi"] == pytest.approx(math.log(1.5) / -math.log(0.3), abs=1e-6)
    cd = edges[frozenset("CD")]
    assert cd["npmi"] == pytest.approx(math.log(20 / 9) / -math.log(0.2), abs=1e-6)
    # A and C meet less often than chance (PMI < 0): below min_npmi 0, no edge
    assert frozenset("AC") not in edges
    assert pmi(1, 5, 3, 10)[0] < 0
    nodes = {n.label_en: n for n in graph.nodes}
    assert nodes["Skill A"].postings == 5 and nodes["Skill A"].share == 0.5
    assert "Skill E" not in nodes  # only ever negated
    assert [n.label_en for n in graph.nodes] == ["Skill A", "Skill B", "Skill C", "Skill D"]


def test_npmi_is_one_when_every_posting_names_both() -> None:
    assert pmi(10, 10, 10, 10) == (0.0, 1.0)
    assert pmi(5, 5, 5, 10)[1] == pytest.approx(1.0)


def test_circle_counts_only_postings_in_the_circle(session: Session, tiny: Store) -> None:
    graph = skill_graph(session, region="circle", min_pair=1, min_npmi=0.0)
    assert graph.postings == 8
    ab = by_pair(graph.to_json(), tiny)[frozenset("AB")]
    assert ab["pmi"] == pytest.approx(math.log(3 * 8 / (4 * 4)), abs=1e-6)


def test_thresholds_drop_edges_and_isolated_skills(session: Session, tiny: Store) -> None:
    graph = skill_graph(session, min_pair=3, min_npmi=0.0)
    assert {n.label_en for n in graph.nodes} == {"Skill A", "Skill B"}
    assert len(graph.edges) == 1
    strict = skill_graph(session, min_pair=1, min_npmi=0.45)  # NPMI: AB 0.337, CD 0.496
    assert [e.n for e in strict.edges] == [2]
    assert {n.label_en for n in strict.nodes} == {"Skill C", "Skill D"}
    top = skill_graph(session, min_pair=1, min_npmi=0.0, max_nodes=2)
    assert [n.label_en for n in top.nodes] == ["Skill A", "Skill B"]
    skills_only = skill_graph(session, min_pair=1, min_npmi=0.0, kinds=["skill"])
    assert {n.label_en for n in skills_only.nodes} == {"Skill A", "Skill B"}


def test_years_without_postings_give_an_empty_graph(session: Session, tiny: Store) -> None:
    assert graph_years(session, "all") == ["2024"]
    empty = skill_graph(session, years=["2019"])
    assert empty.postings == 0 and empty.nodes == () and empty.clusters == ()
    assert empty.to_json()["parameters"]["years"] == ["2019"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"region": "p:510000"},
        {"years": ["24"]},
        {"min_pair": 0},
        {"min_npmi": 1.5},
        {"max_nodes": 0},
    ],
)
def test_bad_input_is_a_named_error(session: Session, kwargs: dict[str, object]) -> None:
    with pytest.raises(GraphInputError):
        skill_graph(session, **kwargs)  # type: ignore[arg-type]


def group_postings(store: Store, prefix: str, count: int, month: str) -> None:
    """``count`` postings of one skill family: s1 always, s2 in 3 of 4, s3 in half, s4 in 1 of 5."""
    for i in range(count):
        names = [f"{prefix}1"]
        if i % 4 != 3:
            names.append(f"{prefix}2")
        if i % 2 == 0:
            names.append(f"{prefix}3")
        if i % 5 == 0:
            names.append(f"{prefix}4")
        store.posting(names, month=month)


@pytest.fixture()
def families(factory: sessionmaker[Session]) -> Store:
    """Two skill families X and Y; X rises from 2023 to 2024 while Y falls."""
    store = Store(factory)
    store.concepts([f"{p}{i}" for p in "XY" for i in range(1, 5)])
    group_postings(store, "X", 40, "2023-05")
    group_postings(store, "Y", 160, "2023-05")
    group_postings(store, "X", 120, "2024-05")
    group_postings(store, "Y", 80, "2024-05")
    store.posting(["X1", "Y1"], month="2024-06", times=3)  # a little cross talk
    store.count()
    return store


def test_two_families_become_two_named_clusters(session: Session, families: Store) -> None:
    graph = skill_graph(session, min_pair=2, min_npmi=0.0)
    ids = families.ids
    members = [set(c.concept_ids) for c in graph.clusters]
    assert members == [{ids[f"Y{i}"] for i in range(1, 5)}, {ids[f"X{i}"] for i in range(1, 5)}]
    y, x = graph.clusters
    assert y.name_zh == "技能Y1、技能Y2、技能Y3" and x.name_en == "Skill X1 / Skill X2 / Skill X3"
    assert x.concept_ids[0] == ids["X1"] and x.size == 4
    # every X posting names X1: the estimate is exact (160 + 3 cross postings)
    assert x.postings == 163 and y.postings == 243
    assert x.share == pytest.approx(163 / 403, abs=1e-6)
    assert {n.cluster for n in graph.nodes if n.label_en.startswith("Skill X")} == {x.id}


def test_growth_and_emerging_clusters(session: Session, families: Store) -> None:
    graph = skill_graph(session, years=["2023", "2024"], min_pair=2, min_npmi=0.0)
    x = next(c for c in graph.clusters if families.ids["X1"] in c.concept_ids)
    y = next(c for c in graph.clusters if families.ids["Y1"] in c.concept_ids)
    assert (x.latest_year, x.previous_year) == ("2024", "2023")
    assert x.postings_latest == 123 and x.postings_previous == 40
    assert x.share_latest == pytest.approx(123 / 203, abs=1e-6)
    assert x.share_previous == pytest.approx(40 / 200)
    assert x.growth == pytest.approx((123 / 203) / 0.2 - 1, abs=1e-5)
    assert y.growth is not None and y.growth < 0
    assert x.z is not None and x.z > 1.96
    assert emerging_clusters(graph) == [x]
    assert emerging_clusters(graph, min_postings=500) == []
    assert emerging_clusters(graph, min_growth=5.0) == []
    # one year selected: growth still compares it with the year before, from the cube
    only_2024 = skill_graph(session, years=["2024"], min_pair=2, min_npmi=0.0)
    assert [c.concept_ids for c in emerging_clusters(only_2024)] == [x.concept_ids]
    only_2023 = skill_graph(session, years=["2023"], min_pair=2, min_npmi=0.0)
    assert {c.growth for c in only_2023.clusters} == {None}
    assert emerging_clusters(only_2023) == []


def test_same_data_same_graph_and_graphml_parses_back(session: Session, families: Store) -> None:
    first = skill_graph(session, min_pair=2, min_npmi=0.0)
    second = skill_graph(session, min_pair=2, min_npmi=0.0)
    assert first.to_json() == second.to_json()
    assert first.to_graphml() == second.to_graphml()
    parsed = nx.read_graphml(io.BytesIO(first.to_graphml()), node_type=int)
    assert parsed.number_of_nodes() == len(first.nodes)
    assert parsed.number_of_edges() == len(first.edges)
    x1 = parsed.nodes[families.ids["X1"]]
    assert x1["label_zh"] == "技能X1" and x1["label_en"] == "Skill X1"
    assert x1["cluster_name_zh"].startswith("技能X1") and x1["postings"] == 163
    some = first.edges[0]
    assert parsed.edges[some.source, some.target]["npmi"] == pytest.approx(some.npmi)
    assert parsed.graph["region"] == "all"


def test_taxonomy_headings_are_left_out_unless_asked_for(
    session: Session, factory: sessionmaker[Session]
) -> None:
    store = Store(factory)
    store.concepts(["A", "B"])
    store.concepts(["H"], kind="cluster")
    store.posting(["A", "B", "H"], times=4)
    store.posting(["H"], times=4)
    store.count()
    default = skill_graph(session, min_pair=1, min_npmi=0.0)
    assert {n.label_en for n in default.nodes} == {"Skill A", "Skill B"}
    assert "cluster" not in default.parameters["kinds"]
    asked = skill_graph(session, min_pair=1, min_npmi=0.0, kinds=["skill", "cluster"])
    assert {n.label_en for n in asked.nodes} == {"Skill A", "Skill B", "Skill H"}
    with pytest.raises(GraphInputError):
        skill_graph(session, kinds=["planet"])


def test_a_cube_refresh_gives_a_new_graph_not_the_cached_one(session: Session, tiny: Store) -> None:
    before = skill_graph(session, min_pair=1, min_npmi=0.0)
    assert skill_graph(session, min_pair=1, min_npmi=0.0) is before  # cached
    tiny.posting(["A", "B"], times=2)
    tiny.count()
    session.expire_all()
    after = skill_graph(session, min_pair=1, min_npmi=0.0)
    assert after.postings == 12 and after is not before
    assert next(e.n for e in after.edges if e.n >= 3) == 5
