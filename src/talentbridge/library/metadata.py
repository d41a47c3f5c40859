"""Export a resource's metadata as Dublin Core and LRMI (schema.org) JSON-LD.

One JSON-LD object of type ``LearningResource`` carries both vocabularies: schema.org
terms (LRMI is part of schema.org) and the Dublin Core terms (``dcterms:``) that
repositories harvest. Names and descriptions are language-tagged values.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentbridge.store.library_tables import Library, Resource, ResourceConcept
from talentbridge.store.tables import Concept

CONTEXT: dict[str, Any] = {
    "@vocab": "https://schema.org/",
    "dcterms": "http://purl.org/dc/terms/",
}
# Our resource kinds as LRMI learningResourceType values.
RESOURCE_TYPES = {
    "courseware": "presentation",
    "document": "text",
    "video": "video",
    "exercise": "exercise",
    "case": "case study",
    "standard": "reference",
}
LEVELS = {
    "secondary": "secondary vocational",
    "associate": "higher vocational (associate)",
    "bachelor": "vocational bachelor",
    "any": "any",
}


def _lang_values(zh: str | None, en: str | None) -> list[dict[str, str]]:
    values = []
    if zh:
        values.append({"@value": zh, "@language": "zh"})
    if en:
        values.append({"@value": en, "@language": "en"})
    return values


def resource_jsonld(
    session: Session, resource: Resource, *, base_url: str = "", file_url: str | None = None
) -> dict[str, Any]:
    """The resource as a JSON-LD ``LearningResource`` with Dublin Core terms."""
    library = session.get(Library, resource.library_id)
    skills = session.execute(
        select(Concept.key, Concept.label_zh, Concept.label_en)
        .join(ResourceConcept, ResourceConcept.concept_id == Concept.id)
        .where(ResourceConcept.resource_id == resource.id)
        .order_by(Concept.key)
    ).all()
    identifier = f"{base_url.rstrip('/')}/library/resources/{resource.id}"
    names = _lang_values(resource.title_zh, resource.title_en)
    descriptions = _lang_values(resource.summary_zh, resource.summary_en)
    modified = (resource.updated_at or resource.created_at).isoformat()
    teaches = [
        {
            "@type": "DefinedTerm",
            "termCode": key,
            "name": _lang_values(label_zh, label_en),
        }
        for key, label_zh, label_en in skills
    ]
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "LearningResource",
        "@id": identifier,
        "identifier": identifier,
        "name": names,
        "description": descriptions,
        "inLanguage": list(resource.languages or []),
        "learningResourceType": RESOURCE_TYPES.get(resource.kind, resource.kind),
        "educationalLevel": LEVELS.get(resource.level or "", resource.level),
        "teaches": teaches,
        "author": {"@type": "Person", "name": resource.author} if resource.author else None,
        "license": resource.license,
        "version": str(resource.version),
        "dateModified": modified,
        "datePublished": resource.published_at.isoformat() if resource.published_at else None,
        "isPartOf": {
            "@type": "Collection",
            "identifier": library.code,
            "name": _lang_values(library.name_zh, library.name_en),
        }
        if library
        else None,
        "dcterms:title": names,
        "dcterms:description": descriptions,
        "dcterms:language": list(resource.languages or []),
        "dcterms:type": resource.kind,
        "dcterms:creator": resource.author,
        "dcterms:rights": resource.license,
        "dcterms:modified": modified,
        "dcterms:subject": [key for key, _, _ in skills],
        "dcterms:identifier": identifier,
    }
    if resource.file_sha256:
        data["encoding"] = {
            "@type": "MediaObject",
            "contentUrl": file_url or f"{identifier}/file",
            "encodingFormat": resource.media_type,
            "sha256": resource.file_sha256,
            "contentSize": str(resource.file_size),
        }
        data["dcterms:format"] = resource.media_type
    elif resource.url:
        data["url"] = resource.url
    return {key: value for key, value in data.items() if value not in (None, [], "")}
