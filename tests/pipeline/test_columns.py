from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from support import shared_file
from talentbridge.demo import postings as pg
from talentbridge.errors import InputFileError, TalentBridgeError
from talentbridge.pipeline.columns import (
    FIELDS,
    JOINERS,
    ROW_REQUIRED,
    ColumnMap,
    apply,
    load_mapping_file,
    map_headers,
    unwrap_cell,
)
from talentbridge.pipeline.readers import read_table

JOB51_HEADERS = ["职位", "薪资", "公司", "公司信息", "公司地址", "地区", "工作经验", "学历", "人数", "时间", "岗位信息"]  # fmt: skip
PARTNER_KEYS = ["job_id", "title", "salary_text", "employer", "location", "experience",
                "education", "headcount", "posted_at", "description", "tags", "source"]  # fmt: skip


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("职位", "title"),
        ("职位名称", "title"),
        ("岗位名称", "title"),
        ("招聘职位", "title"),
        ("Job Title", "title"),
        ("job_title", "title"),
        ("JOB-TITLE", "title"),
        (" Position ", "title"),
        ("薪资", "salary"),
        ("月薪", "salary"),
        ("salary_text", "salary"),
        ("Pay", "salary"),
        ("用人单位", "company"),
        ("Employer", "company"),
        ("company_name", "company"),
        ("公司规模", "company_info"),
        ("上班地址", "address"),
        ("工作地点", "location"),
        ("城市", "location"),
        ("work_location", "location"),
        ("经验要求", "experience"),
        ("学历要求", "education"),
        ("Degree", "education"),
        ("招聘人数", "openings"),
        ("headcount", "openings"),
        ("Vacancies", "openings"),
        ("发布日期", "posted"),
        ("posted_at", "posted"),
        ("publish_date", "posted"),
        ("职位描述", "description"),
        ("JD", "description"),
        ("job_description", "description"),
        ("职位ID", "source_id"),
        ("job_id", "source_id"),
        ("行业", "industry"),
        ("链接", "url"),
        ("来源", "source"),
        ("职位名称：", "title"),  # trailing full-width colon
        ("ＴＩＴＬＥ", "title"),  # full-width letters
    ],
)
def test_known_headers_map_automatically(header: str, field: str) -> None:
    cmap = map_headers([header])
    assert cmap.fields == {field: (header,)}
    assert cmap.extra == ()


def test_51job_header_row_maps_every_column() -> None:
    cmap = map_headers(JOB51_HEADERS)
    assert {f: s[0] for f, s in cmap.fields.items()} == {
        "title": "职位",
        "salary": "薪资",
        "company": "公司",
        "company_info": "公司信息",
        "address": "公司地址",
        "location": "地区",
        "experience": "工作经验",
        "education": "学历",
        "openings": "人数",
        "posted": "时间",
        "description": "岗位信息",
    }
    assert cmap.extra == ()
    assert cmap.missing_required() == []


@pytest.mark.parametrize(
    "headers", [list(pg.BOARD_A_HEADERS), list(pg.BOARD_B_HEADERS), PARTNER_KEYS]
)
def test_demo_board_headers_map_to_the_same_fields(headers: list[str]) -> None:
    cmap = map_headers(headers)
    assert {"title", "salary", "company", "location", "experience", "education"} <= set(cmap.fields)
    assert {"openings", "posted", "description", "source"} <= set(cmap.fields)
    assert set(cmap.extra) <= {"tags"}


def test_partner_keys_keep_tags_as_raw_attribute_and_job_id_as_source_id() -> None:
    cmap = map_headers(PARTNER_KEYS)
    assert cmap.extra == ("tags",)
    assert cmap.source_of("source_id") == "job_id"
    assert cmap.source_of("company") == "employer"


def test_user_mapping_wins_and_unknown_headers_are_kept() -> None:
    cmap = map_headers(
        ["岗位", "单位", "Ort", "备注", "城市"],
        {"单位": "company", "ort": "location", "城市": "extra"},
    )
    assert cmap.source_of("title") == "岗位"
    assert cmap.source_of("company") == "单位"
    assert cmap.source_of("location") == "Ort"  # matched case-insensitively
    assert cmap.extra == ("备注", "城市")


