"""`talentbridge library list / import-terms / export-terms / upload / retag / mine-glosses`."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from support import run_cli as run
from talentbridge.accounts.policy import Principal
from talentbridge.accounts.roles import Role
from talentbridge.accounts.users import create_user
from talentbridge.config import Settings
from talentbridge.library.samples import docx_bytes
from talentbridge.library.seed import seed_libraries
from talentbridge.library.tbx import parse_tbx
from talentbridge.library.termbase import BUNDLED_TBX
from talentbridge.registry.organizations import create_organization
from talentbridge.store.library_tables import Resource, ResourceTerm, TermConcept

ZH_ONLY_TBX = """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="zh" xmlns="urn:iso:std:iso:30042:ed:3.0">
  <tbxHeader><fileDesc><sourceDesc><p>test</p></sourceDesc></fileDesc></tbxHeader>
  <text><body>
    <conceptEntry id="test-zh-only">
      <langSec xml:lang="zh"><termSec><term>集装箱船</term>
        <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
      </langSec>
    </conceptEntry>
  </body></text>
</tbx>
"""
CEDICT = (
    "# CC-CEDICT test extract written for this test\n"
    "集裝箱船 集装箱船 [ji2 zhuang1 xiang1 chuan2] /container ship/see also 貨櫃船/\n"
)


def figure(out: str, label: str) -> int:
    """A count from the import report table (``│ stored 写入 │ 328 │``)."""
    match = re.search(label + r" │ (\d+)", out)
    assert match, out
    return int(match.group(1))


@pytest.fixture()
def store(session: Session) -> Session:
    college = create_organization(session, code="C001", kind="college", name_zh="示例职业学院")
    session.flush()
    for name, role in (("root", Role.PLATFORM_ADMIN), ("teacher", Role.TEACHER)):
        create_user(
            session,
            username=name,
            password="Correct-horse-42",
            role=role,
            organization_id=None if role is Role.PLATFORM_ADMIN else college.id,
            display_name=name,
            check_password=False,
        )
    session.flush()
    admin = Principal(user_id=1, role=Role.PLATFORM_ADMIN, organization_id=None)
    seed_libraries(session, principal=admin, is_sample=True)
    session.commit()
    return session


def test_list_shows_the_18_libraries(settings: Settings, store: Session) -> None:
    code, out = run(settings, "library", "list")
    assert code == 0, out
    assert "18 libraries" in out and "freight-forwarding" in out and "国际货运代理" in out


def test_terms_import_export_round_trip_and_reimport(
    settings: Settings, store: Session, tmp_path: Path
) -> None:
    code, out = run(settings, "library", "import-terms", str(BUNDLED_TBX))
    assert code == 0, out
    stored = store.scalar(select(func.count(TermConcept.id)))
    assert stored and stored > 300 and figure(out, "stored 写入") == stored
    code, out = run(settings, "library", "import-terms", str(BUNDLED_TBX))
    assert code == 0 and figure(out, "unchanged 未变") == stored and "0 resources tagged" in out
    target = tmp_path / "out.tbx"
    code, out = run(settings, "library", "export-terms", str(target))
    assert code == 0, out
    assert len(parse_tbx(target.read_bytes()).entries) == stored
    table = tmp_path / "out.xlsx"
    assert run(settings, "library", "export-terms", str(table))[0] == 0
    sheet = openpyxl.load_workbook(table, read_only=True)["terms"]
    assert next(iter(sheet.iter_rows(values_only=True)))[0] == "entry_id"
    csv = tmp_path / "out.csv"
    assert run(settings, "library", "export-terms", str(csv))[0] == 0
    code, out = run(settings, "library", "import-terms", str(csv))
    assert code == 0 and figure(out, "stored 写入") == 0
    code, out = run(settings, "library", "export-terms", str(tmp_path / "out.pdf"))
    assert code == 1 and "export to .tbx, .csv or .xlsx" in out


def test_a_broken_tbx_is_refused_with_line_and_reason(
    settings: Settings, store: Session, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.tbx"
    bad.write_text('<?xml version="1.0"?>\n<tbx>\n<text>\n</tbx>\n', encoding="utf-8")
    code, out = run(settings, "library", "import-terms", str(bad))
    assert code == 1 and "line 4: not well-formed" in out
    assert store.scalar(select(func.count(TermConcept.id))) == 0


def test_upload_tags_and_retag(settings: Settings, store: Session, tmp_path: Path) -> None:
    assert run(settings, "library", "import-terms", str(BUNDLED_TBX))[0] == 0
    lesson = tmp_path / "lesson.docx"
    lesson.write_bytes(docx_bytes("B/L", ["The carrier signs the bill of lading."]))
    code, out = run(
        settings, "library", "upload", str(lesson), "--library", "freight-forwarding",
        "--title-zh", "提单", "--title-en", "Bills of lading", "--as", "teacher",
    )  # fmt: skip
    assert code == 0, out
    assert "(review)" in out
    resource = store.scalars(select(Resource)).one()
    assert resource.title_en == "Bills of lading" and resource.submitted_by is not None
    tags = store.scalar(
        select(func.count())
        .select_from(ResourceTerm)
        .where(ResourceTerm.resource_id == resource.id)
    )
    assert tags
    code, out = run(
        settings, "library", "upload", str(lesson), "--library", "customs",
        "--title-en", "Same file, published", "--publish",
    )  # fmt: skip
    assert code == 0 and "(published)" in out
    code, out = run(settings, "library", "retag")
    assert code == 0 and "2 resources tagged again" in out
    fake = tmp_path / "fake.pdf"
    fake.write_bytes(b"\x00\x01\x02" * 400)
    code, out = run(
        settings, "library", "upload", str(fake), "--library", "customs", "--title-en", "x"
    )
    assert code == 1 and "not a PDF, DOCX" in out
    code, out = run(
        settings, "library", "upload", str(lesson), "--library", "nope", "--title-en", "x"
    )
    assert code == 1 and "no library nope" in out
    store.expire_all()
    assert store.scalar(select(func.count(Resource.id))) == 2


def test_mine_glosses_lists_candidates(settings: Settings, store: Session, tmp_path: Path) -> None:
    tbx = tmp_path / "zh.tbx"
    tbx.write_text(ZH_ONLY_TBX, encoding="utf-8")
    assert run(settings, "library", "import-terms", str(tbx))[0] == 0
    cedict = tmp_path / "cedict.txt"
    cedict.write_text(CEDICT, encoding="utf-8")
    code, out = run(settings, "library", "mine-glosses", str(cedict))
    assert code == 0, out
    assert "test-zh-only" in out and "container ship" in out and "see also" not in out
    code, out = run(settings, "library", "mine-glosses", str(tmp_path / "missing.txt"))
    assert code == 1 and "file not found" in out
