"""The library JSON API: libraries, resources by role, multipart upload and refusals,
status actions, JSON-LD, the file, term lookups, TBX import/export, the search, and the
OpenAPI documentation of it all."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from librarytools import LESSON, Shelf, build_shelf
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from webtools import World

from talentbridge.accounts.tokens import issue_token
from talentbridge.config import Settings
from talentbridge.library.samples import docx_bytes
from talentbridge.library.tbx import parse_tbx
from talentbridge.store.library_tables import LibraryEvent, Resource, TermConcept

API = "/api/v1/library"


@pytest.fixture()
def shelf(
    factory: sessionmaker[Session], session: Session, world: World, settings: Settings
) -> Shelf:
    return build_shelf(factory, session, world, settings.data_dir)


def bearer(session: Session, world: World, username: str) -> dict[str, str]:
    token = issue_token(session, user_id=world.users[username].id, name="api")
    session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_libraries_with_published_counts(
    client: TestClient, shelf: Shelf, session: Session, world: World
) -> None:
    assert client.get(f"{API}/libraries").status_code == 401
    rows = client.get(f"{API}/libraries", headers=bearer(session, world, "student_a")).json()
    by_code = {r["code"]: r for r in rows}
    assert by_code["trade-documents"]["resources"] == 1
    assert by_code["customs"]["is_sample"] is True
    assert by_code["customs"]["name_en"] == "Customs declaration"


def test_resources_by_role_and_filters(
    client: TestClient, shelf: Shelf, session: Session, world: World
) -> None:
    student = bearer(session, world, "student_a")
    listed = client.get(f"{API}/resources", headers=student).json()
    ids = {r["id"] for r in listed["resources"]}
    assert ids == {shelf.resources["lesson"].id, shelf.resources["notes"].id}
    assert listed["total"] == 2
    teacher = bearer(session, world, "teacher_a")
    mine = client.get(f"{API}/resources", params={"library": "trade-documents"}, headers=teacher)
    assert mine.json()["total"] == 3
    drafts = client.get(f"{API}/resources", params={"status": "draft"}, headers=teacher).json()
    assert [r["id"] for r in drafts["resources"]] == [shelf.resources["draft"].id]
    chinese = client.get(f"{API}/resources", params={"language": "zh"}, headers=student).json()
    assert [r["id"] for r in chinese["resources"]] == [shelf.resources["notes"].id]
    bad = client.get(f"{API}/resources", params={"kind": "movie"}, headers=student)
    assert bad.status_code == 400 and "unknown resource type" in bad.json()["error"]["message"]
    missing = client.get(f"{API}/resources", params={"library": "nope"}, headers=student)
    assert missing.status_code == 404
    hidden = client.get(f"{API}/resources/{shelf.resources['draft'].id}", headers=student)
    assert hidden.status_code == 404


def test_resource_detail_metadata_and_file(
    client: TestClient, shelf: Shelf, session: Session, world: World
) -> None:
    headers = bearer(session, world, "recruiter")
    rid = shelf.resources["lesson"].id
    detail = client.get(f"{API}/resources/{rid}", headers=headers).json()
    assert detail["library_code"] == "trade-documents" and detail["actions"] == []
    assert any(t["en"] == "bill of lading" for t in detail["terms"])
    assert detail["download_url"].endswith(f"/api/v1/library/resources/{rid}/file")
    meta = client.get(f"{API}/resources/{rid}/metadata", headers=headers)
    assert meta.headers["content-type"].startswith("application/ld+json")
    body = meta.json()
    assert body["@type"] == "LearningResource" and body["dcterms:title"]
    assert body["encoding"]["contentUrl"].endswith(f"/library/resources/{rid}/download")
    file = client.get(f"{API}/resources/{rid}/file", headers=headers)
    assert file.content == LESSON and "attachment" in file.headers["content-disposition"]
    kinds = session.scalars(select(LibraryEvent.kind).order_by(LibraryEvent.id)).all()
    assert kinds == ["view", "download"]


def test_upload_review_publish_withdraw(
    client: TestClient, shelf: Shelf, session: Session, world: World
) -> None:
    teacher = bearer(session, world, "teacher_a")
    data = docx_bytes("B/L", ["A clean bill of lading has no clauses about damage."])
    created = client.post(
        f"{API}/resources",
        headers=teacher,
        data={"library": "trade-documents", "title_en": "Clean B/L", "kind": "document",
              "majors": ["530802"], "languages": ["en"]},
        files={"file": ("clean.docx", data, "application/octet-stream")},
    )  # fmt: skip
    assert created.status_code == 201, created.text
    body = created.json()
    rid = body["id"]
    assert body["status"] == "review" and body["languages"] == ["en"]
    assert [m["code"] for m in body["majors"]] == ["530802"]
    assert body["actions"] == []  # the teacher may not publish
    student = bearer(session, world, "student_a")
    assert client.get(f"{API}/resources/{rid}", headers=student).status_code == 404
    assert client.post(f"{API}/resources/{rid}/publish", headers=teacher).status_code == 403
    other_admin = bearer(session, world, "admin_b")
    assert client.post(f"{API}/resources/{rid}/publish", headers=other_admin).status_code == 404
    editor = bearer(session, world, "admin_a")
    published = client.post(f"{API}/resources/{rid}/publish", headers=editor)
    assert published.status_code == 200 and published.json()["status"] == "published"
    assert client.post(f"{API}/resources/{rid}/publish", headers=editor).status_code == 409
    assert client.get(f"{API}/resources/{rid}", headers=student).status_code == 200
    withdrawn = client.post(f"{API}/resources/{rid}/withdraw", headers=editor)
    assert withdrawn.json()["status"] == "withdrawn"
    assert client.get(f"{API}/resources/{rid}", headers=student).status_code == 404
    assert client.post(f"{API}/resources/{rid}/explode", headers=editor).status_code == 422
    v2 = docx_bytes("B/L", ["A claused bill of lading notes damage to the goods."])
    upload = {"file": ("v2.docx", v2, "application/octet-stream")}
    newer = client.post(f"{API}/resources/{rid}/version", headers=teacher, files=upload)
    assert newer.status_code == 200 and newer.json()["version"] == 2
    same = client.post(f"{API}/resources/{rid}/version", headers=teacher, files=upload)
    assert same.status_code == 409


def test_refused_uploads_store_nothing(
    client: TestClient, shelf: Shelf, session: Session, world: World
) -> None:
    teacher = bearer(session, world, "teacher_a")
    before = session.scalar(select(func.count(Resource.id)))
    lying = client.post(
        f"{API}/resources",
        headers=teacher,
        data={"library": "trade-documents", "title_en": "Slides"},
        files={"file": ("slides.pptx", b"\x7fELF\x02\x01\x01" + bytes(300), "application/vnd")},
    )
    assert lying.status_code == 400
    assert "not a PDF, DOCX, PPTX, XLSX, Markdown or text file" in lying.json()["error"]["message"]
    student = bearer(session, world, "student_a")
    refused = client.post(
        f"{API}/resources",
        headers=student,
        data={"library": "trade-documents", "title_en": "x"},
        files={"file": ("a.txt", b"hello", "text/plain")},
    )
    assert refused.status_code == 403
    session.expire_all()
    assert session.scalar(select(func.count(Resource.id))) == before


def test_term_lookup_and_concept(
    client: TestClient, shelf: Shelf, session: Session, world: World
) -> None:
    headers = bearer(session, world, "student_a")
    found = client.get(f"{API}/terms", params={"q": "提单"}, headers=headers).json()
    first = found["matches"][0]
    assert first["text"] == "提单" and first["concept"]["en"] == "bill of lading"
    wide = client.get(f"{API}/terms", params={"q": "ＢＩＬＬ of  LADING"}, headers=headers).json()
    assert wide["matches"][0]["text"] == "bill of lading"  # width, case and spaces normalized
    entry = first["concept"]["entry_id"]
    concept = client.get(f"{API}/terms/{entry}", headers=headers).json()
    assert {"zh", "en"} <= {t["lang"] for t in concept["terms"]}
    assert shelf.resources["lesson"].id in concept["resource_ids"]
    assert shelf.resources["pending"].id not in concept["resource_ids"]
    assert client.get(f"{API}/terms/none-such", headers=headers).status_code == 404


def test_tbx_import_and_export(
    client: TestClient, shelf: Shelf, session: Session, world: World
) -> None:
    editor = bearer(session, world, "admin_a")
    exported = client.get(f"{API}/terms/export", headers=editor)
    assert exported.status_code == 200
    entries = parse_tbx(exported.content).entries
    student = bearer(session, world, "student_a")
    assert client.get(f"{API}/terms/export", headers=student).status_code == 403
    again = client.post(
        f"{API}/terms/import",
        headers=editor,
        files={"file": ("termbase.tbx", exported.content, "application/xml")},
    )
    assert again.status_code == 200, again.text
    report = again.json()
    assert report["read"] == len(entries) and report["unchanged"] == len(entries)
    assert report["stored"] == 0 and report["retagged"] == 0
    before = session.scalar(select(func.count(TermConcept.id)))
    broken = client.post(
        f"{API}/terms/import",
        headers=editor,
        files={"file": ("bad.tbx", b"<tbx><text>\n<body></text>", "application/xml")},
    )
    assert broken.status_code == 400
    assert "line 2: not well-formed" in broken.json()["error"]["message"]
    martif = client.post(
        f"{API}/terms/import",
        headers=editor,
        files={"file": ("odd.tbx", b'<martif type="XLIFF"/>', "application/xml")},
    )
    assert martif.status_code == 400 and "unknown martif type" in martif.text
    session.expire_all()
    assert session.scalar(select(func.count(TermConcept.id))) == before
    csv = client.get(f"{API}/terms/export", params={"format": "csv"}, headers=editor)
    assert csv.headers["content-disposition"].endswith('filename="termbase.csv"')


def test_search_is_cross_lingual_and_recorded(
    client: TestClient, shelf: Shelf, session: Session, world: World
) -> None:
    headers = bearer(session, world, "student_a")
    found = client.get(f"{API}/search", params={"q": "提单"}, headers=headers).json()
    assert shelf.resources["lesson"].id in [r["resource_id"] for r in found["resources"]]
    assert any("bill of lading" in t["en"] for t in found["terms"])
    assert "bill of lading" in found["expanded"]
    plain = client.get(
        f"{API}/search", params={"q": "提单", "expand": "false"}, headers=headers
    ).json()
    assert "bill of lading" not in plain["expanded"]
    filtered = client.get(
        f"{API}/search", params={"q": "提单", "library": "customs"}, headers=headers
    ).json()
    assert shelf.resources["lesson"].id not in [r["resource_id"] for r in filtered["resources"]]
    events = session.scalars(select(LibraryEvent).where(LibraryEvent.kind == "search")).all()
    assert len(events) == 3 and events[2].library_id == shelf.libraries["customs"].id


def test_openapi_documents_the_library_api(client: TestClient) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for path in (
        "/api/v1/library/libraries",
        "/api/v1/library/resources",
        "/api/v1/library/resources/{resource_id}",
        "/api/v1/library/resources/{resource_id}/{action}",
        "/api/v1/library/resources/{resource_id}/metadata",
        "/api/v1/library/terms",
        "/api/v1/library/terms/import",
        "/api/v1/library/terms/export",
        "/api/v1/library/search",
    ):
        assert path in paths, path
    upload = paths["/api/v1/library/resources"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
    assert {"201", "400", "401", "403"} <= set(upload["responses"])
    assert upload["responses"]["400"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/LibraryErrorOut"
    )
    assert "409" in paths["/api/v1/library/resources/{resource_id}/{action}"]["post"]["responses"]
    clashes = [n for n in schema["components"]["schemas"] if n.startswith("talentbridge__")]
    clashes = [n for n in clashes if "library" in n]
    assert clashes == []  # a schema name used twice gets a module-qualified name
    assert "/library/resources/{resource_id}" not in str(
        [p for p in paths if not p.startswith("/api/")]
    )
