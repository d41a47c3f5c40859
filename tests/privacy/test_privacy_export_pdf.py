"""The PDF export: readable text with the person's Chinese data, and a clear error
without the font."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from personworld import NAME, PHONE, RESUME_TEXT, STUDENT_NO, build_person
from pypdf import PdfReader
from sqlalchemy.orm import Session

from talentbridge.config import Settings
from talentbridge.privacy.export import export_person
from talentbridge.privacy.export_pdf import PdfFontMissing, export_pdf


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def test_the_pdf_holds_the_persons_data_in_chinese(session: Session, settings: Settings) -> None:
    person = build_person(session, settings.data_dir)
    pdf = export_pdf(export_person(session, person.user_id), "zh")
    assert pdf.startswith(b"%PDF")
    text = _text(pdf).replace(" ", "")
    for expected in ("我的数据", "学生档案", "同意记录", "毕业去向", NAME, PHONE, STUDENT_NO,
                     "跨境物流专员", "春季双选会", "employer_visibility", "2026-11"):  # fmt: skip
        assert expected in text, expected
    assert RESUME_TEXT.replace(" ", "")[:20] in text
    english = _text(export_pdf(export_person(session, person.user_id), "en"))
    assert "My data" in english and "Consent records" in english


def test_a_missing_font_is_a_clear_error(session: Session, settings: Settings) -> None:
    person = build_person(session, settings.data_dir)
    with pytest.raises(PdfFontMissing, match="fonts-wqy-microhei"):
        export_pdf(export_person(session, person.user_id), font=Path("/nonexistent/font.ttc"))
