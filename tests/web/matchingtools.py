"""Helpers for the matching web tests: a few taxonomy concepts with labels, postings of
the world's enterprise, and reading CSRF tokens off matching pages."""

from __future__ import annotations

import datetime as dt
import hashlib

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from webtools import csrf_from

from talentbridge.store.tables import Concept, ConceptLabel, Organization, Posting, Taxonomy

CONCEPTS: tuple[tuple[str, str, str, str], ...] = (
    # key, kind, zh, en
    ("tb.customs.hs", "skill", "HS归类", "HS classification"),
    ("tb.wms", "tool", "WMS系统", "WMS"),
    (
        "tb.cert.logistics",
        "certificate",
        "物流管理职业技能等级证书",
        "Logistics management certificate",
    ),
    ("tb.lang.en", "language", "英语", "English"),
    ("tb.excel", "tool", "Excel", "Excel"),
)


def add_concepts(session: Session) -> dict[str, int]:
    """An active taxonomy with ``CONCEPTS``; concept ids by key."""
    taxonomy = Taxonomy(code="talentbridge", version="test", name="test taxonomy")
    session.add(taxonomy)
    session.flush()
    ids: dict[str, int] = {}
    for key, kind, zh, en in CONCEPTS:
        concept = Concept(taxonomy_id=taxonomy.id, key=key, kind=kind, label_zh=zh, label_en=en)
        session.add(concept)
        session.flush()
        session.add_all([
            ConceptLabel(concept_id=concept.id, lang="zh", text=zh, label_type="preferred"),
            ConceptLabel(concept_id=concept.id, lang="en", text=en, label_type="preferred"),
        ])  # fmt: skip
        ids[key] = concept.id
    session.commit()
    return ids


def add_posting(
    session: Session,
    org: Organization | None,
    title: str,
    *,
    city_code: str = "510100",
    salary: tuple[int, int] = (5000, 8000),
    flag_count: int = 0,
) -> Posting:
    posting = Posting(
        title=title,
        employer_name=org.name_zh if org else "某公司",
        organization_id=org.id if org else None,
        city_code=city_code,
        province_code=city_code[:2] + "0000",
        place_text="成都",
        salary_min=salary[0],
        salary_max=salary[1],
        description=f"{title}：负责HS归类与WMS系统操作。",
        requirements="熟悉Excel",
        posted_on=dt.date(2026, 10, 1),
        flag_count=flag_count,
        content_hash=hashlib.sha256(f"{title}|{city_code}|{salary}".encode()).hexdigest(),
        block_key=title[:20],
        fingerprint=0,
    )
    session.add(posting)
    session.commit()
    return posting


def form_token(client: TestClient, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, (path, page.status_code)
    return csrf_from(page.text)
