from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pytest

from support import shared_file
from talentbridge.errors import InputFileError
from talentbridge.pipeline.readers import detect_encoding, read_table, sha256_of

HEADER = "code,name\n"
BODY = '1,成都物流\n2,"重庆\n港口"\n3,跨境电商\n'


def _write(path: Path, text: str, encoding: str) -> Path:
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030"), ("gbk", "gb18030")],
)
def test_csv_is_decoded_in_each_common_encoding(
    tmp_path: Path, encoding: str, expected: str
) -> None:
    path = _write(tmp_path / "t.csv", HEADER + BODY, encoding)
    with read_table(path) as table:
        rows = list(table)
        assert table.encoding == expected
        assert table.columns == ("code", "name")
    assert [r.values["name"] for r in rows] == ["成都物流", "重庆\n港口", "跨境电商"]


def test_row_numbers_count_records_from_the_header_as_row_one(tmp_path: Path) -> None:
    path = _write(tmp_path / "t.csv", HEADER + BODY + "\n4,末行\n", "utf-8")
    numbers = [r.row_number for r in read_table(path)]
    # the quoted cell spanning two lines is one row; the blank record 5 is skipped
    assert numbers == [2, 3, 4, 6]


def test_header_names_are_stripped_of_bom_and_whitespace(tmp_path: Path) -> None:
    path = _write(tmp_path / "t.csv", "\ufeff code , name \n1,a\n", "utf-8")
    table = read_table(path)
    assert table.columns == ("code", "name")
    assert next(table).get("name") == "a"
    table.close()


def test_forced_encoding_is_used(tmp_path: Path) -> None:
    path = _write(tmp_path / "t.csv", HEADER + "1,物流\n", "gb18030")
    rows = list(read_table(path, encoding="gb18030"))
    assert rows[0].values["name"] == "物流"


def test_undecodable_bytes_are_one_input_file_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"code,name\n1,\xff\xfe\xff\x80\x80\n")
    with pytest.raises(InputFileError) as info:
        list(read_table(path))
    assert "bad.csv" in str(info.value)
    assert "encoding" in info.value.reason


def test_a_wrong_forced_encoding_is_an_input_file_error(tmp_path: Path) -> None:
    path = _write(tmp_path / "t.csv", HEADER + "1,物流\n", "gb18030")
    with pytest.raises(InputFileError):
        list(read_table(path, encoding="utf-8"))


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.csv", b"", "empty"),
        ("blank.csv", b"\n\n  \n", "empty"),
        ("dup.csv", b"a,b,a\n1,2,3\n", "twice"),
        ("old.xls", b"whatever", ".xls"),
        ("data.pdf", b"%PDF", "unsupported"),
        ("broken.xlsx", b"not a zip", "xlsx"),
        ("empty.jsonl", b"", "empty"),
    ],
)
def test_unreadable_files_raise_one_clear_error(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputFileError) as info:
        list(read_table(path))
    assert reason in info.value.reason


def test_missing_file_is_an_input_file_error(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="not found"):
        read_table(tmp_path / "nope.csv")


def test_extra_cells_make_a_row_error_not_a_file_error(tmp_path: Path) -> None:
    path = _write(tmp_path / "t.csv", "a,b\n1,2\n3,4,5\n6\n", "utf-8")
    rows = list(read_table(path))
    assert rows[0].error is None
    assert rows[1].error is not None and "3 cells" in rows[1].error
    assert rows[2].values == {"a": "6", "b": ""}


def test_require_lists_every_missing_column(tmp_path: Path) -> None:
    path = _write(tmp_path / "t.csv", "a,b\n1,2\n", "utf-8")
    table = read_table(path)
    with pytest.raises(InputFileError) as info:
        table.require("a", "c", "d")
    assert "c, d" in info.value.reason


def test_xlsx_rows_stream_with_sheet_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([" code", "name", "year"])
    sheet.append(["530802", "现代物流管理", 2021])
    sheet.append([None, None, None])
    sheet.append([530809, "智能物流技术", 2022.0])
    workbook.save(path)
    with read_table(path) as table:
        rows = list(table)
        assert table.columns == ("code", "name", "year")
    assert [r.row_number for r in rows] == [2, 4]
    assert rows[1].values == {"code": "530809", "name": "智能物流技术", "year": "2022"}


def test_jsonl_bad_lines_are_row_errors(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text(
        '{"code": "530802", "n": 3, "ok": true, "tags": ["a"]}\n'
        "\n"
        "{not json\n"
        "[1, 2]\n"
        '{"code": null}\n',
        encoding="utf-8",
    )
    rows = list(read_table(path))
    assert [r.row_number for r in rows] == [1, 3, 4, 5]
    assert rows[0].values == {"code": "530802", "n": "3", "ok": "true", "tags": '["a"]'}
    assert rows[1].error is not None and "invalid JSON" in rows[1].error
    assert rows[2].error == "line is not a JSON object"
    assert rows[3].values == {"code": ""}


def test_tsv_is_split_on_tabs(tmp_path: Path) -> None:
    path = _write(tmp_path / "t.tsv", "a\tb\n1\t2,3\n", "utf-8")
    assert [r.values for r in read_table(path)] == [{"a": "1", "b": "2,3"}]


def test_sha256_of_matches_hashlib(tmp_path: Path) -> None:
    path = _write(tmp_path / "t.csv", HEADER + BODY, "utf-8")
    assert sha256_of(path) == hashlib.sha256(path.read_bytes()).hexdigest()


def test_gb18030_is_chosen_only_when_utf8_fails(tmp_path: Path) -> None:
    utf8 = _write(tmp_path / "u.csv", "名称\n物流\n", "utf-8")
    gbk = _write(tmp_path / "g.csv", "名称\n物流\n", "gbk")
    assert detect_encoding(utf8) == "utf-8"
    assert detect_encoding(gbk) == "gb18030"


def test_real_51job_file_in_gb18030_reads_every_row() -> None:
    path = shared_file("postings/51job-bigdata-2019.csv")
    with read_table(path) as table:
        rows = list(table)
        assert table.encoding == "gb18030"
        assert table.columns is not None
        assert table.columns[:3] == ("职位", "薪资", "公司")
        assert len(table.columns) == 11
    assert len(rows) > 4000
    assert len(rows) == 4950
    assert all(r.error is None for r in rows)
    assert rows[0].row_number == 2
    assert sum("成都" in r.values["地区"] for r in rows) > 100
