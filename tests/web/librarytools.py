"""Helpers for the library web tests: the bundled term base, two libraries and a few
resources in every status, uploaded through the real services."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker
from webtools import World

from talentbridge.accounts.policy import Principal
from talentbridge.library.resources import create_library, publish_resource, submit_resource
from talentbridge.library.samples import docx_bytes, markdown_bytes
from talentbridge.library.termbase import import_bundled
from talentbridge.store.library_tables import Library, Resource

LIMIT = 5 * 1024 * 1024

LESSON = docx_bytes(
    "Ocean documents",
    [
        "The carrier issues a bill of lading once the goods are on board.",
        "Check the B/L against the letter of credit before presenting it.",
    ],
)
ZH_NOTES = markdown_bytes(
    "报关实务",
    [("要点", "报关员填写报关单，核对提单与商业发票。"), ("练习", "说明报关的流程。")],
)
# A text whose own words look like markup: the reading view must escape them.
TRICKY = "# Lesson <script>alert(1)</script>\n\nThe bill of lading & the <b>invoice</b>.\n"


def principal(world: World, name: str) -> Principal:
    return Principal.of(world.users[name])


@dataclass
class Shelf:
    """What the library tests work on: libraries and resources by name."""

    libraries: dict[str, Library] = field(default_factory=dict)
    resources: dict[str, Resource] = field(default_factory=dict)


def upload(
    session: Session,
    world: World,
    data_dir: Path,
    library: Library,
    data: bytes,
    file_name: str,
    *,
    by: str = "teacher_a",
    **fields: object,
) -> Resource:
    values: dict[str, object] = {
        "title_zh": "提单实务",
        "title_en": "Bills of lading",
        "kind": "courseware",
    }
    values.update(fields)
    return submit_resource(
        session,
        principal=principal(world, by),
        library_id=library.id,
        data=data,
        file_name=file_name,
        data_dir=data_dir,
        max_bytes=LIMIT,
        **values,  # type: ignore[arg-type]
    )


def build_shelf(
    factory: sessionmaker[Session], session: Session, world: World, data_dir: Path
) -> Shelf:
    """Two libraries; a published English DOCX, a published Chinese Markdown note, one
    waiting for review and one draft (both by teacher_a of college A)."""
    import_bundled(factory)
    shelf = Shelf()
    platform = principal(world, "platform")
    shelf.libraries["docs"] = create_library(
        session, principal=platform, code="trade-documents", name_zh="国际贸易单证",
        name_en="International trade documents", description_zh="单证", description_en="Documents",
    )  # fmt: skip
    shelf.libraries["customs"] = create_library(
        session, principal=platform, code="customs", name_zh="报关与报检",
        name_en="Customs declaration", is_sample=True,
    )  # fmt: skip
    docs, customs = shelf.libraries["docs"], shelf.libraries["customs"]
    lesson = upload(session, world, data_dir, docs, LESSON, "ocean.docx", level="associate")
    notes = upload(
        session, world, data_dir, customs, ZH_NOTES, "notes.md",
        title_zh="示例：报关要点", title_en="Sample: customs notes", kind="document",
        level="secondary", is_sample=True,
    )  # fmt: skip
    pending = upload(
        session, world, data_dir, docs, TRICKY.encode(), "tricky.md",
        title_zh="待审资源", title_en="Pending <b>resource</b>", kind="exercise",
    )  # fmt: skip
    draft = upload(
        session, world, data_dir, docs, b"Draft text about the bill of lading.", "draft.txt",
        title_zh="草稿", title_en="Draft", kind="case", for_review=False,
    )  # fmt: skip
    admin = principal(world, "admin_a")
    publish_resource(session, principal=admin, resource_id=lesson.id)
    publish_resource(session, principal=admin, resource_id=notes.id)
    session.commit()
    shelf.resources.update(lesson=lesson, notes=notes, pending=pending, draft=draft)
    return shelf
