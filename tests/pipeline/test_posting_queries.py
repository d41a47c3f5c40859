"""Read queries over postings, their flags and sources, and posting import runs."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.errors import NotFound
from talentbridge.pipeline import posting_queries as pq
from talentbridge.pipeline.postings import import_postings, ingest_records
from talentbridge.store.tables import ImportRun, Organization

RECORDS = [
    {
        "title": "仓库管理员",
        "company": "蓉欧示例物流有限公司",
        "location": "成都-武侯区",
        "salary": "6-8K",
        "description": "限男性，年龄35岁以下，负责出入库。",
    },
    {
        "title": "报关员",
        "company": "渝新欧示例贸易有限公司",
        "location": "重庆渝北",
        "salary": "8千-1.2万",
        "description": "熟悉报关流程。",
    },
    {"title": "", "company": "无名公司", "description": "没有职位名称"},
]


@pytest.fixture()
def org_id(session: Session) -> int:
    org = Organization(code="ENT-Q", kind="enterprise", name_zh="蓉欧示例物流有限公司")
    session.add(org)
    session.commit()
    return org.id


def _ingest(factory: sessionmaker[Session], user_id: int | None = 7) -> int:
    report = ingest_records(factory, RECORDS, channel="api", source="api", user_id=user_id)
    assert report.stored == 2 and report.rejected == 1
    return report.run_id


def test_list_postings_filters_by_city_text_and_organization(
    factory: sessionmaker[Session], session: Session, org_id: int
) -> None:
    _ingest(factory)
    titles = {p.title for p in pq.list_postings(session)}
    assert titles == {"仓库管理员", "报关员"}
    assert [p.title for p in pq.list_postings(session, city_code="510100")] == ["仓库管理员"]
    assert [p.title for p in pq.list_postings(session, city_code="500112")] == ["报关员"]
    assert [p.title for p in pq.list_postings(session, q="渝新欧")] == ["报关员"]
    assert [p.title for p in pq.list_postings(session, organization_id=org_id)] == ["仓库管理员"]
    assert pq.count_postings(session) == 2
    assert pq.count_postings(session, city_code="510100", q="报关") == 0
    assert len(pq.list_postings(session, limit=1, offset=1)) == 1


def test_flags_and_sources_of_a_posting(factory: sessionmaker[Session], session: Session) -> None:
    run_id = _ingest(factory)
    flagged = pq.postings_of_run(session, run_id, flagged_only=True)
    assert [p.title for p in flagged] == ["仓库管理员"]
    posting = flagged[0]
    rules = {f.rule: f.phrase for f in pq.posting_flags(session, posting.id)}
    assert rules == {"gender": "限男性", "age": "年龄35岁以下"}
    by_posting = pq.flags_by_posting(session, [p.id for p in pq.postings_of_run(session, run_id)])
    assert len(by_posting[posting.id]) == 2
    assert pq.flags_by_posting(session, []) == {}
    (source,) = pq.posting_sources(session, posting.id)
    assert (source.source, source.row_number, source.relation) == ("api", 1, "original")
    assert set(pq.posting_ids_of_run(session, run_id)) == {
        p.id for p in pq.postings_of_run(session, run_id)
    }


def test_runs_are_listed_per_user_and_checked_for_balance(
    factory: sessionmaker[Session], session: Session
) -> None:
    mine = _ingest(factory, user_id=7)
    other = ingest_records(
        factory, [{"title": "叉车司机", "company": "甲"}], channel="api", source="api", user_id=8
    ).run_id
    assert [r.id for r in pq.list_posting_runs(session)] == [other, mine]
    assert [r.id for r in pq.list_posting_runs(session, user_id=7)] == [mine]
    run = pq.get_posting_run(session, mine)
    assert pq.run_is_balanced(run)
    run.rows_read += 1
    assert not pq.run_is_balanced(run)


def test_a_run_of_another_kind_or_missing_is_not_found(session: Session) -> None:
    run = ImportRun(kind="majors", file_name="majors.csv")
    session.add(run)
    session.commit()
    with pytest.raises(NotFound):
        pq.get_posting_run(session, run.id)
    assert pq.get_import_run(session, run.id).kind == "majors"
    with pytest.raises(NotFound):
        pq.get_import_run(session, run.id + 100)
    with pytest.raises(NotFound):
        pq.get_posting(session, 12345)


def test_rejects_csv_is_built_from_the_store_with_original_columns(
    factory: sessionmaker[Session], session: Session, tmp_path: Path
) -> None:
    path = tmp_path / "board.csv"
    path.write_text(
        "职位名称,公司名称,薪资\n叉车司机,甲物流,8-12K\n,乙公司,5K\n,丙公司,6K\n",
        encoding="gb18030",
    )
    report = import_postings(factory, path, rejects_dir=tmp_path / "rejects")
    assert report.rejected == 2
    rows = list(csv.reader(io.StringIO(pq.rejects_csv(session, report.run_id))))
    assert rows[0] == ["职位名称", "公司名称", "薪资", "_row", "_field", "_reason"]
    assert [r[1] for r in rows[1:]] == ["乙公司", "丙公司"]
    assert [r[3] for r in rows[1:]] == ["3", "4"]
    assert all(r[4] == "title" and r[5] for r in rows[1:])
    assert [r.row_number for r in pq.rejected_rows(session, report.run_id, limit=1)] == [3]


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("/srv/data/uploads/0123456789ab-jobs.csv", "jobs.csv"),
        ("C:\\exports\\51job.xlsx", "51job.xlsx"),
        ("/tmp/plain-name.csv", "plain-name.csv"),
        ("api:api", "api:api"),
        ("form:recruiter-form", "form:recruiter-form"),
    ],
)
def test_display_file_name_hides_folders_and_upload_prefix(stored: str, shown: str) -> None:
    assert pq.display_file_name(stored) == shown
