"""Helpers of the posting pages: saving uploads safely, form errors as catalog keys,
and display labels (salary, place, experience, compliance flags) in the page language."""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from fastapi import UploadFile

from talentbridge.domain.divisions import division
from talentbridge.pipeline.compliance import RULES
from talentbridge.store.tables import Posting, PostingFlag
from talentbridge.web.i18n import load_catalogs, translator

POSTING_SUFFIXES: tuple[str, ...] = (".csv", ".xlsx", ".jsonl")
MAPPING_SUFFIXES: tuple[str, ...] = (".csv", ".json", ".toml")
ZIP_MAGIC = b"PK\x03\x04"
CHUNK = 1 << 20
HEAD = 64 * 1024
_UNSAFE = re.compile(r"[^\w.\-]+")


@dataclass(frozen=True)
class FormError:
    """A message for the form: a catalog key and its parameters."""

    key: str
    params: dict[str, object] = field(default_factory=dict)

    @classmethod
    def from_input_error(cls, name: str, reason: str) -> FormError:
        if reason.startswith("no column for"):
            return cls("postings.import.error.no_title", {"name": name, "reason": reason})
        return cls("postings.import.error.unreadable", {"name": name, "reason": reason})

    @classmethod
    def from_row(cls, field_name: str | None, reason: str) -> FormError:
        return cls("postings.form.error.rejected", {"field": field_name or "—", "reason": reason})


class UploadRefused(Exception):
    """An upload was refused before any import (type, size, content)."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.error = FormError(key, dict(params))


def safe_name(filename: str) -> str:
    """A file name with no folders and no characters a shell or URL would mind."""
    base = PurePath(filename.replace("\\", "/")).name
    stem, suffix = os.path.splitext(base)
    stem = _UNSAFE.sub("_", stem).strip("._")[:80] or "upload"
    return stem + _UNSAFE.sub("", suffix).lower()


def _looks_like_text(head: bytes) -> bool:
    if not head or head.startswith(ZIP_MAGIC) or b"\x00" in head:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return True
    return False


def check_content(head: bytes, suffix: str, name: str) -> None:
    """Refuse a file whose first bytes do not match its extension (roughly)."""
    if suffix == ".xlsx":
        if not head.startswith(ZIP_MAGIC):
            raise UploadRefused("postings.import.error.not_xlsx", name=name)
    elif not _looks_like_text(head):
        raise UploadRefused("postings.import.error.not_text", name=name)


def save_upload(
    upload: UploadFile, folder: Path, *, max_bytes: int, suffixes: Sequence[str]
) -> Path:
    """Stream ``upload`` to ``folder/<sha256 prefix>-<safe name>`` within ``max_bytes``."""
    original = upload.filename or ""
    name = safe_name(original)
    suffix = PurePath(name).suffix.lower()
    if suffix not in suffixes:
        raise UploadRefused(
            "postings.import.error.type", name=original, allowed=", ".join(suffixes)
        )
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".part-{secrets.token_hex(8)}"
    digest = hashlib.sha256()
    size = 0
    head = b""
    try:
        with partial.open("wb") as out:
            while chunk := upload.file.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise UploadRefused(
                        "postings.import.error.too_large",
                        name=original,
                        limit=max_bytes // (1024 * 1024) or 1,
                    )
                if len(head) < HEAD:
                    head += chunk[: HEAD - len(head)]
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise UploadRefused("postings.import.error.empty", name=original)
        check_content(head, suffix, original)
        target = folder / f"{digest.hexdigest()[:12]}-{name}"
        os.replace(partial, target)
        return target
    finally:
        partial.unlink(missing_ok=True)


# --- display ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FlagView:
    rule: str
    phrase: str
    label: str
    law: str
    explanation: str


def flag_views(flags: Sequence[PostingFlag], lang: str) -> list[FlagView]:
    views = []
    for flag in flags:
        info = RULES.get(flag.rule)
        if info is None:
            views.append(FlagView(flag.rule, flag.phrase, flag.rule, flag.law, ""))
            continue
        en = lang == "en"
        views.append(
            FlagView(
                rule=flag.rule,
                phrase=flag.phrase,
                label=info.label_en if en else info.label_zh,
                law=info.law_en if en else info.law_zh,
                explanation=info.explanation_en if en else info.explanation_zh,
            )
        )
    return views


def _division_name(code: str | None, lang: str) -> str | None:
    found = division(code) if code else None
    if found is None:
        return None
    return found.name_en if lang == "en" and found.name_en else found.name_zh


def place_label(posting: Posting, lang: str) -> str:
    """City and district names from the division table; the raw text when unresolved."""
    parts = [
        name
        for name in (
            _division_name(posting.city_code, lang),
            _division_name(posting.district_code, lang),
        )
        if name
    ]
    if parts:
        return (", " if lang == "en" else " ").join(dict.fromkeys(parts))
    return posting.place_text or "—"


def _money(value: int) -> str:
    return f"{value:,}"


@dataclass(frozen=True)
class PostingView:
    salary: str
    months: str
    place: str
    experience: str
    education: str


def posting_view(posting: Posting, lang: str) -> PostingView:
    t = translator(load_catalogs(), lang)
    low, high = posting.salary_min, posting.salary_max
    if low is not None and high is not None and low != high:
        salary = t("postings.salary_range", low=_money(low), high=_money(high))
    elif low is not None or high is not None:
        salary = t("postings.salary_single", value=_money(low if low is not None else high or 0))
    elif posting.salary_negotiable:
        salary = t("postings.salary_negotiable")
    else:
        salary = posting.salary_text or "—"
    months = t("postings.salary_months", n=posting.salary_months) if posting.salary_months else ""
    if posting.fresh_graduate:
        experience = t("postings.experience_fresh")
    elif posting.experience_min is not None and posting.experience_max is not None:
        experience = t(
            "postings.experience_range", low=posting.experience_min, high=posting.experience_max
        )
    elif posting.experience_min is not None:
        experience = t("postings.experience_at_least", low=posting.experience_min)
    else:
        experience = t("postings.experience_any")
    return PostingView(
        salary=salary,
        months=months,
        place=place_label(posting, lang),
        experience=experience,
        education=posting.education_text or "—",
    )
