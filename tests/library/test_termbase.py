"""Term base in the store (issue 7): TBX import/export round trip, upsert, skills, expand."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.library.tbx import parse_tbx
from talentbridge.library.termbase import (
    canonical,
    expand,
    export_tbx,
    import_bundled,
    import_tbx,
    load_entries,
    normalize,
)
from talentbridge.store.library_tables import Term, TermConcept
from talentbridge.store.tables import Concept, ConceptLabel, ImportRun, Taxonomy
from talentbridge.taxonomy.concepts import load_bundled_taxonomy

DATA = Path(__file__).parent / "data"
SAMPLE = DATA / "tbx_basic_sample.tbx"


def test_normalize_folds_width_case_and_spaces() -> None:
    assert normalize("  Bill   of\u3000LADING ") == "bill of lading"
    assert normalize("ＦＯＢ") == "fob"
    assert normalize("B/L") == "b/l"


def test_import_export_import_gives_the_same_entries(
    factory: sessionmaker[Session], tmp_path: Path
) -> None:
    report = import_tbx(factory, SAMPLE)
    assert (report.read, report.stored, report.unchanged) == (2, 2, 0)
    with factory() as session:
        stored = load_entries(session)
        exported = export_tbx(session)
    expected = [canonical(e) for e in parse_tbx(SAMPLE.read_bytes()).entries]
    assert stored == expected
    # German definition-free section, unknown categories and term extras survive
    assert any("grammaticalGender" in x for x in stored[0].langs[-1].terms[0].extra)
    again = tmp_path / "again.tbx"
    again.write_bytes(exported)
    assert [canonical(e) for e in parse_tbx(exported).entries] == expected
    second = import_tbx(factory, again)
    assert (second.stored, second.unchanged) == (0, 2)  # idempotent
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(TermConcept)) == 2
        assert session.scalar(select(func.count()).select_from(Term)) == 6
        runs = session.scalars(select(ImportRun).where(ImportRun.kind == "termbase")).all()
        assert [r.status for r in runs] == ["finished", "finished"]


def test_changed_entry_is_updated_in_place(factory: sessionmaker[Session], tmp_path: Path) -> None:
    import_tbx(factory, SAMPLE)
    changed = tmp_path / "changed.tbx"
    changed.write_text(
        SAMPLE.read_text(encoding="utf-8").replace("<term>B/L</term>", "<term>BL</term>"),
        encoding="utf-8",
    )
    report = import_tbx(factory, changed)
    assert (report.stored, report.unchanged) == (1, 1)
    with factory() as session:
        texts = set(session.scalars(select(Term.text)))
        assert "BL" in texts and "B/L" not in texts
        assert session.scalar(select(func.count()).select_from(TermConcept)) == 2


def test_expand_goes_from_a_term_to_all_preferred_and_admitted_terms(
    factory: sessionmaker[Session],
) -> None:
    import_tbx(factory, SAMPLE)
    with factory() as session:
        hits = expand(session, "提单")
        assert [(h.text, h.weight, h.is_query) for h in hits] == [
            ("提单", 1.0, True),
            ("bill of lading", 0.8, False),
            ("B/L", 0.6, False),
        ]
        # a deprecated synonym finds the concept but is not itself suggested to others
        hits = expand(session, "Joint  Coupler")
        assert hits[0].text == "joint coupler" and hits[0].status == "deprecated"
        assert [h.text for h in hits[1:]] == ["coupling", "Kupplung"]
        assert [h.text for h in expand(session, "coupling")] == ["coupling", "Kupplung"]
        assert expand(session, "nothing here") == []


def test_terms_link_to_the_skill_with_the_same_label(factory: sessionmaker[Session]) -> None:
    with factory() as session:
        taxonomy = Taxonomy(code="talentbridge", version="1", name="tb", is_active=True)
        session.add(taxonomy)
        session.flush()
        skill = Concept(taxonomy_id=taxonomy.id, key="tb.docs.bl", kind="skill", label_zh="提单")
        other = Concept(taxonomy_id=taxonomy.id, key="tb.x", kind="skill", label_en="coupling")
        twin = Concept(taxonomy_id=taxonomy.id, key="tb.y", kind="skill", label_en="other")
        session.add_all([skill, other, twin])
        session.flush()
        session.add(
            ConceptLabel(concept_id=twin.id, lang="en", text="Coupling", label_type="alias")
        )
        session.commit()
        skill_id = skill.id
    report = import_tbx(factory, SAMPLE)
    assert report.message and "1 concepts linked" in report.message
    with factory() as session:
        rows = session.execute(select(TermConcept.entry_id, TermConcept.skill_concept_id))
        links = {entry_id: skill for entry_id, skill in rows}
    assert links == {"c2": skill_id, "c1": None}  # c1 is ambiguous: two skills say coupling


def test_bundled_term_base_imports_complete_bilingual_concepts(
    factory: sessionmaker[Session],
) -> None:
    report = import_bundled(factory)
    assert report.stored >= 50 and report.rejected == 0
    with factory() as session:
        entries = load_entries(session)
        for entry in entries:
            assert entry.subject_field, entry.entry_id
            assert entry.definitions.keys() == {"zh", "en"}, entry.entry_id
            for lang in ("zh", "en"):
                section = entry.lang(lang)
                assert section is not None and section.terms, (entry.entry_id, lang)
                assert section.terms[0].status == "preferred", (entry.entry_id, lang)
        texts = {h.text for h in expand(session, "提单")}
        assert {"bill of lading", "B/L"} <= texts
        assert "letter of credit" in {h.text for h in expand(session, "l/c")}
    assert import_bundled(factory).unchanged == report.stored


def test_bundled_term_base_links_to_the_bundled_skill_taxonomy(
    factory: sessionmaker[Session],
) -> None:
    load_bundled_taxonomy(factory)
    report = import_bundled(factory)
    with factory() as session:
        rows = session.execute(
            select(TermConcept.entry_id, Concept.key).join(
                Concept, Concept.id == TermConcept.skill_concept_id
            )
        ).all()
    links = {entry_id: key for entry_id, key in rows}
    assert links["tb-rail-china-europe-railway"] == "tb.freight.rail.cr_express"
    assert links["tb-warehousing-forklift"] == "tb.warehouse.handling.forklift"
    assert len(links) >= report.stored // 3
