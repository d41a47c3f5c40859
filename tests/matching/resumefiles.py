"""Real résumé files for tests: PDF (fpdf2), DOCX (python-docx), text (importable as
``resumefiles``)."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from fpdf import FPDF

CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")

ZH_RESUME = """个人简历
姓名：张伟
性别：男　民族：汉族
求职意向：国际货代操作
教育经历
2021年9月 - 2024年6月　四川交通职业技术学院　现代物流管理专业　大专
工作经历
2023年7月 - 2023年9月　成都示例国际货运代理有限公司　单证员
负责海运出口订舱、报关单证制作
技能证书
英语四级证书，熟悉订舱与报关，会用Excel
"""

EN_RESUME = """Jane Doe
Education
Sichuan Vocational College of Transport, Associate degree in Logistics Management, 2021 - 2024
Experience
Sep 2023 - Dec 2023  Export Documentation Clerk, Example Freight Forwarding Co., Ltd.
Handled ocean freight booking and customs declaration documents.
Skills
Freight forwarding, customs declaration, Microsoft Excel, CET-4
"""


def pdf_bytes(text: str, *, chinese: bool) -> bytes:
    """A one-page PDF holding ``text`` (Chinese needs fonts-wqy-microhei)."""
    pdf = FPDF()
    pdf.add_page()
    if chinese:
        if not CJK_FONT.exists():
            pytest.skip(f"no CJK font at {CJK_FONT} (fonts-wqy-microhei)")
        pdf.add_font("wqy", fname=str(CJK_FONT), collection_font_number=0)
        pdf.set_font("wqy", size=11)
    else:
        pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 7, text)
    return bytes(pdf.output())


def blank_pdf() -> bytes:
    """A PDF with a page and no text (as a scanned résumé looks)."""
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 50, 50)
    return bytes(pdf.output())


def docx_bytes(text: str, *, table: list[list[str]] | None = None) -> bytes:
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                grid.cell(r, c).text = cell
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
