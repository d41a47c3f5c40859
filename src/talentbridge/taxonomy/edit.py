"""Small editing services on the stored taxonomy, for analysts in the web UI.

Every edit reads the active version of the taxonomy holding the concept (``specs_of``),
changes the spec list and installs it whole as a new version (``next_version``), so the
same validation as a file import applies: a label shared by two concepts, a cycle or a
misplaced concept is refused with ``TaxonomyInvalid`` naming the rows (rows are those
of the taxonomy's export file: row 2 is the first concept), and nothing changes. The
previous version stays stored but inactive, so earlier extractions keep naming the
version that produced them; re-extraction then picks up the change.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.errors import Conflict, NotFound, TalentBridgeError
from talentbridge.store.tables import Concept, Taxonomy
from talentbridge.taxonomy.concepts import (
    ConceptSpec,
    InstallReport,
    install_taxonomy,
    label_key,
    next_version,
    specs_of,
    validate,
)

LANGS = ("zh", "en", "any")
Change = Callable[[list[ConceptSpec]], list[ConceptSpec]]


class NothingToChange(TalentBridgeError):
    """The edit would leave the taxonomy exactly as it is."""


@dataclass(frozen=True)
class EditTarget:
    """The active taxonomy version that holds a concept."""

    taxonomy_id: int
    code: str
    version: str
    name: str


def find_target(session: Session, key: str) -> EditTarget:
    """The active taxonomy holding concept ``key`` (NotFound otherwise)."""
    row = session.execute(
        select(Taxonomy.id, Taxonomy.code, Taxonomy.version, Taxonomy.name)
        .join(Concept, Concept.taxonomy_id == Taxonomy.id)
        .where(Concept.key == key, Taxonomy.is_active)
        .order_by(Taxonomy.id)
        .limit(1)
    ).first()
    if row is None:
        raise NotFound(f"no concept {key!r} in an active taxonomy")
    return EditTarget(row[0], row[1], row[2], row[3])


def _free_version(session: Session, code: str, version: str) -> str:
    candidate = next_version(version)
    taken = set(session.scalars(select(Taxonomy.version).where(Taxonomy.code == code)))
    while candidate in taken:
        candidate = next_version(candidate)
    return candidate


def _apply(factory: sessionmaker[Session], key: str, change: Change, source: str) -> InstallReport:
    with factory() as session:
        target = find_target(session, key)
        before = [
            dataclasses.replace(spec, row_number=index + 2)
            for index, spec in enumerate(specs_of(session, target.taxonomy_id))
        ]
        version = _free_version(session, target.code, target.version)
    after = change(list(before))
    if after == before:
        raise NothingToChange("the taxonomy already reads like that; nothing changed")
    # Imported taxonomies without our cluster → group → leaf shape keep their own shape.
    hierarchy = not validate(before, hierarchy=True)
    return install_taxonomy(
        factory, after, code=target.code, version=version, name=target.name,
        source=source, hierarchy=hierarchy, origin=f"{target.code}@{version}",
    )  # fmt: skip


def _one(specs: list[ConceptSpec], key: str) -> ConceptSpec:
    for spec in specs:
        if spec.key == key:
            return spec
    raise NotFound(f"no concept {key!r}")


def _replace(specs: list[ConceptSpec], spec: ConceptSpec) -> list[ConceptSpec]:
    return [spec if s.key == spec.key else s for s in specs]


def _clean(text: str, what: str) -> str:
    cleaned = " ".join(text.split())
    if not cleaned:
        raise Conflict(f"{what} is empty")
    if len(cleaned) > 200:
        raise Conflict(f"{what} is longer than 200 characters")
    return cleaned


def add_alias(factory: sessionmaker[Session], key: str, text: str, lang: str) -> InstallReport:
    """Add an alias (``zh``/``en``) or an abbreviation (``any``) to concept ``key``."""
    if lang not in LANGS:
        raise Conflict(f"unknown language {lang!r}; use zh, en or any")
    alias = _clean(text, "the alias")

    def change(specs: list[ConceptSpec]) -> list[ConceptSpec]:
        spec = _one(specs, key)
        if label_key(alias) in {label_key(t) for _l, t, _k in spec.labels()}:
            raise Conflict(f"{alias!r} is already a label of {key!r}")
        if lang == "zh":
            spec = dataclasses.replace(spec, aliases_zh=(*spec.aliases_zh, alias))
        elif lang == "en":
            spec = dataclasses.replace(spec, aliases_en=(*spec.aliases_en, alias))
        else:
            spec = dataclasses.replace(spec, abbreviations=(*spec.abbreviations, alias))
        return _replace(specs, spec)

    return _apply(factory, key, change, f"alias {alias!r} added to {key}")


def remove_alias(factory: sessionmaker[Session], key: str, text: str) -> InstallReport:
    """Remove an alias or abbreviation (exact text) from concept ``key``."""

    def change(specs: list[ConceptSpec]) -> list[ConceptSpec]:
        spec = _one(specs, key)
        edited = dataclasses.replace(
            spec,
            aliases_zh=tuple(a for a in spec.aliases_zh if a != text),
            aliases_en=tuple(a for a in spec.aliases_en if a != text),
            abbreviations=tuple(a for a in spec.abbreviations if a != text),
        )
        if edited == spec:
            raise NotFound(f"{text!r} is not an alias of {key!r}")
        return _replace(specs, edited)

    return _apply(factory, key, change, f"alias {text!r} removed from {key}")


def rename_label(
    factory: sessionmaker[Session],
    key: str,
    *,
    label_zh: str | None = None,
    label_en: str | None = None,
    keep_old_as_alias: bool = True,
) -> InstallReport:
    """Change the preferred labels of ``key`` (``None`` keeps one as it is); the old
    labels become aliases unless ``keep_old_as_alias`` is off."""
    new_zh = _clean(label_zh, "the Chinese label") if label_zh is not None else None
    new_en = _clean(label_en, "the English label") if label_en is not None else None

    def change(specs: list[ConceptSpec]) -> list[ConceptSpec]:
        spec = _one(specs, key)
        for lang, new in (("zh", new_zh), ("en", new_en)):
            old = spec.label_zh if lang == "zh" else spec.label_en
            if new is None or new == old:
                continue
            current = spec.aliases_zh if lang == "zh" else spec.aliases_en
            aliases = [a for a in current if label_key(a) != label_key(new)]
            if keep_old_as_alias and old and label_key(old) != label_key(new):
                aliases.append(old)
            if lang == "zh":
                spec = dataclasses.replace(spec, label_zh=new, aliases_zh=tuple(aliases))
            else:
                spec = dataclasses.replace(spec, label_en=new, aliases_en=tuple(aliases))
        return _replace(specs, spec)

    return _apply(factory, key, change, f"labels of {key} renamed")


def move_concept(factory: sessionmaker[Session], key: str, parent: str) -> InstallReport:
    """Put ``key`` under ``parent`` (a concept key of the same taxonomy, or "" for none)."""
    parent = parent.strip()

    def change(specs: list[ConceptSpec]) -> list[ConceptSpec]:
        spec = _one(specs, key)
        return _replace(specs, dataclasses.replace(spec, parent=parent))

    return _apply(factory, key, change, f"{key} moved under {parent or 'the root'}")


def add_concept(factory: sessionmaker[Session], spec: ConceptSpec) -> InstallReport:
    """Add ``spec`` under its parent (which names the taxonomy it joins)."""
    if not spec.parent:
        raise Conflict("a new concept needs a parent concept key")
    key = _clean(spec.key, "the concept key")
    new = dataclasses.replace(
        spec,
        key=key,
        label_zh=" ".join(spec.label_zh.split()),
        label_en=" ".join(spec.label_en.split()),
    )

    def change(specs: list[ConceptSpec]) -> list[ConceptSpec]:
        return [*specs, dataclasses.replace(new, row_number=len(specs) + 2)]

    return _apply(factory, spec.parent, change, f"concept {key} added under {spec.parent}")
