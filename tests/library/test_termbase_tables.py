"""Term base as CSV/XLSX (issue 7): round trips through the store and row refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.library.termbase import import_tbx, load_entries
from talentbridge.library.termbase_tables import COLUMNS, import_table, write_csv, write_xlsx
from talentbridge.store.library_tables import TermConcept

SAMPLE = Path(__file__).parent / "data" / "tbx_basic_sample.tbx"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_table_round_trip_gives_the_same_entries(
    factory: sessionmaker[Session], tmp_path: Path, suffix: str
) -> None:
    import_tbx(factory, SAMPLE)
    out = tmp_path / f"terms{suffix}"
    with factory() as session:
        before = load_entries(session)
        written = (write_csv if suffix == ".csv" else write_xlsx)(session, out)
    assert written == 6
    # idempotent against the store it came from
    report = import_table(factory, out)
    assert (report.read, report.unchanged, report.stored, report.rejected) == (6, 6, 0, 0)
    # and into an empty store: the same entries
    with factory() as session:
        for concept in session.scalars(select(TermConcept)):
            session.delete(concept)
        session.commit()
    report = import_table(factory, out)
    assert report.stored == 6 and report.balanced
    with factory() as session:
        assert load_entries(session) == before


def test_bad_rows_are_rejected_and_counted(factory: sessionmaker[Session], tmp_path: Path) -> None:
    path = tmp_path / "terms.csv"
    header = ",".join(COLUMNS)
    rows = [
        "e1,logistics,提单定义,B/L definition,,en,bill of lading,preferred,fullForm,,,,,",
        "e1,,,,,zh,提单,preferred,,,,,,",
        "e1,,,,,zh,提单,admitted,,,,,,",  # duplicate term
        ",x,,,,en,orphan,preferred,,,,,,",  # no entry id
        "e2,,,,,en,thing,favourite,,,,,,",  # unknown status
        "e3,,,,,,lonely,preferred,,,,,,",  # term without lang
        'e4,,,,,en,x,admitted,,,,,"{not json",',
    ]
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    report = import_table(factory, path)
    assert (report.read, report.stored, report.duplicates, report.rejected) == (7, 2, 1, 4)
    assert [e.row_number for e in report.errors] == [5, 6, 7, 8]
    assert "unknown status 'favourite'" in report.errors[1].reason
    with factory() as session:
        (entry,) = load_entries(session)
    assert entry.definitions == {"zh": "提单定义", "en": "B/L definition"}
    assert [s.lang for s in entry.langs] == ["zh", "en"]
