"""The upload page: a teacher uploads a DOCX with bilingual metadata, majors and skills
(it waits for review, unseen by students); refused files (lying type, oversize, no
text) show the service's message and leave no row and no file behind."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from librarytools import Shelf, build_shelf
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker
from webtools import World, csrf_from, login

from talentbridge.config import Settings
from talentbridge.library.samples import docx_bytes
from talentbridge.store.library_tables import Resource, ResourceConcept, ResourceMajor
from talentbridge.taxonomy.concepts import load_bundled_taxonomy
from talentbridge.web.app import create_app

DOCX = docx_bytes(
    "Shipping documents",
    ["The shipper receives the bill of lading from the carrier.", "海运提单的背书与流转。"],
)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


@pytest.fixture()
def shelf(
    factory: sessionmaker[Session], session: Session, world: World, settings: Settings
) -> Shelf:
    load_bundled_taxonomy(factory)
    return build_shelf(factory, session, world, settings.data_dir)


def _form(client: TestClient) -> str:
    page = client.get("/library/upload?library=trade-documents")
    assert page.status_code == 200
    return csrf_from(page.text)


def _fields(token: str, **extra: str) -> dict[str, str]:
    fields = {
        "csrf_token": token,
        "library": "trade-documents",
        "title_zh": "海运提单",
        "title_en": "Ocean <bills> of lading",
        "summary_en": "How a B/L moves.",
        "kind": "document",
        "level": "associate",
        "majors": "530802",
        "skills": "",
        "author": "王老师",
        "license": "CC-BY-4.0",
    }
    fields.update(extra)
    return fields


def _count(session: Session) -> int:
    session.expire_all()
    return int(session.scalar(select(func.count(Resource.id))) or 0)


def test_teacher_uploads_a_docx_that_waits_for_review(
    client: TestClient, shelf: Shelf, session: Session
) -> None:
    login(client, "teacher_a")
    token = _form(client)
    response = client.post(
        "/library/upload",
        data={**_fields(token), "languages": ["zh", "en"]},
        files={"file": ("lesson.docx", DOCX, "application/octet-stream")},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[-1500:]
    target = response.headers["location"]
    rid = int(re.search(r"/library/resources/(\d+)", target).group(1))  # type: ignore[union-attr]
    page = client.get(target)
    assert "已上传，等待审核" in page.text and "待审核" in page.text
    assert "Ocean &lt;bills&gt; of lading" in page.text
    resource = session.get(Resource, rid)
    assert resource is not None and resource.status == "review"
    assert resource.languages == ["zh", "en"] and resource.author == "王老师"
    assert session.scalars(
        select(ResourceMajor.major_id).where(ResourceMajor.resource_id == rid)
    ).all()
    client.cookies.clear()
    login(client, "student_a")
    assert client.get(target).status_code == 404
    assert "海运提单" not in client.get("/library/trade-documents").text


def test_authored_skills_are_linked_and_unknown_ones_refused(
    client: TestClient, shelf: Shelf, session: Session
) -> None:
    login(client, "teacher_a")
    token = _form(client)
    before = _count(session)
    bad = client.post(
        "/library/upload",
        data=_fields(token, skills="no such skill at all"),
        files={"file": ("lesson.docx", DOCX, "application/octet-stream")},
    )
    assert bad.status_code == 400 and "unknown skills: no such skill at all" in bad.text
    assert 'value="海运提单"' in bad.text  # the form keeps what was typed
    assert _count(session) == before
    good = client.post(
        "/library/upload",
        data=_fields(token, skills="报关"),
        files={"file": ("lesson.docx", DOCX, "application/octet-stream")},
        follow_redirects=False,
    )
    assert good.status_code == 303
    rid = int(good.headers["location"].split("/")[-1].split("?")[0])
    sources = session.scalars(
        select(ResourceConcept.source).where(ResourceConcept.resource_id == rid)
    ).all()
    assert "author" in sources


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("slides.pdf", PNG, "not a PDF, DOCX, PPTX, XLSX, Markdown or text file"),
        ("notes.docx", b"PK\x03\x04" + b"\x00" * 64, "damaged ZIP"),
        ("empty.txt", b"", "the file is empty"),
    ],
)
def test_refused_files_show_the_reason_and_store_nothing(
    client: TestClient,
    shelf: Shelf,
    session: Session,
    settings: Settings,
    name: str,
    data: bytes,
    message: str,
) -> None:
    login(client, "teacher_a")
    token = _form(client)
    before = _count(session)
    files_before = sorted((settings.data_dir / "library").iterdir())
    response = client.post(
        "/library/upload",
        data=_fields(token),
        files={"file": (name, data, "application/pdf")},
    )
    assert response.status_code == 400
    error = re.search(r'id="upload-error">([^<]*)<', response.text)
    assert error and message in error.group(1), response.text[-1500:]
    assert _count(session) == before
    assert sorted((settings.data_dir / "library").iterdir()) == files_before


@pytest.fixture()
def small_client(settings: Settings, engine: Engine) -> Iterator[TestClient]:
    app = create_app(settings.with_overrides(max_upload_bytes=2048), engine=engine)
    with TestClient(app) as test_client:
        yield test_client


def test_oversize_upload_is_refused(
    small_client: TestClient, shelf: Shelf, session: Session
) -> None:
    login(small_client, "teacher_a")
    token = _form(small_client)
    before = _count(session)
    response = small_client.post(
        "/library/upload",
        data=_fields(token),
        files={"file": ("big.docx", DOCX, "application/octet-stream")},
    )
    assert response.status_code == 400
    assert "at most" in response.text and "MB" in response.text
    assert _count(session) == before


def test_a_link_resource_needs_no_file(client: TestClient, shelf: Shelf, session: Session) -> None:
    login(client, "teacher_a")
    token = _form(client)
    response = client.post(
        "/library/upload",
        data=_fields(token, kind="video", url="https://video.example.cn/bl"),
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = client.get(response.headers["location"])
    assert 'href="https://video.example.cn/bl"' in page.text
    assert "/download" not in page.text
    bad = client.post(
        "/library/upload", data=_fields(token, kind="video", url="javascript:alert(1)")
    )
    assert bad.status_code == 400 and "http://" in bad.text


def test_new_version_goes_back_to_review_and_refuses_the_same_file(
    client: TestClient, shelf: Shelf, session: Session
) -> None:
    lesson = shelf.resources["lesson"]  # published, uploaded by teacher_a
    login(client, "student_a")
    page = client.get(f"/library/resources/{lesson.id}")
    assert "/version" not in page.text  # no form for readers
    refused = client.post(
        f"/library/resources/{lesson.id}/version",
        data={"csrf_token": csrf_from(page.text)},
        files={"file": ("v2.docx", DOCX, "application/octet-stream")},
    )
    assert refused.status_code == 403
    client.cookies.clear()
    login(client, "teacher_a")
    page = client.get(f"/library/resources/{lesson.id}")
    token = csrf_from(page.text)
    done = client.post(
        f"/library/resources/{lesson.id}/version",
        data={"csrf_token": token},
        files={"file": ("v2.docx", DOCX, "application/octet-stream")},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"].endswith("?done=version")
    session.expire_all()
    updated = session.get(Resource, lesson.id)
    assert updated is not None and updated.version == 2 and updated.status == "review"
    assert updated.file_name == "v2.docx" and "海运提单" in updated.text
    again = client.post(
        f"/library/resources/{lesson.id}/version",
        data={"csrf_token": token},
        files={"file": ("v2-again.docx", DOCX, "application/octet-stream")},
    )
    assert again.status_code == 400
    assert "current version already" in again.text and 'id="version-error"' in again.text
    session.expire_all()
    assert session.get(Resource, lesson.id).version == 2  # type: ignore[union-attr]
