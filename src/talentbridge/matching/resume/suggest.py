"""From an uploaded résumé to suggestions the student confirms, and back into the profile.

``parse_resume(session, principal, profile_id, file, settings=…)`` checks that the
principal may edit the profile, reads the upload (``files``), stores it once per content
under the data directory and as a ``resume_file`` row, finds entities (``entities``),
sections and date ranges (``layout``) and skills (the taxonomy extractor), and writes
``profile_suggestion`` rows, all ``pending``:

==============  =============================================================================
kind            value
==============  =============================================================================
experience      a line with a date range outside the education section: ``kind``
                (work / internship / project, from the section), organization, title, dates
education       a line with a date range in the education section, or a degree word:
                organization, major, degree, education level, dates
organization    an organization not already part of an experience or education suggestion
title           a job title not already part of an experience suggestion
skill,          a taxonomy concept found in the text (not negated) that the profile does not
certificate,    hold yet: ``concept_id``, ``key``, labels
language
major           a major or field (专业): the text, and the catalog major when the name matches
location        a place: its division code
==============  =============================================================================

The same file uploaded again for the same profile is recognised by its SHA-256: nothing
new is created and the earlier suggestions are returned.

``decide(session, principal, suggestion_id, accept)`` marks a pending suggestion accepted
or rejected; an accepted one goes into the profile through ``profile_edit``: concepts
with source ``resume``, experiences and education as ``profile_experience`` rows with
source ``resume``, a location as a wish city. An accepted major changes nothing (the
major of record is the college's); it stays as a confirmed fact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentbridge.accounts.policy import Principal
from talentbridge.config import Settings
from talentbridge.domain.divisions import find_division
from talentbridge.domain.education import parse_education
from talentbridge.errors import Conflict, NotFound
from talentbridge.matching import profile_edit as edit
from talentbridge.matching.concept_refs import CERTIFICATE_KINDS, LANGUAGE_KINDS, SKILL_KINDS
from talentbridge.matching.profile_access import audit_change, editable_profile
from talentbridge.matching.resume.entities import Entity, extract_entities
from talentbridge.matching.resume.files import read_resume, store_resume
from talentbridge.matching.resume.layout import DateRange, date_ranges, section_at, sections
from talentbridge.store.matching_tables import (
    ProfileConcept,
    ProfileSuggestion,
    ProfileWish,
    ResumeFile,
)
from talentbridge.store.tables import Concept, Major, utcnow
from talentbridge.taxonomy.extractor import extractor_for

MIN_SKILL_CONFIDENCE = 0.75
_EXPERIENCE_SECTIONS = {"experience": "work", "internship": "internship", "project": "project"}


@dataclass(frozen=True)
class UploadedResume:
    file_name: str
    data: bytes


@dataclass(frozen=True)
class ParseResult:
    resume_file_id: int
    language: str
    suggestion_ids: tuple[int, ...]
    already_parsed: bool  # the same file was uploaded before: nothing new was created


@dataclass
class _Draft:
    kind: str
    text: str
    value: dict[str, object]
    start: int
    end: int


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _lines(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    position = 0
    for line in text.split("\n"):
        spans.append((position, position + len(line)))
        position += len(line) + 1
    return spans


def _first(entities: Iterable[Entity], kind: str) -> Entity | None:
    return next((e for e in entities if e.type == kind), None)


def _dated_lines(text: str, entities: list[Entity]) -> list[_Draft]:
    """One experience or education per line that holds a date range and an organization
    or title (the next line is read too when the dated line names neither)."""
    found = sections(text)
    ranges = date_ranges(text)
    lines = _lines(text)
    drafts: list[_Draft] = []
    for date in ranges:
        index = next(i for i, (s, e) in enumerate(lines) if s <= date.start <= e)
        start, end = lines[index]
        inside = [e for e in entities if start <= e.start and e.end <= end]
        if not any(e.type in ("ORG", "TITLE") for e in inside) and index + 1 < len(lines):
            end = lines[index + 1][1]
            inside = [e for e in entities if start <= e.start and e.end <= end]
        section = section_at(found, date.start)
        draft = _education(text, date, inside, start, end) if section == "education" else None
        if draft is None and section != "education":
            draft = _experience(text, date, inside, start, end, section)
        if draft is not None:
            drafts.append(draft)
    return drafts


def _education(
    text: str, date: DateRange, inside: list[Entity], start: int, end: int
) -> _Draft | None:
    org, degree, major = _first(inside, "ORG"), _first(inside, "EDU"), _first(inside, "PRO")
    if org is None and degree is None:
        return None
    level = parse_education(degree.text) if degree else None
    return _Draft("education", text[start:end].strip()[:300], {
        "organization": org.text if org else None, "degree": degree.text if degree else None,
        "major": major.text if major else None, "level": level.name.lower() if level else None,
        "start_on": _iso(date.start_on), "end_on": _iso(date.end_on), "ongoing": date.ongoing,
    }, start, end)  # fmt: skip


def _experience(
    text: str, date: DateRange, inside: list[Entity], start: int, end: int, section: str | None
) -> _Draft | None:
    org, title = _first(inside, "ORG"), _first(inside, "TITLE")
    if org is None and title is None:
        return None
    kind = _EXPERIENCE_SECTIONS.get(section or "", "work")
    return _Draft("experience", text[start:end].strip()[:300], {
        "kind": kind, "organization": org.text if org else None,
        "title": title.text if title else None, "start_on": _iso(date.start_on),
        "end_on": _iso(date.end_on), "ongoing": date.ongoing,
    }, start, end)  # fmt: skip


def _concept_drafts(session: Session, text: str, profile_id: int) -> list[_Draft]:
    held = set(session.scalars(select(ProfileConcept.concept_id).where(
        ProfileConcept.profile_id == profile_id, ProfileConcept.confirmed.is_(True))))  # fmt: skip
    hits = extractor_for(session).concepts(text)
    wanted = {cid: hit for cid, hit in hits.items()
              if cid not in held and not hit.negated and hit.confidence >= MIN_SKILL_CONFIDENCE}  # fmt: skip
    if not wanted:
        return []
    concepts = {c.id: c for c in session.scalars(select(Concept).where(Concept.id.in_(wanted)))}
    drafts: list[_Draft] = []
    for cid, hit in sorted(wanted.items(), key=lambda item: item[1].start):
        concept = concepts.get(cid)
        if concept is None:
            continue
        if concept.kind in CERTIFICATE_KINDS:
            kind = "certificate"
        elif concept.kind in LANGUAGE_KINDS:
            kind = "language"
        elif concept.kind in SKILL_KINDS:
            kind = "skill"
        else:
            continue  # clusters and groups are not held
        drafts.append(_Draft(kind, hit.surface, {
            "concept_id": cid, "key": concept.key, "label_zh": concept.label_zh,
            "label_en": concept.label_en}, hit.start, hit.end))  # fmt: skip
    return drafts


def _entity_drafts(session: Session, entities: list[Entity], taken: list[_Draft]) -> list[_Draft]:
    def covered(entity: Entity) -> bool:
        return any(d.start <= entity.start and entity.end <= d.end for d in taken)

    drafts: list[_Draft] = []
    seen: set[tuple[str, str]] = set()
    for entity in entities:
        key = (entity.type, entity.text)
        if key in seen:
            continue
        seen.add(key)
        value: dict[str, object] = {"text": entity.text}
        if entity.type in ("ORG", "TITLE") and not covered(entity):
            kind = "organization" if entity.type == "ORG" else "title"
        elif entity.type == "EDU" and not covered(entity):
            kind = "education"
            level = parse_education(entity.text)
            value = {"degree": entity.text, "level": level.name.lower() if level else None}
        elif entity.type == "PRO":
            kind = "major"
            name = entity.text.removesuffix("专业")
            major = session.scalars(select(Major).where(Major.name_zh == name,
                                                        Major.item_level == "major")).first()  # fmt: skip
            value["major_id"] = major.id if major else None
        elif entity.type == "LOC":
            place = find_division(entity.text)
            if place is None:
                continue
            kind, value["division_code"] = "location", place.code
        else:
            continue
        drafts.append(_Draft(kind, entity.text, value, entity.start, entity.end))
    return drafts


def _existing(session: Session, profile_id: int, sha256: str) -> ResumeFile | None:
    return session.scalars(select(ResumeFile).where(
        ResumeFile.profile_id == profile_id, ResumeFile.sha256 == sha256)).first()  # fmt: skip


def parse_resume(
    session: Session,
    principal: Principal,
    profile_id: int,
    file: UploadedResume,
    *,
    settings: Settings,
) -> ParseResult:
    """Read, store and parse a résumé into pending suggestions (see the module docstring)."""
    profile = editable_profile(session, principal, profile_id)
    read = read_resume(file.data, max_bytes=settings.max_upload_bytes)
    earlier = _existing(session, profile_id, read.sha256)
    if earlier is not None:
        ids = session.scalars(select(ProfileSuggestion.id).where(
            ProfileSuggestion.resume_file_id == earlier.id).order_by(ProfileSuggestion.id))  # fmt: skip
        return ParseResult(earlier.id, earlier.language or read.language, tuple(ids), True)
    path = store_resume(settings.data_dir, file.data, read)
    row = ResumeFile(profile_id=profile_id, file_name=file.file_name[:300] or path.name,
                     media_type=read.media_type, sha256=read.sha256, size=read.size,
                     stored_path=str(path), text=read.text, language=read.language,
                     uploaded_by=principal.user_id)  # fmt: skip
    session.add(row)
    session.flush()
    entities = extract_entities(read.text, language=read.language)
    drafts = _dated_lines(read.text, entities)
    drafts += _entity_drafts(session, entities, drafts)
    drafts += _concept_drafts(session, read.text, profile_id)
    suggestions = [
        ProfileSuggestion(profile_id=profile_id, resume_file_id=row.id, kind=d.kind,
                          text=d.text[:300], value=d.value, span_start=d.start, span_end=d.end)
        for d in sorted(drafts, key=lambda d: (d.start, d.kind))
    ]  # fmt: skip
    session.add_all(suggestions)
    session.flush()
    audit_change(session, principal, profile, "profile.resume.upload",
                 f"{row.file_name} ({read.media_type}, {len(suggestions)} suggestions)")  # fmt: skip
    return ParseResult(row.id, read.language, tuple(s.id for s in suggestions), False)


def _date(value: object) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) and value else None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _apply(session: Session, principal: Principal, suggestion: ProfileSuggestion) -> None:
    value = suggestion.value or {}
    pid = suggestion.profile_id
    if suggestion.kind in ("skill", "certificate", "language"):
        concept_id = value.get("concept_id")
        if not isinstance(concept_id, int):
            raise Conflict("the suggestion names no concept")
        edit.add_concepts(session, principal, profile_id=pid, group=f"{suggestion.kind}s",
                          refs=[concept_id], source="resume", evidence=suggestion.text)  # fmt: skip
    elif suggestion.kind in ("experience", "organization", "title"):
        kind = _text(value.get("kind")) or "work"
        edit.add_experience(session, principal, profile_id=pid, source="resume",
                            experience=edit.ExperienceInput(
                                kind, _text(value.get("organization")) or (
                                    suggestion.text if suggestion.kind == "organization" else None),
                                _text(value.get("title")) or (
                                    suggestion.text if suggestion.kind == "title" else None),
                                _date(value.get("start_on")), _date(value.get("end_on"))))  # fmt: skip
    elif suggestion.kind == "education":
        title = " ".join(t for t in (_text(value.get("major")), _text(value.get("degree"))) if t)
        edit.add_experience(session, principal, profile_id=pid, source="resume",
                            experience=edit.ExperienceInput(
                                "education", _text(value.get("organization")), title or None,
                                _date(value.get("start_on")), _date(value.get("end_on"))))  # fmt: skip
    elif suggestion.kind == "location":
        code = _text(value.get("division_code"))
        wish = session.get(ProfileWish, pid)
        current = list(wish.city_codes or []) if wish else []
        if code:
            edit.set_wish(session, principal, profile_id=pid, wish=edit.WishInput(
                city_codes=[*current, code], salary_min=wish.salary_min if wish else None,
                occupation_ids=list(wish.occupation_ids or []) if wish else [],
                willing_to_relocate=wish.willing_to_relocate if wish else True,
                willing_to_go_abroad=wish.willing_to_go_abroad if wish else False,
                summary=wish.summary if wish else ""))  # fmt: skip


def decide(session: Session, principal: Principal, suggestion_id: int, accept: bool) -> str:
    """Accept (into the profile) or reject a pending suggestion; the new status."""
    suggestion = session.get(ProfileSuggestion, suggestion_id)
    if suggestion is None:
        raise NotFound(f"suggestion {suggestion_id} not found")
    try:
        profile = editable_profile(session, principal, suggestion.profile_id)
    except NotFound:
        raise NotFound(f"suggestion {suggestion_id} not found") from None
    if suggestion.status != "pending":
        raise Conflict(f"the suggestion was already {suggestion.status}")
    if accept:
        _apply(session, principal, suggestion)
    suggestion.status = "accepted" if accept else "rejected"
    suggestion.decided_at = utcnow()
    session.flush()
    audit_change(session, principal, profile, "profile.suggestion",
                 f"{suggestion.id} {suggestion.kind} {suggestion.status}")  # fmt: skip
    return suggestion.status
