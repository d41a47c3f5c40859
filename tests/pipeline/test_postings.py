"""The posting pipeline end to end, on real files in real formats."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from support import shared_file
from talentbridge.errors import InputFileError
from talentbridge.pipeline.postings import import_postings, ingest_records
from talentbridge.store.tables import (
    ImportRun,
    Organization,
    Posting,
    PostingFlag,
    PostingSource,
    RejectedRow,
)

TODAY = dt.date(2026, 11, 29)
DESCRIPTION = (
    "岗位职责：1、负责进出口货物的报关报检工作，熟悉HS归类和单一窗口操作；"
    "2、跟进中欧班列订舱与提单制作，协调海外仓入库。任职要求：大专及以上学历，"
    "持有1+X物流管理职业技能等级证书者优先，熟练使用Excel和WMS系统。"
    "福利待遇：五险一金，带薪年假。"
)


def count(session: Session, model: type) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def write_csv(
    path: Path, header: list[str], rows: list[list[str]], encoding: str = "utf-8-sig"
) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


HEADER = [
    "职位名称",
    "薪资",
    "公司",
    "工作地点",
    "工作经验",
    "学历",
    "招聘人数",
    "发布时间",
    "职位描述",
    "备注",
]


def good_rows() -> list[list[str]]:
    return [
        [
            "报关员",
            "6-8K",
            "示例·重庆渝新欧物流有限公司",
            "重庆渝北",
            "1-3年",
            "大专",
            "招2人",
            "2026-11-20",
            DESCRIPTION,
            "内推",
        ],
        [
            "跨境电商运营",
            "8千-1.2万",
            "示例·成都天府跨境电商有限公司",
            "成都-武侯区",
            "经验不限",
            "本科",
            "若干",
            "3天前",
            "负责亚马逊店铺运营与Listing优化，熟悉PPC广告投放。",
            "",
        ],
        [
            "仓储主管",
            "10-15万/年",
            "示例·成都青白江仓储有限公司",
            "成都市青白江区",
            "3-5年",
            "中专/中技",
            "1人",
            "05-11发布",
            "负责仓库WMS系统管理，持叉车证优先，限男性，年龄35岁以下。",
            "",
        ],
    ]


def test_a_csv_file_is_normalized_into_postings_with_provenance(
    factory: sessionmaker[Session], tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "board.csv", HEADER, good_rows())
    report = import_postings(factory, path, source="board-a", reference=TODAY)
    assert (report.read, report.stored, report.rejected) == (3, 3, 0)
    assert report.balanced
    with factory() as session:
        customs = session.scalars(select(Posting).where(Posting.title == "报关员")).one()
        assert (customs.salary_min, customs.salary_max, customs.salary_months) == (6000, 8000, 12)
        assert (customs.province_code, customs.city_code, customs.district_code) == (
            "500000", "500000", "500112",
        )  # fmt: skip
        assert customs.in_circle
        assert customs.education_level == 4 and customs.openings == 2
        assert customs.posted_on == dt.date(2026, 11, 20) and customs.posted_month == "2026-11"
        assert customs.attributes == {"备注": "内推"}  # an unknown column is kept, not dropped
        assert "五险一金" not in customs.requirements and "报关报检" in customs.requirements
        ecommerce = session.scalars(select(Posting).where(Posting.title == "跨境电商运营")).one()
        assert ecommerce.district_code == "510107" and ecommerce.posted_on == dt.date(2026, 11, 26)
        assert ecommerce.experience_min == 0 and ecommerce.openings is None
        warehouse = session.scalars(select(Posting).where(Posting.title == "仓储主管")).one()
        assert (warehouse.salary_min, warehouse.salary_max) == (8333, 12500)
        assert warehouse.posted_on == dt.date(2026, 5, 11)
        assert warehouse.flag_count >= 2
        rules = set(
            session.scalars(select(PostingFlag.rule).where(PostingFlag.posting_id == warehouse.id))
        )
        assert {"gender", "age"} <= rules
        sources = session.scalars(select(PostingSource).order_by(PostingSource.row_number)).all()
        assert [(s.source, s.row_number, s.relation) for s in sources] == [
            ("board-a", 2, "original"), ("board-a", 3, "original"), ("board-a", 4, "original"),
        ]  # fmt: skip
        run = session.get(ImportRun, report.run_id)
        assert run is not None and run.status == "finished" and run.rows_stored == 3
        assert run.message is not None and "salary parsed 3/3" in run.message


def test_reimporting_the_same_file_changes_nothing(
    factory: sessionmaker[Session], tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "board.csv", HEADER, good_rows())
    import_postings(factory, path, reference=TODAY)
    with factory() as session:
        before = (
            count(session, Posting),
            count(session, PostingSource),
            count(session, PostingFlag),
        )
    again = import_postings(factory, path, reference=TODAY)
    assert (again.read, again.stored, again.unchanged) == (3, 0, 3)
    with factory() as session:
        after = (
            count(session, Posting),
            count(session, PostingSource),
            count(session, PostingFlag),
        )
    assert after == before


def test_bad_rows_are_rejected_with_row_field_and_reason_and_valid_rows_still_go_in(
    factory: sessionmaker[Session], tmp_path: Path
) -> None:
    rows = [
        *good_rows(),
        ["", "6-8K", "示例·某公司", "成都", "", "", "", "", "负责报关。", ""],
        ["单证员", "8-K", "", "成都", "", "", "", "", "", ""],
        ["x" * 300, "6-8K", "示例·某公司", "成都", "", "", "", "", "负责。", ""],
    ]
    path = write_csv(tmp_path / "bad.csv", HEADER, rows)
    report = import_postings(factory, path, reference=TODAY)
    assert (report.stored, report.rejected) == (3, 3) and report.balanced
    reasons = {(e.row_number, e.field) for e in report.errors}
    assert reasons == {(5, "title"), (6, "company"), (7, "title")}
    assert report.rejects_path == tmp_path / "bad.rejects.csv"
    with report.rejects_path.open(encoding="utf-8-sig") as handle:
        rejected = list(csv.DictReader(handle))
    assert [r["_row"] for r in rejected] == ["5", "6", "7"]
    assert rejected[0]["_reason"] == "title is empty" and rejected[1]["薪资"] == "8-K"
    with factory() as session:
        stored = session.scalars(select(RejectedRow).order_by(RejectedRow.row_number)).all()
        assert [(r.row_number, r.field) for r in stored] == [
            (5, "title"),
            (6, "company"),
            (7, "title"),
        ]
        assert stored[1].raw is not None and stored[1].raw["职位名称"] == "单证员"


def test_a_file_without_a_title_column_is_one_clear_error(
    factory: sessionmaker[Session], tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "odd.csv", ["名称", "钱"], [["报关员", "6-8K"]])
    with pytest.raises(InputFileError, match="title"):
        import_postings(factory, path, reference=TODAY)
    with factory() as session:
        assert count(session, ImportRun) == 0


def test_a_mapping_file_names_unknown_columns(
    factory: sessionmaker[Session], tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "odd.csv", ["名称", "钱", "单位"], [["报关员", "6-8K", "示例·甲公司"]]
    )
    mapping = tmp_path / "mapping.csv"
    mapping.write_text("source,target\n名称,title\n钱,salary\n单位,company\n", encoding="utf-8")
    report = import_postings(factory, path, mapping=mapping, reference=TODAY)
    assert report.stored == 1
    with factory() as session:
        posting = session.scalars(select(Posting)).one()
        assert (posting.title, posting.employer_name, posting.salary_max) == (
            "报关员",
            "示例·甲公司",
            8000,
        )


def test_duplicates_across_boards_become_one_posting_with_every_source(
    factory: sessionmaker[Session], tmp_path: Path
) -> None:
    row = good_rows()[0]
    board_a = write_csv(tmp_path / "a.csv", HEADER, [row])
    # The same job on another board: other headers, XLSX, other whitespace and punctuation.
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["title", "salary", "company", "city", "description"])
    sheet.append(
        [row[0], "6000-8000元/月", row[2], "重庆市渝北区", " " + row[8].replace("，", ", ") + " "]
    )
    # Re-posted a week later with one sentence changed: a near duplicate.
    sheet.append(
        [row[0], row[1], row[2], "重庆渝北", row[8].replace("带薪年假", "带薪年假、节日福利")]
    )
    board_b = tmp_path / "b.xlsx"
    book.save(board_b)
    first = import_postings(factory, board_a, source="board-a", reference=TODAY)
    second = import_postings(factory, board_b, source="board-b", reference=TODAY)
    assert first.stored == 1 and (second.stored, second.duplicates) == (0, 2)
    with factory() as session:
        assert count(session, Posting) == 1
        relations = sorted(session.scalars(select(PostingSource.relation)))
        assert relations == ["exact", "near", "original"]
        assert {s for s in session.scalars(select(PostingSource.source))} == {"board-a", "board-b"}


def test_an_interrupted_import_can_be_rerun_to_completion(
    factory: sessionmaker[Session], tmp_path: Path
) -> None:
    rows = [
        [
            f"物流专员{i}",
            "6-8K",
            f"示例·公司{i}",
            "成都",
            "",
            "大专",
            "",
            "",
            f"负责第{i}号仓库的WMS操作与盘点。",
            "",
        ]
        for i in range(25)
    ]
    path = write_csv(tmp_path / "many.csv", HEADER, rows)
    batches = 0

    def crash_after_two_batches(_session: Session, _new: object) -> None:
        nonlocal batches
        batches += 1
        if batches == 3:
            raise KeyboardInterrupt  # as if the process were stopped mid-import

    with pytest.raises(KeyboardInterrupt):
        import_postings(
            factory, path, reference=TODAY, batch_size=10, on_new_postings=crash_after_two_batches
        )
    with factory() as session:
        assert count(session, Posting) == 20  # two whole batches committed, the third rolled back
        failed = session.scalars(select(ImportRun)).one()
        assert failed.status == "failed" and failed.rows_stored == 20
    report = import_postings(factory, path, reference=TODAY, batch_size=10)
    assert (report.unchanged, report.stored, report.rejected) == (20, 5, 0)
    with factory() as session:
        assert count(session, Posting) == 25 and count(session, PostingSource) == 25


def test_json_lines_with_a_broken_line_keep_the_other_lines(
    factory: sessionmaker[Session], tmp_path: Path
) -> None:
    path = tmp_path / "partner.jsonl"
    lines = [
        json.dumps(
            {
                "job_id": "P1",
                "title": "国际货代操作",
                "salary_text": "7-10K·13薪",
                "employer": "示例·乙公司",
                "location": "两江新区",
                "description": "负责海运订舱，熟悉提单与信用证。",
            },
            ensure_ascii=False,
        ),
        "{not json",
        json.dumps(
            {
                "job_id": "P2",
                "title": "冷链物流专员",
                "employer": "示例·丙公司",
                "location": "天府新区",
                "description": "负责冷链仓储温控，持健康证。",
            },
            ensure_ascii=False,
        ),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_postings(factory, path, source="partner", reference=TODAY)
    assert (report.stored, report.rejected) == (2, 1) and report.errors[0].row_number == 2
    with factory() as session:
        forwarder = session.scalars(select(Posting).where(Posting.title == "国际货代操作")).one()
        assert forwarder.salary_months == 13 and forwarder.city_code == "500000"
        cold = session.scalars(select(Posting).where(Posting.title == "冷链物流专员")).one()
        assert cold.city_code == "510100" and cold.flag_count == 0  # 健康证 is lawful
        refs = set(session.scalars(select(PostingSource.source_ref)))
        assert refs == {"P1", "P2"}


def test_records_from_a_recruiter_must_name_their_own_organization(
    factory: sessionmaker[Session],
) -> None:
    with factory() as session:
        org = Organization(code="E1", kind="enterprise", name_zh="示例·丁物流有限公司")
        session.add(org)
        session.commit()
        org_id = org.id
    records = [
        {"title": "叉车司机", "salary": "5-7K", "location": "成都", "description": "持叉车证。"},
        {"title": "调度员", "company": "示例·别家公司", "description": "负责调度。"},
    ]
    report = ingest_records(
        factory, records, channel="api", source="api", organization_id=org_id, reference=TODAY
    )
    assert (report.stored, report.rejected) == (1, 1)
    assert report.errors[0].field == "company" and "own organization" in report.errors[0].reason
    again = ingest_records(
        factory, records, channel="api", source="api", organization_id=org_id, reference=TODAY
    )
    assert (again.stored, again.unchanged) == (0, 1)
    with factory() as session:
        posting = session.scalars(select(Posting)).one()
        assert posting.employer_name == "示例·丁物流有限公司" and posting.organization_id == org_id


@pytest.mark.shared_data
def test_the_whole_51job_export_imports_with_every_row_accounted_for(
    factory: sessionmaker[Session], tmp_path: Path
) -> None:
    path = shared_file("postings/51job-bigdata-2019.csv")
    report = import_postings(
        factory, path, source="51job", reference=dt.date(2019, 12, 31),
        rejects_dir=tmp_path, rejects_beside_input=False,
    )  # fmt: skip
    assert report.read == 4950 and report.balanced
    assert report.rejected < 50 and all(e.field == "title" for e in report.errors)
    assert report.rejects_path == tmp_path / "51job-bigdata-2019.rejects.csv"
    with factory() as session:
        total = count(session, Posting)
        assert total == report.stored
        with_salary = session.scalar(select(func.count()).where(Posting.salary_text.is_not(None)))
        parsed = session.scalar(
            select(func.count()).where(
                Posting.salary_text.is_not(None),
                (Posting.salary_min.is_not(None))
                | (Posting.salary_max.is_not(None))
                | Posting.salary_negotiable,
            )
        )
        assert with_salary and parsed is not None and parsed / with_salary >= 0.98
        chengdu = session.scalar(select(func.count()).where(Posting.city_code == "510100"))
        chongqing = session.scalar(select(func.count()).where(Posting.city_code == "500000"))
        assert chengdu is not None and chongqing is not None
        assert chengdu >= 230 and chongqing >= 90
        # Every Chengdu or Chongqing place written with a district (成都-武侯区) resolves it.
        with_district_text = select(func.count()).where(
            Posting.city_code.in_(["510100", "500000"]), Posting.place_text.contains("-")
        )
        with_district_text_total = session.scalar(with_district_text)
        resolved = session.scalar(with_district_text.where(Posting.district_code.is_not(None)))
        assert with_district_text_total and with_district_text_total >= 200
        assert resolved == with_district_text_total
        assert session.scalar(select(func.count()).where(Posting.posted_on == dt.date(2019, 9, 13)))
    assert report.message is not None and "salary parsed" in report.message


def test_a_recruiter_record_without_employer_or_description_is_their_own(
    factory: sessionmaker[Session],
) -> None:
    with factory() as session:
        org = Organization(
            code="E2", kind="enterprise", name_zh="示例·戊物流", name_en="Wu Logistics"
        )
        session.add(org)
        session.commit()
        org_id = org.id
    report = ingest_records(
        factory,
        [{"title": "理货员"}],
        channel="api",
        source="api",
        organization_id=org_id,
        reference=TODAY,
    )
    assert report.stored == 1
    with factory() as session:
        assert session.scalars(select(Posting.employer_name)).one() == "示例·戊物流"


def test_one_request_may_mix_chinese_and_english_keys(factory: sessionmaker[Session]) -> None:
    records = [
        {"title": "单证员", "company": "示例·己公司", "description": "制作提单。"},
        {"职位名称": "报关员", "公司": "示例·庚公司", "职位描述": "负责报关。"},
    ]
    report = ingest_records(factory, records, channel="api", source="api", reference=TODAY)
    assert report.stored == 2
    with factory() as session:
        assert set(session.scalars(select(Posting.title))) == {"单证员", "报关员"}
        assert set(session.scalars(select(Posting.employer_name))) == {"示例·己公司", "示例·庚公司"}
