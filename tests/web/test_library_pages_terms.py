"""Term-base pages: browse A–Z and by subject field, a concept with its terms and the
resources mentioning it, and the editors' TBX import (report, or line and reason of a
refused file) and export in TBX, CSV and XLSX."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from fastapi.testclient import TestClient
from librarytools import Shelf, build_shelf
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from webtools import World, csrf_from, login

from talentbridge.config import Settings
from talentbridge.library.tbx import parse_tbx
from talentbridge.store.library_tables import TermConcept

SAMPLE_TBX = b"""<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed:3.0">
  <tbxHeader><fileDesc><sourceDesc><p>test</p></sourceDesc></fileDesc></tbxHeader>
  <text><body>
    <conceptEntry id="test-reefer-plug">
      <descrip type="subjectField">cold chain</descrip>
      <langSec xml:lang="zh"><termSec><term>&#x51B7;&#x85CF;&#x63D2;&#x5934;</term>
        <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec></langSec>
      <langSec xml:lang="en"><termSec><term>reefer plug</term>
        <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec></langSec>
    </conceptEntry>
  </body></text>
</tbx>
"""
BROKEN_TBX = b"""<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xmlns="urn:iso:std:iso:30042:ed:3.0">
  <text><body>
    <conceptEntry id="x">
  </body></text>
</tbx>
"""
UNKNOWN_DIALECT = SAMPLE_TBX.replace(b'type="TBX-Basic"', b'type="TBX-Fancy"')


@pytest.fixture()
def shelf(
    factory: sessionmaker[Session], session: Session, world: World, settings: Settings
) -> Shelf:
    return build_shelf(factory, session, world, settings.data_dir)


def test_browse_by_letter_subject_and_substring(client: TestClient, shelf: Shelf) -> None:
    login(client, "student_a")
    b_page = client.get("/library/terms?letter=B")
    assert b_page.status_code == 200
    assert "bill of lading" in b_page.text
    assert 'href="/library/terms/tb-customs-customs-declaration"' not in b_page.text
    found = client.get("/library/terms", params={"q": "提单"})
    assert "bill of lading" in found.text
    subject = re.search(r'<option value="([^"]*ocean shipping[^"]*)"', found.text)
    assert subject
    ocean = client.get("/library/terms", params={"subject": subject.group(1)})
    assert "ocean shipping" in ocean.text and "共" in ocean.text
    assert "/library/terms/import" not in ocean.text  # students neither import nor export


def test_concept_page_lists_terms_statuses_and_resources(client: TestClient, shelf: Shelf) -> None:
    login(client, "student_a")
    found = client.get("/library/terms", params={"q": "bill of lading"}).text
    entry = re.search(r'href="/library/terms/([^"]+)"><span lang="zh">提单<', found)
    assert entry, "no concept card for 提单"
    page = client.get(f"/library/terms/{entry.group(1)}")
    assert page.status_code == 200
    assert "提单" in page.text and "bill of lading" in page.text
    assert "推荐" in page.text  # the status column
    assert f'href="/library/resources/{shelf.resources["lesson"].id}"' in page.text
    assert f'href="/library/resources/{shelf.resources["pending"].id}"' not in page.text
    assert client.get("/library/terms/no-such-entry").status_code == 404


def test_editor_imports_a_tbx_and_sees_the_report(
    client: TestClient, shelf: Shelf, session: Session
) -> None:
    login(client, "admin_a")
    form = client.get("/library/terms/import")
    assert form.status_code == 200
    token = csrf_from(form.text)
    before = session.scalar(select(func.count(TermConcept.id)))
    done = client.post(
        "/library/terms/import",
        data={"csrf_token": token},
        files={"file": ("reefer.tbx", SAMPLE_TBX, "application/xml")},
    )
    assert done.status_code == 200
    report = done.text.split('id="import-report"', 1)[1]
    assert re.search(r"<dt>写入</dt><dd>1</dd>", report)
    session.expire_all()
    assert session.scalar(select(func.count(TermConcept.id))) == before + 1
    again = client.post(
        "/library/terms/import",
        data={"csrf_token": token},
        files={"file": ("reefer.tbx", SAMPLE_TBX, "application/xml")},
    )
    assert re.search(r"<dt>未变</dt><dd>1</dd>", again.text)


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (BROKEN_TBX, "broken.tbx", "line 5: not well-formed"),
        (UNKNOWN_DIALECT, "fancy.tbx", "unknown TBX dialect"),
        (b"a,b\n", "terms.pdf", "not a term-base file"),
    ],
)
def test_refused_tbx_names_line_and_reason(
    client: TestClient, shelf: Shelf, session: Session, data: bytes, name: str, reason: str
) -> None:
    login(client, "admin_a")
    token = csrf_from(client.get("/library/terms/import").text)
    before = session.scalar(select(func.count(TermConcept.id)))
    response = client.post(
        "/library/terms/import",
        data={"csrf_token": token},
        files={"file": (name, data, "application/xml")},
    )
    assert response.status_code == 400
    error = re.search(r'<p class="alert" role="alert" id="import-error">([^<]*)</p>', response.text)
    assert error and reason in error.group(1), response.text[-2000:]
    session.expire_all()
    assert session.scalar(select(func.count(TermConcept.id))) == before


def test_exports_in_three_formats_for_editors_only(client: TestClient, shelf: Shelf) -> None:
    login(client, "student_a")
    assert client.get("/library/terms/export?format=tbx").status_code == 403
    assert client.get("/library/terms/import").status_code == 403
    client.cookies.clear()
    login(client, "admin_a")
    tbx = client.get("/library/terms/export?format=tbx")
    assert tbx.status_code == 200
    assert 'filename="termbase.tbx"' in tbx.headers["content-disposition"]
    entries = parse_tbx(tbx.content).entries
    assert len(entries) > 300 and any(e.lang("zh") for e in entries)
    csv = client.get("/library/terms/export?format=csv")
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.content.decode("utf-8-sig").splitlines()[0].startswith("entry_id,")
    xlsx = client.get("/library/terms/export?format=xlsx")
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content), read_only=True)
    assert book.sheetnames == ["terms"]
    assert client.get("/library/terms/export?format=pdf").status_code == 400
