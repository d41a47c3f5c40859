"""Library and resource services on a real store: upload, tag, review, versions, access."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

import libraryworld
import talentbridge.library.files as files
from talentbridge.accounts.roles import Role
from talentbridge.config import Settings
from talentbridge.errors import Conflict, Forbidden, NotFound
from talentbridge.library.files import ResourceFileError
from talentbridge.library.resources import (
    ResourceError,
    change_status,
    create_library,
    list_resources,
    new_version,
    publish_resource,
    read_resource,
    resource_file_path,
    submit_resource,
    withdraw_resource,
)
from talentbridge.library.samples import docx_bytes, markdown_bytes
from talentbridge.library.segment import segment_text
from talentbridge.library.term_tagging import retag_all
from talentbridge.library.termbase import import_bundled
from talentbridge.store.library_tables import Resource, ResourceConcept, ResourceTerm, Term
from talentbridge.store.tables import Concept
from talentbridge.taxonomy.concepts import load_bundled_taxonomy

LIMIT = 5 * 1024 * 1024


class World:
    def __init__(self, session: Session, data_dir: Path) -> None:
        self.session = session
        self.data_dir = data_dir
        people = libraryworld.people(
            session,
            {
                "admin": Role.COLLEGE_ADMIN,
                "teacher": Role.TEACHER,
                "teacher2": Role.TEACHER,
                "student": Role.STUDENT,
            },
        )
        self.admin = people["admin"]
        self.teacher = people["teacher"]
        self.teacher2 = people["teacher2"]
        self.student = people["student"]
        self.library = create_library(
            session,
            principal=self.admin,
            code="customs",
            name_zh="报关实务",
            name_en="Customs declaration",
        )

    def upload(self, data: bytes, file_name: str, **extra: object) -> Resource:
        fields: dict[str, object] = {
            "title_zh": "进出口报关单填制",
            "title_en": "Filling in customs declarations",
            "kind": "courseware",
        }
        fields.update(extra)
        return submit_resource(
            self.session,
            principal=self.teacher,
            library_id=self.library.id,
            data=data,
            file_name=file_name,
            data_dir=self.data_dir,
            max_bytes=LIMIT,
            **fields,  # type: ignore[arg-type]
        )


@pytest.fixture()
def world(factory: sessionmaker[Session], settings: Settings) -> Iterator[World]:
    load_bundled_taxonomy(factory)
    # Closed at teardown: an open transaction would block the next test's TRUNCATE on
    # PostgreSQL forever.
    with factory() as session:
        yield World(session, settings.data_dir)


LESSON = docx_bytes(
    "报关实务 第三讲",
    [
        "本讲介绍进出口货物报关单的填制和HS编码归类。",
        "Students learn customs declaration and HS code classification for export cargo.",
    ],
)


def test_upload_is_stored_indexed_and_tagged(world: World) -> None:
    resource = world.upload(LESSON, "lesson3.docx", summary_en="Customs basics")
    assert resource.status == "review" and resource.version == 1
    assert resource.languages == ["zh"]
    assert "报关单" in resource.text
    tokens = resource.search_text.split()
    assert "报关" in tokens
    assert segment_text("declarations") in tokens and segment_text("Customs") in tokens
    path = resource_file_path(world.data_dir, resource)
    assert path is not None and path.read_bytes() == LESSON
    keys = set(
        world.session.scalars(
            select(Concept.key)
            .join(ResourceConcept, ResourceConcept.concept_id == Concept.id)
            .where(ResourceConcept.resource_id == resource.id)
        )
    )
    assert keys, "the tagger found no skill concept in a customs lesson"
    assert any("customs" in key for key in keys), keys


def test_refused_upload_leaves_no_row_and_no_file(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "MAX_UNPACKED", 100_000)
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w/>")
        archive.writestr("word/pad.bin", b"\0" * 200_000)
    bad = {
        bomb.read_bytes(): "unpacks to too much",
        b"%PDF-1.4\n%%EOF broken": "PDF cannot be read",
        b"x" * (LIMIT + 1): "at most 5 MB",
    }
    for data, message in bad.items():
        with pytest.raises(ResourceFileError, match=message):
            world.upload(data, "lesson.pdf")
    assert world.session.scalar(select(Resource.id)) is None
    assert not (world.data_dir / "library").exists()


def test_review_flow_and_student_access(world: World) -> None:
    resource = world.upload(LESSON, "lesson3.docx", for_review=False)
    assert resource.status == "draft"
    with pytest.raises(NotFound):
        read_resource(world.session, principal=world.student, resource_id=resource.id)
    with pytest.raises(NotFound):
        read_resource(world.session, principal=world.teacher2, resource_id=resource.id)
    assert list_resources(world.session, principal=world.student) == []
    assert read_resource(world.session, principal=world.teacher, resource_id=resource.id)
    with pytest.raises(Forbidden):
        publish_resource(world.session, principal=world.teacher, resource_id=resource.id)
    change_status(world.session, principal=world.teacher, resource_id=resource.id, action="submit")
    assert [r.id for r in list_resources(world.session, principal=world.admin)] == [resource.id]
    publish_resource(world.session, principal=world.admin, resource_id=resource.id)
    assert resource.status == "published" and resource.reviewed_by == world.admin.user_id
    assert [r.id for r in list_resources(world.session, principal=world.student)] == [resource.id]
    withdraw_resource(world.session, principal=world.admin, resource_id=resource.id)
    assert list_resources(world.session, principal=world.student) == []
    with pytest.raises(Conflict):
        withdraw_resource(world.session, principal=world.admin, resource_id=resource.id)


def test_new_version_retags_and_returns_to_review(world: World) -> None:
    resource = world.upload(LESSON, "lesson3.docx")
    publish_resource(world.session, principal=world.admin, resource_id=resource.id)
    md = markdown_bytes("冷链物流", [("温控", "Cold chain logistics: reefer containers.")])
    new_version(
        world.session,
        principal=world.teacher,
        resource_id=resource.id,
        data=md,
        file_name="lesson3.md",
        data_dir=world.data_dir,
        max_bytes=LIMIT,
    )
    assert resource.version == 2 and resource.status == "review"
    assert "reefer" in resource.text and "报关单" not in resource.text
    assert resource.media_type == "text/markdown"
    with pytest.raises(Conflict):
        new_version(
            world.session,
            principal=world.teacher,
            resource_id=resource.id,
            data=md,
            file_name="again.md",
            data_dir=world.data_dir,
            max_bytes=LIMIT,
        )
    with pytest.raises(Forbidden):
        new_version(
            world.session,
            principal=world.teacher2,
            resource_id=resource.id,
            data=LESSON,
            file_name="x.docx",
            data_dir=world.data_dir,
            max_bytes=LIMIT,
        )


def test_students_cannot_upload_or_create_libraries(world: World) -> None:
    with pytest.raises(Forbidden):
        submit_resource(
            world.session,
            principal=world.student,
            library_id=world.library.id,
            title_zh="x",
            title_en="x",
            kind="document",
            url="https://example.org/x",
            data_dir=world.data_dir,
            max_bytes=LIMIT,
        )
    with pytest.raises(Forbidden):
        create_library(world.session, principal=world.teacher, code="x", name_zh="x", name_en="x")


def test_a_link_resource_is_indexed_from_its_metadata(world: World) -> None:
    resource = submit_resource(
        world.session,
        principal=world.teacher,
        library_id=world.library.id,
        title_zh="报关视频",
        title_en="Customs declaration video",
        kind="video",
        url="https://example.org/video/1",
        data_dir=world.data_dir,
        max_bytes=LIMIT,
    )
    assert resource.file_sha256 is None and resource.text == ""
    assert "报关" in resource.search_text.split()
    assert resource_file_path(world.data_dir, resource) is None
    with pytest.raises(ResourceError, match="either a file or a link"):
        world.upload(LESSON, "x.docx", url="https://example.org/x")
    with pytest.raises(ResourceError, match="unknown resource type"):
        world.upload(LESSON, "x.docx", kind="poster")


def test_resources_are_tagged_with_term_base_concepts(
    world: World, factory: sessionmaker[Session]
) -> None:
    world.session.commit()
    import_bundled(factory)
    data = docx_bytes("Export documents", ["The carrier issues the B/L after loading."])
    resource = world.upload(data, "bl.docx", title_zh="海运提单", title_en="Ocean documents")
    tagged = {
        term.text: tag.first_offset
        for tag, term in world.session.execute(
            select(ResourceTerm, Term)
            .join(Term, Term.term_concept_id == ResourceTerm.term_concept_id)
            .where(ResourceTerm.resource_id == resource.id, Term.lang == "zh")
        )
    }
    assert "提单" in tagged or "海运提单" in tagged, tagged
    offset = tagged.get("提单", tagged.get("海运提单"))
    assert offset is not None and resource.text[offset : offset + 3] == "B/L"


def test_retag_all_after_a_term_base_import(world: World, factory: sessionmaker[Session]) -> None:
    data = docx_bytes("Export documents", ["Check the bill of lading and the L/C."])
    resource = world.upload(data, "docs.docx")
    assert world.session.scalar(select(ResourceTerm.term_concept_id)) is None  # no term base
    world.session.commit()
    import_bundled(factory)
    assert retag_all(world.session) == 1
    tagged = set(
        world.session.scalars(
            select(ResourceTerm.term_concept_id).where(ResourceTerm.resource_id == resource.id)
        )
    )
    assert len(tagged) >= 2  # bill of lading, letter of credit
