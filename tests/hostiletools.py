"""Hostile names for escaping tests, and a small demand store whose skills carry them
(stored through the real taxonomy install and the cube refresh)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from demandtools import add_occupation, add_posting
from talentbridge.analytics.cube import refresh
from talentbridge.store.tables import Concept
from talentbridge.taxonomy.concepts import ConceptSpec, install_taxonomy

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "</script><script>alert(1)</script>"
AMP = "R&D <b>bold</b>"


def build_hostile_demand(factory: sessionmaker[Session]) -> dict[str, int]:
    """Three skills labelled IMG, SCRIPT and AMP, named together by 96 postings over two
    years in Chengdu and Chongqing; returns their ids by key and the occupation's id
    ("job", itself named IMG)."""
    specs = [
        ConceptSpec(key="evil-img", kind="skill", label_zh=IMG, label_en=IMG),
        ConceptSpec(key="evil-script", kind="skill", label_zh=SCRIPT, label_en=SCRIPT),
        ConceptSpec(key="evil-amp", kind="skill", label_zh=AMP, label_en=AMP),
    ]
    install_taxonomy(factory, specs, code="hostile", version="1", name="hostile", hierarchy=False)
    with factory.begin() as session:
        ids = {
            c.key: c.id for c in session.scalars(select(Concept).where(Concept.key.like("evil-%")))
        }
        job = add_occupation(session, "4-99-99-99", IMG)
        for year in ("2024", "2025"):
            for month in range(1, 13):
                for i in range(4):
                    add_posting(
                        session,
                        month=f"{year}-{month:02d}",
                        place="510107" if i % 2 else "500112",
                        occupation_id=job,
                        concepts=list(ids.values()),
                    )
    refresh(factory)
    return ids | {"job": job}