def test_user_mapping_to_an_unknown_field_is_refused() -> None:
    with pytest.raises(TalentBridgeError, match="salery"):
        map_headers(["x"], {"x": "salery"})


def test_description_like_columns_are_concatenated_in_file_order() -> None:
    cmap = map_headers(["职位", "岗位职责", "任职要求", "公司规模", "企业性质"])
    assert cmap.fields["description"] == ("岗位职责", "任职要求")
    assert cmap.fields["company_info"] == ("公司规模", "企业性质")
    canonical, extras = apply(
        {"职位": "仓管员", "岗位职责": "负责出入库", "任职要求": "熟悉WMS", "公司规模": "100-499人", "企业性质": ""},
        cmap,
    )  # fmt: skip
    assert canonical["description"] == "负责出入库\n熟悉WMS"
    assert canonical["company_info"] == "100-499人"
    assert extras == {}


def test_a_second_header_for_a_plain_field_is_kept_as_extra() -> None:
    cmap = map_headers(["职位", "岗位名称", "城市", "工作地点"])
    assert cmap.source_of("title") == "职位"
    assert cmap.source_of("location") == "城市"
    assert cmap.extra == ("岗位名称", "工作地点")


def test_missing_title_is_a_file_level_error(tmp_path: Path) -> None:
    cmap = map_headers(["公司", "薪资"])
    assert cmap.missing_required() == ["title"]
    with pytest.raises(InputFileError, match="title"):
        cmap.require(tmp_path / "x.csv")
    map_headers(["职位"]).require(tmp_path / "x.csv")  # no error
    assert ROW_REQUIRED == ("title", "company")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("['1-1.5万/月']", "1-1.5万/月"),
        ("[]", ""),
        (" [] ", ""),
        ("['民营公司| 500-1000人| 教育/培训/院校 计算机软件']", "民营公司| 500-1000人| 教育/培训/院校 计算机软件"),
        ('["a", "b"]', "a b"),
        ("['成都', '武侯区']", "成都 武侯区"),
        ("['', '大专']", "大专"),
        ("plain text", "plain text"),
        ("[岗位职责] 负责仓储 [要求] 大专", "[岗位职责] 负责仓储 [要求] 大专"),
        ("[1, 2]", "[1, 2]"),  # not a list of strings
        ("[['a']]", "[['a']]"),
        ("[__import__('os').system('true')]", "[__import__('os').system('true')]"),
        ("['unterminated]", "['unterminated]"),
        ("", ""),
    ],
)  # fmt: skip
def test_unwrap_cell_understands_list_literals_only(cell: str, expected: str) -> None:
    assert unwrap_cell(cell) == expected


def test_apply_splits_canonical_fields_and_raw_attributes() -> None:
    cmap = map_headers(["职位", "薪资", "备注"])
    canonical, extras = apply(
        {"职位": "['叉车司机']", "薪资": "[]", "备注": "['急招']", "late_key": "x"}, cmap
    )
    assert canonical == {"title": "叉车司机", "salary": ""}
    assert extras == {"备注": "急招", "late_key": "x"}


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("m.csv", "source,target\n单位,company\nOrt,location\n"),
        ("m.json", json.dumps({"单位": "company", "Ort": "location"}, ensure_ascii=False)),
        ("m.toml", '[columns]\n"单位" = "company"\nOrt = "location"\n'),
        ("flat.toml", '"单位" = "company"\nOrt = "Location"\n'),
    ],
)
def test_load_mapping_file_reads_csv_json_and_toml(tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert load_mapping_file(path) == {"单位": "company", "Ort": "location"}


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("bad.csv", "source,target\n单位,employer_name\n", "employer_name"),
        ("bad.json", '{"单位": "salery"}', "salery"),
        ("bad.json", "{not json", "invalid JSON"),
        ("bad.toml", "x = = 1", "invalid TOML"),
        ("cols.csv", "from,to\na,title\n", "source,target"),
        ("m.yaml", "a: title", ".csv, .json or .toml"),
        ("list.json", '["title"]', "object"),
    ],
)
def test_bad_mapping_file_gives_one_clear_error(
    tmp_path: Path, name: str, content: str, reason: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputFileError, match=reason):
        load_mapping_file(path)


def test_missing_mapping_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="not found"):
        load_mapping_file(tmp_path / "nope.csv")


