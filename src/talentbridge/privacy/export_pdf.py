"""A person's data export as a PDF they can read (the same content as the JSON).

``export_pdf(data, lang)`` lays out the dict from ``privacy.export.export_person``: one
heading per section, one block per record, ``field: value`` lines (nested values
indented). Chinese needs a CJK font: WenQuanYi Micro Hei (Debian/Ubuntu package
``fonts-wqy-microhei``) at ``FONT_PATH``; without it ``PdfFontMissing`` says what to
install (the JSON export needs no font).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fpdf import FPDF

from talentbridge.errors import TalentBridgeError

FONT_PATH = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
FAMILY = "wqy"

TITLES: dict[str, tuple[str, str]] = {
    "user": ("账号", "Account"),
    "profile": ("学生档案", "Profile"),
    "concepts": ("技能、证书与语言", "Skills, certificates and languages"),
    "courses": ("课程", "Courses"),
    "experiences": ("经历", "Experiences"),
    "wish": ("求职意向", "Job wishes"),
    "protected": ("院校为公平性审计记录的信息", "Attributes recorded for the fairness audit"),
    "resumes": ("简历（含提取的文字）", "Résumés (with extracted text)"),
    "suggestions": ("从简历读出的建议", "Suggestions read from résumés"),
    "applications": ("投递与进展", "Applications and their steps"),
    "invitations": ("用人单位的邀请", "Invitations from employers"),
    "match_feedback": ("匹配列表中的操作", "Actions on match lists"),
    "fairs": ("双选会", "Job fairs"),
    "placements": ("毕业去向", "Graduate destination"),
    "consents": ("同意记录", "Consent records"),
    "library_events": ("资源库使用记录", "Library use"),
    "api_tokens": ("API 令牌", "API tokens"),
    "sessions": ("登录会话", "Sign-in sessions"),
    "login_attempts": ("登录尝试", "Sign-in attempts"),
    "import_runs": ("你发起的导入", "Imports you started"),
    "audit": ("审计记录（他人读取你的信息等）", "Audit (reads of your record by others, …)"),
}
HEAD = {
    "zh": ("我的数据", "导出时间", "告知版本", "无"),
    "en": ("My data", "Exported at", "Notice version", "none"),
}


class PdfFontMissing(TalentBridgeError):
    """The CJK font for the PDF export is not installed."""


def _text(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


class _Doc:
    def __init__(self, font: Path) -> None:
        if not font.is_file():
            raise PdfFontMissing(
                f"the PDF export needs the Chinese font {font} "
                "(install the package fonts-wqy-microhei); the JSON export works without it"
            )
        self.pdf = FPDF(format="A4")
        self.pdf.set_auto_page_break(auto=True, margin=15)
        self.pdf.add_font(FAMILY, "", str(font))
        self.pdf.add_page()
        self.width = self.pdf.epw

    def line(self, text: str, *, size: float = 9, indent: int = 0, height: float = 4.6) -> None:
        self.pdf.set_font(FAMILY, size=size)
        self.pdf.set_x(self.pdf.l_margin + 4 * indent)
        self.pdf.multi_cell(self.width - 4 * indent, height, text, new_x="LMARGIN", new_y="NEXT")

    def value(self, key: str, value: Any, indent: int) -> None:
        if isinstance(value, dict):
            self.line(f"{key}:", indent=indent)
            for k, v in value.items():
                self.value(k, v, indent + 1)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            self.line(f"{key}:", indent=indent)
            for n, item in enumerate(value, 1):
                self.line(f"#{n}", indent=indent + 1)
                for k, v in item.items():
                    self.value(k, v, indent + 2)
        else:
            self.line(f"{key}: {_text(value)}", indent=indent)


def export_pdf(data: dict[str, Any], lang: str = "zh", *, font: Path = FONT_PATH) -> bytes:
    """The export (``privacy.export.export_person``) as PDF bytes."""
    doc = _Doc(font)
    zh = lang != "en"
    title, exported, version, none = HEAD["zh" if zh else "en"]
    doc.line(title, size=16, height=9)
    doc.line(f"{exported}: {data.get('generated_at', '')}")
    doc.line(f"{version}: {data.get('notice_version', '')}   ({data.get('format', '')})")
    for section, (name_zh, name_en) in TITLES.items():
        content = data.get(section)
        doc.pdf.ln(2)
        doc.line(name_zh if zh else name_en, size=12, height=7)
        if not content or (isinstance(content, dict) and not any(content.values())):
            doc.line(none, indent=1)
        elif isinstance(content, list):
            for n, item in enumerate(content, 1):
                doc.line(f"#{n}", indent=1)
                for key, value in item.items():
                    doc.value(key, value, 2)
        else:
            for key, value in content.items():
                doc.value(key, value, 1)
    return bytes(doc.pdf.output())
