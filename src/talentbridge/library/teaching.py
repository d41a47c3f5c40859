"""Which library resources teach a skill: for a match's missing skills (issue 6 → 7).

``resources_teaching(session, concept_ids=…)`` gives, per skill concept, the published
resources linked to it (published resources are open to every user): the author's own
links first, then the tagger's by how often the text mentions the skill, then the most
recently updated. Drafts, resources in review and withdrawn ones never appear.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from talentbridge.store.library_tables import Library, Resource, ResourceConcept

PER_SKILL = 3


@dataclass(frozen=True)
class TeachingResource:
    resource_id: int
    title_zh: str
    title_en: str
    kind: str
    library_code: str
    is_sample: bool

    def title(self, lang: str) -> str:
        """The title in ``lang``, else in the other language."""
        first, second = (
            (self.title_en, self.title_zh)
            if lang == "en"
            else (
                self.title_zh,
                self.title_en,
            )
        )
        return first or second


def resources_teaching(
    session: Session,
    *,
    concept_ids: Sequence[int],
    per_skill: int = PER_SKILL,
) -> dict[int, list[TeachingResource]]:
    """Up to ``per_skill`` resources per concept id (concepts with none are left out)."""
    wanted = sorted(set(concept_ids))
    if not wanted:
        return {}
    query = (
        select(
            ResourceConcept.concept_id,
            Resource.id,
            Resource.title_zh,
            Resource.title_en,
            Resource.kind,
            Library.code,
            Resource.is_sample,
        )
        .join(Resource, Resource.id == ResourceConcept.resource_id)
        .join(Library, Library.id == Resource.library_id)
        .where(ResourceConcept.concept_id.in_(wanted), Resource.status == "published")
        .order_by(
            ResourceConcept.concept_id,
            case((ResourceConcept.source == "author", 0), else_=1),
            ResourceConcept.mentions.desc(),
            Resource.updated_at.desc(),
            Resource.id,
        )
    )
    found: dict[int, list[TeachingResource]] = {}
    for concept_id, resource_id, title_zh, title_en, kind, code, is_sample in session.execute(
        query
    ):
        items = found.setdefault(concept_id, [])
        if len(items) < per_skill:
            items.append(
                TeachingResource(resource_id, title_zh, title_en, kind, code, bool(is_sample))
            )
    return found
