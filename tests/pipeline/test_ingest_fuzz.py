"""Property tests: whatever the cells hold, readers return every row unchanged and the
pipeline accounts for every row (stored, duplicate, unchanged or rejected)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.pipeline.postings import ingest_records
from talentbridge.pipeline.readers import read_table
from talentbridge.store.tables import Posting, PostingSource

# Text a GB18030 file can hold: CJK, ASCII, full-width forms, quotes, commas, newlines.
CELL = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
        st.sampled_from(list("，。；：“”‘’（）【】\n\t ＡＢ１２")),
    ),
    max_size=40,
)
HEADER = ["职位名称", "薪资", "公司", "工作地点", "职位描述"]


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.lists(CELL, min_size=5, max_size=5), min_size=1, max_size=8),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))  # fmt: skip
def test_csv_reader_returns_every_row_unchanged(rows: list[list[str]], encoding: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.csv"
        with path.open("w", encoding=encoding, newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADER)
            writer.writerows(rows)
        with read_table(path) as table:
            read = [[row.values[h] for h in HEADER] for row in table]
    # Rows whose cells are all blank are not records: the reader skips them by design.
    expected = [
        [cell.replace("\r\n", "\n") for cell in row] for row in rows if any(c.strip() for c in row)
    ]
    assert read == expected


@settings(max_examples=40, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from(["title", "company", "x"]), CELL), max_size=8))
def test_jsonl_reader_returns_every_line(objects: list[dict[str, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.jsonl"
        path.write_text(
            "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects), encoding="utf-8"
        )
        if not objects:
            return
        with read_table(path) as table:
            rows = list(table)
    assert len(rows) == len(objects)
    assert [r.values for r in rows] == [{k: v for k, v in o.items()} for o in objects]


RECORD = st.fixed_dictionaries(
    {"title": CELL, "company": CELL, "salary": CELL, "location": CELL, "description": CELL}
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(records=st.lists(RECORD, min_size=1, max_size=6))
def test_every_record_is_accounted_for(
    factory: sessionmaker[Session], records: list[dict[str, str]]
) -> None:
    with factory() as session:
        before = session.scalar(select(func.count()).select_from(PostingSource)) or 0
    report = ingest_records(
        factory, records, channel="api", source="fuzz", reference=dt.date(2026, 11, 29)
    )
    assert report.balanced and report.read == len(records)
    with factory() as session:
        sources = session.scalar(select(func.count()).select_from(PostingSource)) or 0
        postings = session.scalar(select(func.count()).select_from(Posting)) or 0
    # Every row that was not rejected (nor already seen) left a source record.
    assert sources - before == report.stored + report.duplicates
    assert postings >= report.stored
