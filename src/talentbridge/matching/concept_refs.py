"""What a person typed for a skill, certificate or language → a taxonomy concept.

A reference is a concept id (``int`` or a string of digits), a concept key
(``tb.customs.hs``) or any label of the concept (preferred label, alias or abbreviation,
Chinese or English), compared case- and width-insensitively with inner spaces collapsed.
Only concepts of the active taxonomies with status ``active`` are found.

When one label names several concepts (our taxonomy and ESCO share "English"), the
concept whose kind is wanted wins, then the one whose *preferred* label it is, then the
lower taxonomy id (the bundled taxonomy is installed first), then the lower concept id:
the same text always resolves to the same concept.

``ConceptResolver`` remembers answers, so a bulk import looks each distinct text up once.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from talentbridge.store.tables import Concept, ConceptLabel, Taxonomy
from talentbridge.taxonomy.extractor import fold

SKILL_KINDS: frozenset[str] = frozenset({"skill", "knowledge", "tool", "soft_skill"})
CERTIFICATE_KINDS: frozenset[str] = frozenset({"certificate"})
LANGUAGE_KINDS: frozenset[str] = frozenset({"language"})
GROUPS: dict[str, frozenset[str]] = {
    "skills": SKILL_KINDS,
    "certificates": CERTIFICATE_KINDS,
    "languages": LANGUAGE_KINDS,
}
HOLDABLE_KINDS: frozenset[str] = SKILL_KINDS | CERTIFICATE_KINDS | LANGUAGE_KINDS
_TYPE_RANK = {"preferred": 0, "alias": 1, "abbreviation": 2}


@dataclass(frozen=True)
class Resolved:
    """The answer for one reference: the concept, or why there is none."""

    text: str
    concept_id: int | None
    kind: str | None = None
    reason: str | None = None  # set when concept_id is None


def normal_key(text: str) -> str:
    """How references and labels are compared: half-width, lowercase, spaces collapsed."""
    return " ".join(fold(text).split())


def kinds_of(group: str) -> frozenset[str]:
    """The concept kinds of a group name (``skills``, ``certificates``, ``languages``)."""
    try:
        return GROUPS[group]
    except KeyError:
        raise ValueError(f"unknown concept group {group!r}; use {', '.join(GROUPS)}") from None


def _describe(kinds: Collection[str]) -> str:
    for group, members in GROUPS.items():
        if set(kinds) == set(members):
            return group[:-1]
    return " or ".join(sorted(kinds))


class ConceptResolver:
    """Resolves references against one session's active taxonomies, with a memo."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._memo: dict[tuple[str, frozenset[str]], Resolved] = {}

    def resolve(self, ref: int | str, kinds: Collection[str] = HOLDABLE_KINDS) -> Resolved:
        wanted = frozenset(kinds)
        text = str(ref).strip()
        memo_key = (normal_key(text), wanted)
        found = self._memo.get(memo_key)
        if found is None:
            found = self._lookup(text, wanted)
            self._memo[memo_key] = found
        return found

    def resolve_all(
        self, refs: Iterable[int | str], kinds: Collection[str] = HOLDABLE_KINDS
    ) -> list[Resolved]:
        return [self.resolve(ref, kinds) for ref in refs]

    # --- lookups ------------------------------------------------------------------------

    def _active(self) -> list[int]:
        return list(self.session.scalars(select(Taxonomy.id).where(Taxonomy.is_active)))

    def _lookup(self, text: str, kinds: frozenset[str]) -> Resolved:
        if not text:
            return Resolved(text, None, reason="empty")
        taxonomies = self._active()
        if not taxonomies:
            return Resolved(text, None, reason="no taxonomy is installed")
        base = select(Concept.id, Concept.kind, Concept.taxonomy_id).where(
            Concept.taxonomy_id.in_(taxonomies), Concept.status == "active"
        )
        candidates: list[tuple[int, str, int, int]] = []  # id, kind, taxonomy, type rank
        if text.isdigit():
            candidates += [(i, k, t, 0) for i, k, t in self.session.execute(
                base.where(Concept.id == int(text)))]  # fmt: skip
        if not candidates:
            candidates += [(i, k, t, 0) for i, k, t in self.session.execute(
                base.where(Concept.key == text))]  # fmt: skip
        if not candidates:
            key = normal_key(text)
            rows = self.session.execute(
                select(Concept.id, Concept.kind, Concept.taxonomy_id, ConceptLabel.label_type,
                       ConceptLabel.text)
                .join(ConceptLabel, ConceptLabel.concept_id == Concept.id)
                .where(Concept.taxonomy_id.in_(taxonomies), Concept.status == "active",
                       func.lower(ConceptLabel.text).in_({key, text.lower(), text}))
            )  # fmt: skip
            candidates += [
                (i, k, t, _TYPE_RANK.get(label_type, 3))
                for i, k, t, label_type, label in rows
                if normal_key(label) == key
            ]
        if not candidates:
            return Resolved(text, None, reason=f"unknown {_describe(kinds)} {text!r}")
        fitting = [c for c in candidates if c[1] in kinds]
        if not fitting:
            other = sorted({c[1] for c in candidates})
            return Resolved(
                text, None, reason=f"{text!r} is a {'/'.join(other)}, not a {_describe(kinds)}"
            )
        best = min(fitting, key=lambda c: (c[3], c[2], c[0]))
        return Resolved(text, best[0], best[1])
