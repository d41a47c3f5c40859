"""Our own taxonomy format: import from CSV/XLSX, export, and refusals that change nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.errors import Conflict
from talentbridge.registry.exports import write_table
from talentbridge.store.tables import Concept, ConceptLabel, Taxonomy
from talentbridge.taxonomy.concepts import (
    COLUMNS,
    TaxonomyInvalid,
    export_taxonomy,
    import_taxonomy_file,
    read_taxonomy_file,
    specs_of,
)

GOOD = [
    {"id": "c.customs", "kind": "cluster", "label_zh": "关务", "label_en": "Customs"},
    {
        "id": "g.declare",
        "kind": "group",
        "parent": "c.customs",
        "label_zh": "报关业务",
        "label_en": "Customs declaration work",
    },
    {
        "id": "s.declare",
        "kind": "skill",
        "parent": "g.declare",
        "label_zh": "报关",
        "label_en": "customs declaration",
        "aliases_zh": "报关单申报|申报",
        "aliases_en": "customs clearance",
        "description_zh": "向海关申报进出口货物。",
    },
    {
        "id": "s.incoterms",
        "kind": "knowledge",
        "parent": "g.declare",
        "label_zh": "国际贸易术语",
        "label_en": "Incoterms",
        "abbreviations": "FOB|CIF",
    },
]


def _file(path: Path, rows: list[dict[str, str]]) -> Path:
    write_table(path, list(COLUMNS), [{c: row.get(c, "") for c in COLUMNS} for row in rows])
    return path


def _counts(session: Session) -> tuple[int, int, int]:
    return (
        session.scalar(select(func.count()).select_from(Taxonomy)) or 0,
        session.scalar(select(func.count()).select_from(Concept)) or 0,
        session.scalar(select(func.count()).select_from(ConceptLabel)) or 0,
    )


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_good_taxonomy_file_installs_every_concept_and_label(
    suffix: str, tmp_path: Path, factory: sessionmaker[Session], session: Session
) -> None:
    path = _file(tmp_path / f"college{suffix}", GOOD)

    report = import_taxonomy_file(factory, path, code="college-C01", version="1")

    assert (report.concepts, report.labels) == (4, 13)
    specs = {s.key: s for s in specs_of(session, report.taxonomy_id)}
    assert specs["s.declare"].parent == "g.declare"
    assert specs["s.declare"].aliases_zh == ("报关单申报", "申报")
    assert specs["s.incoterms"].abbreviations == ("FOB", "CIF")
    taxonomy = session.get(Taxonomy, report.taxonomy_id)
    assert taxonomy is not None and taxonomy.name == "college-C01" and taxonomy.is_active


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_then_import_gives_identical_specs(
    suffix: str, tmp_path: Path, factory: sessionmaker[Session], session: Session
) -> None:
    first = import_taxonomy_file(factory, _file(tmp_path / "in.csv", GOOD), code="a", version="1")
    exported = tmp_path / f"out{suffix}"

    assert export_taxonomy(session, first.taxonomy_id, exported) == 4
    second = import_taxonomy_file(factory, exported, code="b", version="1")

    assert specs_of(session, second.taxonomy_id) == specs_of(session, first.taxonomy_id)
    assert read_taxonomy_file(exported)[2].aliases_en == ("customs clearance",)


def _refused(factory: sessionmaker[Session], session: Session, path: Path) -> list[tuple[int, str]]:
    before = _counts(session)
    with pytest.raises(TaxonomyInvalid) as refused:
        import_taxonomy_file(factory, path, code="college-C01", version="1")
    assert _counts(session) == before
    return [(p.row_number, p.reason) for p in refused.value.problems]


def test_duplicate_ids_are_refused_naming_both_rows(
    tmp_path: Path, factory: sessionmaker[Session], session: Session
) -> None:
    rows = [*GOOD, {"id": "s.declare", "kind": "skill", "parent": "g.declare", "label_en": "x"}]

    problems = _refused(factory, session, _file(tmp_path / "dup.csv", rows))

    assert problems == [(6, "duplicate id 's.declare' (first on row 4)")]


def test_a_cycle_in_the_hierarchy_is_refused_naming_its_rows(
    tmp_path: Path, factory: sessionmaker[Session], session: Session
) -> None:
    rows = [
        *GOOD,
        {"id": "a", "kind": "group", "parent": "b", "label_en": "group a"},
        {"id": "b", "kind": "group", "parent": "a", "label_en": "group b"},
    ]

    problems = _refused(factory, session, _file(tmp_path / "cycle.csv", rows))

    cycles = [(row, reason) for row, reason in problems if "cycle" in reason]
    assert len(cycles) == 1
    assert "(rows 6, 7)" in cycles[0][1]
    assert cycles[0][0] in (6, 7)


def test_an_unknown_parent_is_refused(
    tmp_path: Path, factory: sessionmaker[Session], session: Session
) -> None:
    rows = [*GOOD, {"id": "s.x", "kind": "skill", "parent": "g.nowhere", "label_en": "x skill"}]

    problems = _refused(factory, session, _file(tmp_path / "parent.csv", rows))

    assert problems == [(6, "parent 'g.nowhere' does not exist")]


def test_a_label_shared_by_two_concepts_is_refused(
    tmp_path: Path, factory: sessionmaker[Session], session: Session
) -> None:
    rows = [
        *GOOD,
        {"id": "s.clear", "kind": "skill", "parent": "g.declare", "label_en": "Customs Clearance"},
    ]

    problems = _refused(factory, session, _file(tmp_path / "label.csv", rows))

    assert problems == [
        (6, "label 'Customs Clearance' also belongs to 's.declare' (row 4)"),
    ]


def test_an_unknown_kind_is_refused(
    tmp_path: Path, factory: sessionmaker[Session], session: Session
) -> None:
    rows = [*GOOD, {"id": "s.y", "kind": "hobby", "parent": "g.declare", "label_en": "y"}]

    problems = _refused(factory, session, _file(tmp_path / "kind.csv", rows))

    assert (6, "unknown kind 'hobby'") in problems


def test_a_refused_file_leaves_the_installed_version_as_it_was(
    tmp_path: Path, factory: sessionmaker[Session], session: Session
) -> None:
    good = import_taxonomy_file(factory, _file(tmp_path / "good.csv", GOOD), code="t", version="1")
    rows = [*GOOD, {"id": "s.declare", "kind": "skill", "label_en": "again"}]

    with pytest.raises(TaxonomyInvalid):
        import_taxonomy_file(factory, _file(tmp_path / "bad.csv", rows), code="t", version="2")

    assert _counts(session) == (1, 4, good.labels)
    assert session.get(Taxonomy, good.taxonomy_id).is_active  # type: ignore[union-attr]


def test_same_version_with_other_content_is_a_conflict(
    tmp_path: Path, factory: sessionmaker[Session], session: Session
) -> None:
    import_taxonomy_file(factory, _file(tmp_path / "v1.csv", GOOD), code="t", version="1")
    changed = [*GOOD[:3], {**GOOD[3], "label_en": "International commercial terms"}]

    again = import_taxonomy_file(factory, _file(tmp_path / "same.csv", GOOD), code="t", version="1")
    with pytest.raises(Conflict, match="new version"):
        import_taxonomy_file(factory, _file(tmp_path / "v1b.csv", changed), code="t", version="1")

    assert again.unchanged
    assert _counts(session)[:2] == (1, 4)


def test_a_new_version_deactivates_the_old_one(
    tmp_path: Path, factory: sessionmaker[Session], session: Session
) -> None:
    old = import_taxonomy_file(factory, _file(tmp_path / "v1.csv", GOOD), code="t", version="1")
    new = import_taxonomy_file(factory, _file(tmp_path / "v2.csv", GOOD[:3]), code="t", version="2")

    active = {v: on for v, on in session.execute(select(Taxonomy.version, Taxonomy.is_active))}
    assert active == {"1": False, "2": True}
    assert (old.concepts, new.concepts) == (4, 3)
