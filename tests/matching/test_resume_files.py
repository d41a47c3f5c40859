"""Reading résumé uploads: real PDF, DOCX and text files; types by content; refusals."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from resumefiles import EN_RESUME, ZH_RESUME, blank_pdf, docx_bytes, pdf_bytes

from talentbridge.matching.resume.files import (
    DOCX,
    PDF,
    TEXT,
    ResumeFileError,
    read_resume,
    store_resume,
)

LIMIT = 5 * 1024 * 1024


def test_english_pdf() -> None:
    read = read_resume(pdf_bytes(EN_RESUME, chinese=False), max_bytes=LIMIT)
    assert read.media_type == PDF and read.language == "en"
    assert "Example Freight Forwarding Co., Ltd." in read.text
    assert "Microsoft Excel" in read.text


def test_chinese_pdf() -> None:
    read = read_resume(pdf_bytes(ZH_RESUME, chinese=True), max_bytes=LIMIT)
    assert read.media_type == PDF and read.language == "zh"
    assert "四川交通职业技术学院" in read.text and "英语四级证书" in read.text


def test_chinese_docx_with_a_table() -> None:
    data = docx_bytes(ZH_RESUME, table=[["证书", "英语四级"], ["证书", "1+X物流管理"]])
    read = read_resume(data, max_bytes=LIMIT)
    assert read.media_type == DOCX and read.language == "zh"
    assert "成都示例国际货运代理有限公司" in read.text
    assert "证书\t1+X物流管理" in read.text  # table cells, row by row
    assert read.sha256 == hashlib.sha256(data).hexdigest() and read.size == len(data)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_text_in_common_encodings(encoding: str) -> None:
    read = read_resume(ZH_RESUME.replace("\n", "\r\n").encode(encoding), max_bytes=LIMIT)
    assert read.media_type == TEXT and read.language == "zh"
    assert read.text.startswith("个人简历\n姓名：张伟")  # BOM and CR gone


def test_type_is_decided_by_content_not_name() -> None:
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("content.xml", "<x/>")
    refusals = {
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600: "save the résumé as PDF or DOCX",
        zipped.getvalue(): "not a Word document",
        b"PK\x03\x04 broken": "damaged ZIP",
        bytes(range(256)) * 8: "not a PDF, DOCX or text file",
        b"": "empty",
        b"%PDF-1.7\n garbage": "PDF cannot be read",
        blank_pdf(): "no text found",
    }
    for data, message in refusals.items():
        with pytest.raises(ResumeFileError, match=message):
            read_resume(data, max_bytes=LIMIT)


def test_size_limit() -> None:
    with pytest.raises(ResumeFileError, match="at most 1 MB"):
        read_resume(b"a" * (1024 * 1024 + 1), max_bytes=1024 * 1024)


def test_zip_bomb_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    import talentbridge.matching.resume.files as files

    monkeypatch.setattr(files, "MAX_UNPACKED", 1000)
    with pytest.raises(ResumeFileError, match="unpacks to too much"):
        read_resume(docx_bytes(ZH_RESUME), max_bytes=LIMIT)


def test_store_by_content_hash(tmp_path: Path) -> None:
    data = pdf_bytes(EN_RESUME, chinese=False)
    read = read_resume(data, max_bytes=LIMIT)
    path = store_resume(tmp_path, data, read)
    assert path == tmp_path / "resumes" / f"{read.sha256}.pdf"
    assert path.read_bytes() == data
    assert store_resume(tmp_path, data, read) == path  # stored once
    assert [p.name for p in (tmp_path / "resumes").iterdir()] == [path.name]
