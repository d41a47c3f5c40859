"""Bodies of the library API (``/api/v1/library/…``), read from the services' records."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _From(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class LibraryErrorBody(BaseModel):
    code: str = Field(examples=["not_found"])
    message: str


class LibraryErrorOut(BaseModel):
    """Every error answer of the API."""

    error: LibraryErrorBody


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": LibraryErrorOut, "description": "invalid input (the message says why)"},
    401: {"model": LibraryErrorOut, "description": "not signed in and no valid bearer token"},
    403: {"model": LibraryErrorOut, "description": "your role may not do this"},
    404: {"model": LibraryErrorOut, "description": "no such record, or not visible to you"},
    409: {"model": LibraryErrorOut, "description": "conflicts with the record's current state"},
    422: {"model": LibraryErrorOut, "description": "a parameter has the wrong form"},
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: ERRORS[code] for code in (401, *codes)}


class LibraryOut(_From):
    id: int
    code: str
    name_zh: str
    name_en: str
    description_zh: str
    description_en: str
    is_sample: bool
    resources: int = Field(0, description="published resources")


class ResourceOut(_From):
    id: int
    library_id: int
    title_zh: str
    title_en: str
    summary_zh: str
    summary_en: str
    kind: str = Field(description="courseware, document, video, exercise, case, standard")
    languages: list[str]
    level: str | None = Field(description="secondary, associate, bachelor or any")
    author: str | None
    license: str | None
    version: int
    status: str = Field(description="draft, review, published, withdrawn")
    url: str | None = Field(description="a link instead of a file")
    file_name: str | None
    media_type: str | None
    file_size: int | None
    file_sha256: str | None
    is_sample: bool
    created_at: dt.datetime
    updated_at: dt.datetime
    published_at: dt.datetime | None


class ResourcesOut(BaseModel):
    total: int
    limit: int
    offset: int
    resources: list[ResourceOut]


class ResourceMajorOut(_From):
    id: int
    code: str
    name_zh: str
    name_en: str | None


class ResourceSkillOut(_From):
    concept_id: int
    key: str
    label_zh: str | None
    label_en: str | None
    source: str = Field(description="author (given by the uploader) or tagger (found in the text)")


class TermMentionOut(_From):
    entry_id: str
    zh: str | None
    en: str | None
    mentions: int


class ResourceDetailOut(ResourceOut):
    library_code: str
    majors: list[ResourceMajorOut]
    skills: list[ResourceSkillOut]
    terms: list[TermMentionOut]
    actions: list[str] = Field(description="status actions you may take now")
    download_url: str | None
    metadata_url: str


class TermOut(_From):
    lang: str
    text: str
    status: str = Field(description="preferred, admitted, deprecated, superseded")
    term_type: str | None = Field(description="fullForm, abbreviation, acronym, variant …")
    part_of_speech: str | None = None
    context: str | None = None
    source: str | None = None


class TermConceptOut(BaseModel):
    entry_id: str
    subject_field: str | None
    definition_zh: str | None
    definition_en: str | None
    zh: str | None = Field(description="the first preferred Chinese term")
    en: str | None = Field(description="the first preferred English term")


class TermMatchOut(BaseModel):
    lang: str
    text: str
    status: str
    term_type: str | None
    concept: TermConceptOut


class TermLookupOut(BaseModel):
    query: str
    matches: list[TermMatchOut]


class TermConceptDetailOut(TermConceptOut):
    note: str | None
    skill_key: str | None
    terms: list[TermOut]
    resource_ids: list[int] = Field(description="resources mentioning it that you may see")


class RejectedOut(BaseModel):
    row: int | None
    field: str | None
    reason: str


class TermImportOut(BaseModel):
    run_id: int | None
    read: int
    stored: int
    unchanged: int
    duplicates: int
    rejected: int
    message: str | None
    retagged: int = Field(description="resources tagged again after the import")
    errors: list[RejectedOut]


class TermHitOut(BaseModel):
    entry_id: str
    subject_field: str | None
    zh: list[str]
    en: list[str]
    definition_zh: str | None
    definition_en: str | None
    query_term_status: str | None = Field(
        description="the status of the term you typed, e.g. deprecated"
    )


class ResourceHitOut(BaseModel):
    resource_id: int
    score: float
    title_zh: str
    title_en: str
    snippet: str
    library_id: int
    kind: str
    languages: list[str]
    level: str | None
    matched: list[str]


class SearchOut(BaseModel):
    query: str
    total: int
    limit: int
    offset: int
    expanded: list[str] = Field(description="terms the query was expanded to")
    terms: list[TermHitOut]
    resources: list[ResourceHitOut]
