"""`talentbridge privacy export / erase / consents`."""

from __future__ import annotations

import io
import json
from pathlib import Path

from personworld import NAME, USERNAME, build_person
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session

from support import run_cli as run
from talentbridge.config import Settings
from talentbridge.store.tables import AuditEvent, User


def test_export_json_and_pdf(session: Session, settings: Settings, tmp_path: Path) -> None:
    build_person(session, settings.data_dir)
    out = tmp_path / "me.json"
    code, text = run(settings, "privacy", "export", "--user", USERNAME, "--out", str(out))
    assert code == 0, text
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["profile"]["name"] == NAME and data["format"] == "talentbridge.personal-data/1"
    pdf = tmp_path / "me.pdf"
    code, text = run(settings, "privacy", "export", "--user", USERNAME, "--out", str(pdf))
    assert code == 0, text
    assert NAME in "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    code, text = run(settings, "privacy", "export", "--user", USERNAME, "--out", "x.txt")
    assert code == 1 and ".json or .pdf" in text
    code, text = run(settings, "privacy", "export", "--user", "nobody", "--out", str(out))
    assert code == 1 and "no user named 'nobody'" in text


def test_consents_then_erase(session: Session, settings: Settings) -> None:
    person = build_person(session, settings.data_dir)
    code, text = run(settings, "privacy", "consents", "--user", USERNAME)
    assert code == 0, text
    assert "employer_visibility: granted" in text and "automated_ranking: granted" in text
    assert "2026-11" in text and "web" in text
    code, text = run(settings, "privacy", "erase", "--user", USERNAME)
    assert code == 1 and "--yes" in text
    code, text = run(settings, "privacy", "erase", "--user", USERNAME, "--yes")
    assert code == 0, text
    assert f"user {person.user_id} erased" in text
    session.expire_all()
    user = session.get(User, person.user_id)
    assert user is not None and user.deleted_at is not None
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "account.erased"))
    assert event is not None and "cli" in (event.detail or "")
    code, text = run(settings, "privacy", "erase", "--user", USERNAME, "--yes")
    assert code == 1 and "no user named" in text
