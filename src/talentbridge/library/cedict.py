"""Candidate English glosses for Chinese terms, mined from a CC-CEDICT file at run time.

CC-CEDICT is CC BY-SA 4.0 (share-alike): it is never bundled or copied into the
repository or the bundled term base. A file given by path (plain or ``.gz``, lines
``Traditional Simplified [pin1 yin1] /gloss 1/gloss 2/``) is read, and the glosses of
Chinese terms whose concept has no English term yet are returned as candidates for an
editor to accept; nothing is applied automatically.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentbridge.errors import InputFileError
from talentbridge.store.library_tables import Term, TermConcept

LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
# Glosses that are cross-references or grammar notes, not translations.
SKIP_GLOSS = re.compile(
    r"^(CL:|variant of |old variant of |see |see also |used in |surname |abbr\. for |"
    r"\(old\)|\(archaic\)|\(Tw\) variant)",
    re.IGNORECASE,
)
SOURCE = "CC-CEDICT (CC BY-SA 4.0)"


@dataclass(frozen=True)
class CedictEntry:
    traditional: str
    simplified: str
    pinyin: str
    glosses: tuple[str, ...]


@dataclass(frozen=True)
class GlossCandidate:
    """A candidate English term for a concept that has a Chinese term but no English one."""

    term_concept_id: int
    entry_id: str
    zh_term: str
    gloss: str
    pinyin: str
    source: str = SOURCE


def _lines(path: Path) -> Iterator[str]:
    if not path.is_file():
        raise InputFileError(path, "file not found")
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8") as handle:
            yield from handle
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(path, f"cannot read as (gzipped) UTF-8 CC-CEDICT: {exc}") from None


def read_cedict(path: Path, headwords: Iterable[str] | None = None) -> dict[str, list[CedictEntry]]:
    """Entries by headword (simplified and traditional), only those in ``headwords`` if
    given (reading the whole 120,000-entry file into memory is avoided that way)."""
    wanted = set(headwords) if headwords is not None else None
    out: dict[str, list[CedictEntry]] = {}
    for line in _lines(Path(path)):
        if line.startswith("#"):
            continue
        match = LINE.match(line)
        if match is None:
            continue
        traditional, simplified, pinyin, glosses = match.groups()
        if wanted is not None and simplified not in wanted and traditional not in wanted:
            continue
        entry = CedictEntry(traditional, simplified, pinyin, tuple(glosses.split("/")))
        for headword in {simplified, traditional}:
            if wanted is None or headword in wanted:
                out.setdefault(headword, []).append(entry)
    return out


def useful_glosses(entry: CedictEntry) -> list[str]:
    """The glosses that read as translations (cross-references and notes dropped)."""
    out = []
    for gloss in entry.glosses:
        gloss = gloss.strip()
        if gloss and not SKIP_GLOSS.match(gloss) and gloss not in out:
            out.append(gloss)
    return out


def mine_glosses(session: Session, path: Path) -> list[GlossCandidate]:
    """Candidates for every concept with a Chinese term and no English term."""
    with_english = select(Term.term_concept_id).where(Term.lang.like("en%"))
    rows = session.execute(
        select(Term.term_concept_id, TermConcept.entry_id, Term.text)
        .join(TermConcept, TermConcept.id == Term.term_concept_id)
        .where(
            Term.lang.like("zh%"),
            Term.status != "deprecated",
            Term.term_concept_id.not_in(with_english),
        )
        .order_by(TermConcept.entry_id, Term.position)
    ).all()
    if not rows:
        return []
    dictionary = read_cedict(path, {text for _, _, text in rows})
    out: list[GlossCandidate] = []
    seen: set[tuple[int, str]] = set()
    for concept_id, entry_id, text in rows:
        for entry in dictionary.get(text, []):
            for gloss in useful_glosses(entry):
                if (concept_id, gloss) in seen:
                    continue
                seen.add((concept_id, gloss))
                out.append(GlossCandidate(concept_id, entry_id, text, gloss, entry.pinyin))
    return out