def test_fields_are_the_canonical_names() -> None:
    assert FIELDS == (
        "title", "salary", "company", "company_info", "address", "location", "experience",
        "education", "openings", "posted", "description", "source_id", "industry", "url", "source",
    )  # fmt: skip


@pytest.mark.shared_data
def test_51job_rows_unwrap_to_plain_values() -> None:
    path = shared_file("postings/51job-bigdata-2019.csv")
    with read_table(path) as table:
        assert table.columns is not None
        cmap = map_headers(table.columns)
        rows = [apply(row.values, cmap) for row in table]
    assert len(rows) == 4950
    still_wrapped = [
        value
        for canonical, _ in rows
        for value in canonical.values()
        if value.startswith("['") and value.endswith("']")
    ]
    assert still_wrapped == []
    titles = {c["title"] for c, _ in rows}
    assert "[2020校招]Java开发工程师（大数据方向）" in titles  # brackets inside a value stay
    assert all(extras == {} for _, extras in rows)
    first, _ = rows[0]
    assert first["salary"] == "1-1.5万/月"
    assert first["location"] == "上海-浦东新区"
    assert sum(bool(c["title"]) for c, _ in rows) == 4922


# --- the shortcuts of unwrap_cell and apply against their definitions ------------------


def _unwrap_by_definition(text: str) -> str:
    stripped = text.strip()
    if len(stripped) < 2 or stripped[0] != "[" or stripped[-1] != "]":
        return text
    if stripped == "[]":
        return ""
    try:
        value = ast.literal_eval(stripped)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return text
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return text
    return " ".join(item.strip() for item in value if item.strip())


_CONTENT = st.lists(
    st.characters(exclude_categories=())  # surrogates and controls too
    | st.sampled_from(["'", '"', "\\", "\n", "\r", "\x00", " ", "\u3000", "报", "\\n", "', '"])
).map("".join)


@given(_CONTENT, st.sampled_from(["['{}']", " ['{}'] ", '["{}"]', "['{}', 'b']", "[{}]", "{}"]))
def test_unwrap_cell_equals_literal_eval_of_the_cell(content: str, form: str) -> None:
    cell = form.format(content)
    assert unwrap_cell(cell) == _unwrap_by_definition(cell)


def test_one_plain_string_is_unwrapped_without_the_parser_and_escapes_still_work() -> None:
    assert unwrap_cell("['  1-1.5万/月 ']") == "1-1.5万/月"
    assert unwrap_cell("['it\\'s']") == "it's"  # an escape: parsed
    assert unwrap_cell("['a\\nb']") == "a\nb"
    assert unwrap_cell("['a\x00b']") == "['a\x00b']"  # not a valid literal


def _apply_by_definition(
    row: dict[str, str], cmap: ColumnMap
) -> tuple[dict[str, str], dict[str, str]]:
    canonical: dict[str, str] = {}
    for field, sources in cmap.fields.items():
        values = [_unwrap_by_definition(row.get(source) or "").strip() for source in sources]
        canonical[field] = JOINERS.get(field, " ").join(v for v in values if v)
    extras: dict[str, str] = {}
    for header in cmap.extra:
        if value := _unwrap_by_definition(row.get(header) or "").strip():
            extras[header] = value
    for header, cell in row.items():
        if header not in cmap.headers and (value := _unwrap_by_definition(cell or "").strip()):
            extras[header] = value
    return canonical, extras


_HEADERS = [
    "职位名称",
    "岗位职责",
    "任职要求",
    "公司",
    "公司规模",
    "企业性质",
    "薪资",
    "备注",
    "extra",
]


@given(
    st.lists(st.sampled_from(_HEADERS), unique=True, min_size=1),
    st.dictionaries(
        st.sampled_from([*_HEADERS, "late_key", "tags"]),
        st.sampled_from(["", " ", "x", " y ", "['a']", "[]", "['a', 'b']", "['  ']", "[1]"]),
    ),
)
def test_apply_equals_its_definition(headers: list[str], row: dict[str, str]) -> None:
    cmap = map_headers(headers, {"备注": "extra"})
    canonical, extras = apply(row, cmap)
    expected = _apply_by_definition(row, cmap)
    assert (canonical, extras) == expected
    assert (list(canonical), list(extras)) == (list(expected[0]), list(expected[1]))
