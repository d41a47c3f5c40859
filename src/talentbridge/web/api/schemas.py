"""Response and request bodies of the JSON API."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class _FromRecord(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class HealthOut(BaseModel):
    status: str = Field(description="ok, or error when the store cannot be reached")
    store: str
    schema_revision: str | None
    schema_head: str | None
    schema_up_to_date: bool
    version: str


class OrganizationOut(_FromRecord):
    id: int
    code: str
    kind: str
    name_zh: str
    name_en: str | None
    city_code: str | None
    district_code: str | None
    is_sample: bool


class MeOut(BaseModel):
    id: int
    username: str
    display_name: str
    role: str
    locale: str
    organization: OrganizationOut | None


class MajorOut(_FromRecord):
    id: int
    level: str
    item_level: str
    code: str
    name_zh: str
    name_en: str | None
    parent_code: str | None
    category_code: str
    class_code: str | None


class OccupationOut(_FromRecord):
    id: int
    code: str
    name_zh: str
    name_en: str | None
    group_code: str | None


class ProfileOut(_FromRecord):
    id: int
    organization_id: int
    organization_name_zh: str
    organization_name_en: str | None
    student_no: str
    name: str
    graduation_year: int
    major_name_zh: str | None
    major_name_en: str | None
    visible_to_employers: bool
    phone: str | None = Field(
        description="masked (138****5678) when hidden from this viewer; null when none"
    )
    email: str | None = Field(
        description="masked (z***@example.com) when hidden from this viewer; null when none"
    )
    contact_hidden: bool


class TokenIn(BaseModel):
    name: str = Field(min_length=1, max_length=100, description="what the token is for")


class TokenOut(BaseModel):
    token: str = Field(description="shown once; store it safely")
    name: str


class ImportRunOut(_FromRecord):
    id: int
    kind: str
    source: str | None
    file_name: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    status: str
    rows_read: int
    rows_stored: int
    rows_unchanged: int
    rows_duplicate: int
    rows_rejected: int
    rejects_path: str | None
    message: str | None
