"""Library resources that teach a skill: published only, the author's links first."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

import libraryworld
from talentbridge.accounts.roles import Role
from talentbridge.config import Settings
from talentbridge.library.resources import create_library, publish_resource, submit_resource
from talentbridge.library.samples import markdown_bytes
from talentbridge.library.teaching import resources_teaching
from talentbridge.store.library_tables import ResourceConcept
from talentbridge.store.tables import Concept
from talentbridge.taxonomy.concepts import load_bundled_taxonomy


def test_published_resources_teach_skills_author_links_first(
    factory: sessionmaker[Session], settings: Settings
) -> None:
    load_bundled_taxonomy(factory)
    with factory() as session:
        made = libraryworld.people(session, {"admin": Role.COLLEGE_ADMIN, "teacher": Role.TEACHER})
        admin, teacher = made["admin"], made["teacher"]
        library = create_library(
            session, principal=admin, code="customs", name_zh="报关实务", name_en="Customs"
        )
        text = "进出口货物报关单的填制，报关流程与海关申报。customs declaration " * 3

        def upload(title: str, *, author_link: bool, publish: bool) -> int:
            resource = submit_resource(
                session,
                principal=teacher,
                library_id=library.id,
                title_zh=title,
                title_en=f"{title} (en)",
                kind="document",
                data=markdown_bytes(title, [("要点", text)]),
                file_name=f"{title}.md",
                data_dir=settings.data_dir,
                max_bytes=1_000_000,
                skill_concept_ids=[customs_id] if author_link else [],
            )
            if publish:
                publish_resource(session, principal=admin, resource_id=resource.id)
            return resource.id

        customs_id = 0
        probe = upload("待审", author_link=False, publish=False)  # stays in review
        customs_id = (
            session.scalar(
                select(ResourceConcept.concept_id)
                .join(Concept, Concept.id == ResourceConcept.concept_id)
                .where(ResourceConcept.resource_id == probe, Concept.key.like("%customs%"))
            )
            or 0
        )
        assert customs_id, "the tagger found no customs skill in a customs text"
        # The author's link comes first although the tagged resource is newer.
        linked = upload("作者关联", author_link=True, publish=True)
        tagged = upload("标注", author_link=False, publish=True)
        session.commit()

        found = resources_teaching(session, concept_ids=[customs_id, customs_id, 999_999])
        assert set(found) == {customs_id}
        assert [r.resource_id for r in found[customs_id]] == [linked, tagged]
        first = found[customs_id][0]
        assert first.library_code == "customs"
        assert (first.title("zh"), first.title("en")) == ("作者关联", "作者关联 (en)")
        assert [r.resource_id for r in resources_teaching(
            session, concept_ids=[customs_id], per_skill=1
        )[customs_id]] == [linked]  # fmt: skip
        assert resources_teaching(session, concept_ids=[]) == {}
