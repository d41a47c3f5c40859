"""Building small stores of postings for demand-map tests (no pipeline: rows as given)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence

from sqlalchemy.orm import Session

from talentbridge.domain.divisions import division, in_circle
from talentbridge.store.tables import Concept, Occupation, Posting, PostingConcept, Taxonomy

_serial = itertools.count(1)


def add_taxonomy(session: Session, keys: Sequence[str], *, code: str = "test") -> dict[str, int]:
    """Concepts with these keys (labels = keys); returns key → concept id."""
    taxonomy = Taxonomy(code=code, version="1", name=code, content_sha256="x" * 64, is_active=True)
    session.add(taxonomy)
    session.flush()
    ids = {}
    for key in keys:
        concept = Concept(
            taxonomy_id=taxonomy.id, key=key, kind="skill", label_zh=key, label_en=key
        )
        session.add(concept)
        session.flush()
        ids[key] = concept.id
    return ids


def add_occupation(session: Session, code: str, name: str) -> int:
    occupation = Occupation(code=code, name_zh=name, name_en=name)
    session.add(occupation)
    session.flush()
    return occupation.id


def add_posting(
    session: Session,
    *,
    month: str = "2025-03",
    place: str | None = "510107",
    occupation_id: int | None = None,
    salary: tuple[int, int] | None = (6000, 8000),
    openings: int | None = 1,
    education_level: int | None = 3,
    industry: str | None = "物流",
    concepts: Sequence[int | tuple[int, str, bool]] = (),
    title: str = "物流专员",
    is_sample: bool = False,
) -> int:
    """One posting at ``place`` (a division code) with these concepts: an id, or
    (id, strength, negated)."""
    n = next(_serial)
    found = division(place) if place else None
    province = city = district = None
    if found is not None:
        chain = [found]
        while chain[-1].parent_code:
            parent = division(chain[-1].parent_code)
            if parent is None:
                break
            chain.append(parent)
        for d in chain:
            if d.level == "province":
                province = d.code
            elif d.level == "city":
                city = d.code
            else:
                district = d.code
        if province and not city:
            city = province  # a municipality is its own city
    posting = Posting(
        title=title,
        employer_name=f"企业{n}",
        occupation_id=occupation_id,
        salary_min=salary[0] if salary else None,
        salary_max=salary[1] if salary else None,
        province_code=province,
        city_code=city,
        district_code=district,
        in_circle=bool(place and in_circle(place)),
        education_level=education_level,
        industry=industry,
        openings=openings,
        posted_on=dt.date.fromisoformat(month + "-15"),
        posted_month=month,
        description="",
        requirements="",
        content_hash=f"{n:064d}",
        block_key=f"b{n}",
        fingerprint=n,
        is_sample=is_sample,
    )
    session.add(posting)
    session.flush()
    for item in concepts:
        cid, strength, negated = item if isinstance(item, tuple) else (item, "required", False)
        session.add(
            PostingConcept(
                posting_id=posting.id,
                concept_id=cid,
                start=0,
                end=1,
                surface="x",
                confidence=1.0,
                strength=strength,
                negated=negated,
                taxonomy_version="test@1",
            )
        )
    session.flush()
    return posting.id
