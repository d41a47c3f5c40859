"""ESCO import: labels recovered from the flattened description, clashes resolved."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from support import shared_file
from talentbridge.errors import InputFileError
from talentbridge.store.tables import Concept, ConceptLabel, Taxonomy
from talentbridge.taxonomy.concepts import specs_of
from talentbridge.taxonomy.esco import (
    ESCO_CODE,
    EscoRow,
    esco_specs,
    import_esco,
    read_esco_occupations,
    read_esco_skills,
)

SKILL = "http://data.europa.eu/esco/skill/"


def test_all_esco_skills_install_with_known_labels_and_kinds(
    factory: sessionmaker[Session], session: Session
) -> None:
    report = import_esco(factory, shared_file("esco/skills.csv"))

    assert report.concepts == 13939
    assert report.labels > 13939 * 3
    assert session.scalar(select(func.count()).select_from(Concept)) == 13939
    taxonomy = session.scalars(select(Taxonomy)).one()
    assert (taxonomy.code, taxonomy.version, taxonomy.is_active) == (ESCO_CODE, "1.x", True)
    by_key = {s.key: s for s in specs_of(session, taxonomy.id)}
    musical = by_key[SKILL + "0005c151-5b5a-4a66-8aac-60e734beb1ab"]
    assert (musical.label_en, musical.kind) == ("manage musical staff", "skill")
    assert "manage staff of music" in musical.aliases_en
    assert "direct musical staff" in musical.aliases_en
    assert musical.description_en.startswith("Assign and manage staff tasks")
    haskell = by_key[SKILL + "000f1d3d-220f-4789-9c0a-cc742521fb02"]
    assert (haskell.label_en, haskell.kind) == ("Haskell", "knowledge")
    assert haskell.aliases_en == ("Haskell techniques",)
    urdu = by_key[SKILL + "f018c29a-e837-4c4e-ac7c-aea212e0fc48"]
    assert (urdu.label_en, urdu.kind) == ("understand spoken Urdu", "skill")
    assert "listen to Urdu" in urdu.aliases_en
    team = by_key[SKILL + "1f1d2ff8-c4c1-45cc-9812-6a7ee84a73cb"]
    assert team.label_en == "lead a team"
    kinds = [s.kind for s in by_key.values()]
    assert 2000 < kinds.count("knowledge") < 4500


def test_reinstalling_the_same_esco_version_changes_nothing(
    factory: sessionmaker[Session], session: Session
) -> None:
    path = shared_file("esco/skills.csv")
    first = import_esco(factory, path)
    again = import_esco(factory, path)

    assert again.unchanged and not first.unchanged
    assert again.taxonomy_id == first.taxonomy_id
    assert session.scalar(select(func.count()).select_from(Concept)) == 13939
    assert session.scalar(select(func.count()).select_from(ConceptLabel)) == first.labels


def _row(uri: str, label: str, *alts: str) -> EscoRow:
    return EscoRow(SKILL + uri, label, alts, "Do it.", row_number=2)


def test_alias_clash_goes_to_the_preferred_label_then_the_first_uri() -> None:
    skills = esco_specs(
        [
            _row("b", "manage stock", "keep stock", "control inventory"),
            _row("c", "count stock", "control inventory", "do stocktaking"),
            _row("a", "keep stock", "look after stock"),
            _row("d", "ship goods", "ab"),
        ]
    )

    by_key = {s.key.rsplit("/", 1)[1]: s for s in skills.specs}
    assert list(by_key) == ["a", "b", "c", "d"]
    assert by_key["a"].label_en == "keep stock"  # a's preferred label: b loses the alias
    assert by_key["b"].aliases_en == ("control inventory",)  # b is first by URI
    assert by_key["c"].aliases_en == ("do stocktaking",)
    assert by_key["d"].aliases_en == ()  # "ab" is shorter than three characters
    assert (skills.aliases_dropped_clash, skills.aliases_dropped_short) == (2, 1)


def test_two_concepts_with_one_preferred_label_are_kept_apart() -> None:
    skills = esco_specs(
        [_row("x2", "pack goods", "box goods"), _row("x1", "Pack goods", "wrap goods")]
    )

    assert [s.label_en for s in skills.specs] == ["Pack goods", "box goods"]
    assert skills.specs[1].aliases_en == ()
    assert skills.preferred_renamed == 1


def test_parsed_labels_are_validated_and_installed(
    tmp_path: Path, factory: sessionmaker[Session], session: Session
) -> None:
    path = tmp_path / "skills.csv"
    path.write_text(
        "id,description\n"
        f'{SKILL}s1,"manage stock keep stock Manage the stock levels."\n'
        f'{SKILL}s2,"Incoterms The international commercial terms."\n',
        encoding="utf-8",
    )

    report = import_esco(factory, path, version="test")

    specs = specs_of(session, report.taxonomy_id)
    assert [(s.label_en, s.kind) for s in specs] == [
        ("manage stock keep stock", "skill"),
        ("Incoterms", "knowledge"),
    ]


def test_esco_file_without_description_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("id,label\nhttp://x,y\n", encoding="utf-8")

    with pytest.raises(InputFileError, match="id and description"):
        read_esco_skills(path)


def test_esco_occupations_have_labels_and_isco_groups_have_codes() -> None:
    occupations = read_esco_occupations(shared_file("esco/occupations.csv"))

    assert len(occupations) == 3658
    by_uri = {o.uri: o for o in occupations}
    director = by_uri["http://data.europa.eu/esco/occupation/00030d09-2b3a-4efd-87cc-c4ea39d27c34"]
    assert director.label_en == "technical director"
    assert "technical manager" in director.alt_labels
    assert director.isco_code is None
    armed = by_uri["http://data.europa.eu/esco/isco/C0"]
    assert (armed.label_en, armed.isco_code) == ("Armed forces occupations", "0")
    groups = [o for o in occupations if o.isco_code is not None]
    assert len(groups) == 619
