"""JSON-LD export (Dublin Core + LRMI) of a real uploaded resource."""

from __future__ import annotations

import json

from sqlalchemy.orm import Session, sessionmaker

import libraryworld
from talentbridge.accounts.roles import Role
from talentbridge.config import Settings
from talentbridge.library.metadata import resource_jsonld
from talentbridge.library.resources import create_library, publish_resource, submit_resource
from talentbridge.library.samples import docx_bytes
from talentbridge.taxonomy.concepts import load_bundled_taxonomy


def test_jsonld_fields(factory: sessionmaker[Session], settings: Settings) -> None:
    load_bundled_taxonomy(factory)
    with factory() as session:
        admin = libraryworld.people(session, {"root": Role.PLATFORM_ADMIN})["root"]
        library = create_library(
            session, principal=admin, code="customs", name_zh="报关实务", name_en="Customs"
        )
        data = docx_bytes("Customs declaration", ["Customs declaration and HS code work."])
        resource = submit_resource(
            session,
            principal=admin,
            library_id=library.id,
            title_zh="报关单填制",
            title_en="Customs declaration forms",
            summary_en="How to fill in the form.",
            kind="courseware",
            level="associate",
            author="Li Hua",
            license="CC-BY-4.0",
            data=data,
            file_name="forms.docx",
            data_dir=settings.data_dir,
            max_bytes=settings.max_upload_bytes,
        )
        publish_resource(session, principal=admin, resource_id=resource.id)
        doc = resource_jsonld(session, resource, base_url="https://tb.example/")
        json.dumps(doc)  # serializable
    assert doc["@type"] == "LearningResource"
    assert doc["@context"]["dcterms"] == "http://purl.org/dc/terms/"
    assert {"@value": "报关单填制", "@language": "zh"} in doc["name"]
    assert {"@value": "Customs declaration forms", "@language": "en"} in doc["name"]
    assert doc["description"] == [{"@value": "How to fill in the form.", "@language": "en"}]
    assert doc["inLanguage"] == ["en"]
    assert doc["learningResourceType"] == "presentation"
    assert doc["educationalLevel"].startswith("higher vocational")
    assert doc["author"] == {"@type": "Person", "name": "Li Hua"}
    assert doc["license"] == "CC-BY-4.0" and doc["version"] == "1"
    assert doc["dateModified"] and doc["datePublished"]
    assert doc["encoding"]["sha256"] == resource.file_sha256
    assert doc["encoding"]["encodingFormat"].endswith("wordprocessingml.document")
    assert (
        doc["encoding"]["contentUrl"] == f"https://tb.example/library/resources/{resource.id}/file"
    )
    assert doc["teaches"] and all(t["@type"] == "DefinedTerm" for t in doc["teaches"])
    assert doc["dcterms:subject"] == [t["termCode"] for t in doc["teaches"]]
    assert doc["isPartOf"]["identifier"] == "customs"
