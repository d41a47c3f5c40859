"""ESCO skills and occupations (English) from the flattened CSV files in ``shared/data/esco``.

Each row of ``skills.csv`` / ``occupations.csv`` has an ``id`` (the ESCO URI) and one
``description`` string: the preferred label, then the alternative labels, then the
definition, joined by single spaces. The label boundaries are lost, so they are
recovered by heuristics learned from the file itself:

* The **definition** starts at the first capitalised word (after the first token)
  that starts definitions elsewhere in the file (``The``, ``Use``, ``Operate`` …, words
  seen at least three times right after a lower-case word); failing that, at the
  first capitalised word that follows a lower-case word.
* The **labels** are split where a word that often *starts* a label (the first word of
  descriptions: ``manage``, ``apply`` …) follows a word that often *ends* one (the last
  word before definitions: ``staff``, ``regulations`` …), where the first word of the
  row repeats, and after a closing parenthesis (``Java (computer programming) Java``).
  A lone label-start word (a bare verb) is never a label of its own, and a capitalised
  word directly after a lower-case one continues the label (``understand spoken
  Finnish``). The preferred label is the first segment.
* The file holds no skill type. ESCO writes skill definitions as commands (``Assign
  and manage …``) and knowledge definitions as noun phrases (``The techniques …``,
  ``Types of …``), so a row whose definition does not start with a word that starts
  labels is ``knowledge``; every other row is ``skill``.

Alternative labels shorter than three characters are dropped, and so is an alias that
is another concept's label: a preferred label wins over aliases, otherwise the first
concept by URI keeps it. Two concepts recovered with the same preferred label (rare,
and a sign of a parsing miss) are kept apart the same way: the later one takes its
first free alias as its preferred label, or its preferred label with the URI's last
part in brackets.

This service uses the ESCO classification of the European Commission.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from talentbridge.errors import InputFileError
from talentbridge.taxonomy.concepts import ConceptSpec, InstallReport, install_taxonomy, label_key

ESCO_CODE = "esco"
ESCO_VERSION = "1.x"  # the file does not state it; "probably ESCO v1.2, not verified"
ESCO_NAME = "ESCO skills (European Commission)"
ATTRIBUTION = "This service uses the ESCO classification of the European Commission."
MIN_ALIAS_CHARS = 3
MAX_LABEL_CHARS = 300
_STARTER_MIN = 3
_BOUNDARY = 0.01
_LONE_VERB = 0.1
_NOUN_STARTS = frozenset(
    [
        "The",
        "A",
        "An",
        "This",
        "These",
        "Types",
        "Different",
        "Various",
        "Field",
        "Techniques",
        "Principles",
        "Methods",
        "Characteristics",
        "Rules",
        "Processes",
        "Procedures",
        "Laws",
        "Legislation",
        "Regulations",
        "Standards",
        "Tools",
        "Concepts",
        "Theory",
        "Knowledge",
        "Terminology",
        "Properties",
        "Systems",
        "Area",
    ]
)


@dataclass(frozen=True)
class EscoRow:
    """One parsed ``description``: preferred label, alternative labels, definition."""

    uri: str
    label: str
    alt_labels: tuple[str, ...]
    definition: str
    row_number: int
    kind: str = "skill"


@dataclass(frozen=True)
class EscoOccupation:
    uri: str
    label_en: str
    alt_labels: tuple[str, ...]
    isco_code: str | None


@dataclass(frozen=True)
class EscoSkills:
    specs: list[ConceptSpec]
    aliases_dropped_short: int
    aliases_dropped_clash: int
    preferred_renamed: int
    knowledge: int


def _titled(token: str) -> bool:
    return token[:1].isupper() and (any(c.islower() for c in token[1:]) or token == "A")


def _lowered(token: str) -> bool:
    return token[:1].islower()


def _read_rows(path: Path) -> list[tuple[int, str, str]]:
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames or not {"id", "description"} <= set(reader.fieldnames):
                raise InputFileError(path, "expected the columns id and description")
            rows = [
                (number, (row["id"] or "").strip(), row["description"] or "")
                for number, row in enumerate(reader, start=2)
            ]
    except FileNotFoundError:
        raise InputFileError(path, "file not found") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InputFileError(path, f"not a readable UTF-8 CSV file ({exc})") from None
    return [row for row in rows if row[1] and row[2].strip()]


class _Segmenter:
    """Label boundaries learned from a whole file of descriptions (see module doc)."""

    def __init__(self, token_rows: Sequence[list[str]]) -> None:
        lower_words = {t for tokens in token_rows for t in tokens if _lowered(t)}
        self.common = {t.capitalize() for t in lower_words}
        starters: Counter[str] = Counter()
        for tokens in token_rows:
            if tokens and _lowered(tokens[0]):
                for i in range(1, len(tokens)):
                    if _titled(tokens[i]) and _lowered(tokens[i - 1]):
                        starters[tokens[i]] += 1
                        break
        self.starters = {"The"} | {
            word
            for word, count in starters.items()
            if count >= _STARTER_MIN and word in self.common
        }
        self.first: Counter[str] = Counter()
        self.last: Counter[str] = Counter()
        self.seen: Counter[str] = Counter()
        for tokens in token_rows:
            labels = tokens[: self.definition_start(tokens)]
            if labels:
                self.first[labels[0].lower()] += 1
                self.last[labels[-1].lower()] += 1
                self.seen.update({t.lower() for t in labels})

    def definition_start(self, tokens: Sequence[str]) -> int:
        for i in range(1, len(tokens)):
            if tokens[i] in self.starters:
                return i
        for i in range(1, len(tokens)):
            if _titled(tokens[i]) and _lowered(tokens[i - 1]) and tokens[i] in self.common:
                return i
        return len(tokens)

    def starts(self, token: str) -> float:
        word = token.lower()
        return self.first[word] / (self.seen[word] + 5)

    def ends(self, token: str) -> float:
        word = token.lower()
        return self.last[word] / (self.seen[word] + 5)

    def labels(self, tokens: Sequence[str]) -> list[str]:
        if not tokens:
            return []
        out: list[str] = []
        current = [tokens[0]]
        depth = tokens[0].count("(") - tokens[0].count(")")
        for token, previous in zip(tokens[1:], tokens, strict=False):
            if depth <= 0 and self._boundary(tokens[0], current, previous, token):
                out.append(" ".join(current))
                current = []
            current.append(token)
            depth += token.count("(") - token.count(")")
        out.append(" ".join(current))
        return out

    def _boundary(self, head: str, current: list[str], previous: str, token: str) -> bool:
        if previous.endswith(")"):
            return True
        lone_verb = len(current) == 1 and _lowered(previous) and self.starts(previous) >= _LONE_VERB
        if lone_verb or (_titled(token) and _lowered(previous)):
            return False
        word, first = token.lower(), head.lower()
        if word == first or word in {first + "ing", first[:-1] + "ing", first + first[-1] + "ing"}:
            return True
        return self.starts(token) * self.ends(previous) >= _BOUNDARY

    def parse(self, uri: str, tokens: list[str], row_number: int) -> EscoRow:
        cut = self.definition_start(tokens)
        labels = self.labels(tokens[:cut]) or [" ".join(tokens)]
        definition = " ".join(tokens[cut:])
        return EscoRow(
            uri=uri,
            label=labels[0][:MAX_LABEL_CHARS],
            alt_labels=tuple(labels[1:]),
            definition=definition,
            row_number=row_number,
            kind="knowledge" if self.is_knowledge(definition) else "skill",
        )

    def is_knowledge(self, definition: str) -> bool:
        first = definition.split(" ", 1)[0].strip(",.;:")
        if first in _NOUN_STARTS:
            return True
        return bool(first) and self.first[first.lower()] == 0 and not first.endswith("ly")


def parse_esco_file(path: Path) -> list[EscoRow]:
    rows = _read_rows(path)
    token_rows = [description.split() for _number, _uri, description in rows]
    segmenter = _Segmenter(token_rows)
    parsed = [
        segmenter.parse(uri, tokens, number)
        for (number, uri, _description), tokens in zip(rows, token_rows, strict=True)
    ]
    return parsed


def read_esco_skills(path: Path) -> EscoSkills:
    """ESCO skills as concept specs (kind skill or knowledge, no hierarchy), clashes resolved."""
    return esco_specs(parse_esco_file(path))


def esco_specs(parsed: Sequence[EscoRow]) -> EscoSkills:
    """Concept specs from parsed rows, each label owned by one concept (see module doc)."""
    rows = sorted(parsed, key=lambda r: r.uri)
    owner: dict[str, str] = {}
    preferred: dict[str, str] = {}
    renamed = 0
    for row in rows:
        label = row.label
        if label_key(label) in owner:
            free = [a for a in row.alt_labels if len(a) >= MIN_ALIAS_CHARS]
            free = [a for a in free if label_key(a) not in owner and len(a) <= MAX_LABEL_CHARS]
            label = free[0] if free else f"{row.label} ({row.uri.rsplit('/', 1)[-1]})"
            renamed += 1
        owner[label_key(label)] = row.uri
        preferred[row.uri] = label
    short = clash = knowledge = 0
    specs: list[ConceptSpec] = []
    for row in rows:
        label = preferred[row.uri]
        aliases: dict[str, str] = {}
        for alias in (row.label, *row.alt_labels):
            key = label_key(alias)
            if key == label_key(label) or key in aliases:
                continue
            if len(alias) < MIN_ALIAS_CHARS or len(alias) > MAX_LABEL_CHARS:
                short += 1
                continue
            if owner.setdefault(key, row.uri) != row.uri:
                clash += 1
                continue
            aliases[key] = alias
        knowledge += row.kind == "knowledge"
        specs.append(
            ConceptSpec(
                key=row.uri,
                kind=row.kind,
                label_en=label,
                aliases_en=tuple(aliases.values()),
                description_en=row.definition,
                row_number=row.row_number,
            )
        )
    return EscoSkills(specs, short, clash, renamed, knowledge)


def import_esco(
    factory: sessionmaker[Session],
    skills_path: Path,
    *,
    version: str = ESCO_VERSION,
    occupations_path: Path | None = None,
) -> InstallReport:
    """Install ESCO skills as taxonomy ``esco`` (same version and content: unchanged).

    ``occupations_path`` is only checked to be readable: ESCO occupations are not
    concepts (see ``read_esco_occupations``).
    """
    if occupations_path is not None:
        read_esco_occupations(occupations_path)
    skills = read_esco_skills(skills_path)
    report = install_taxonomy(
        factory,
        skills.specs,
        code=ESCO_CODE,
        version=version,
        name=ESCO_NAME,
        source=f"{Path(skills_path).name}; {ATTRIBUTION}",
        hierarchy=False,
        origin=skills_path,
    )
    report.warnings += [
        f"{skills.knowledge} concepts classed as knowledge from their definitions",
        f"{skills.aliases_dropped_short} aliases dropped as too short or too long",
        f"{skills.aliases_dropped_clash} aliases dropped as another concept's label",
        f"{skills.preferred_renamed} concepts took another label (same preferred label)",
    ]
    return report


_ISCO = re.compile(r"/isco/C(\d{1,4})$")


def read_esco_occupations(path: Path) -> list[EscoOccupation]:
    """ESCO occupations and ISCO-08 groups (``isco_code`` only known for the groups).

    ISCO group rows separate their title from the definition by two spaces; ESCO
    occupation rows are parsed like skills, and the preferred label is confirmed by
    the definition, which opens with it in the plural (``technical director`` →
    ``Technical directors realise …``).
    """
    rows = _read_rows(path)
    token_rows = [description.split() for _number, uri, description in rows if "/isco/" not in uri]
    segmenter = _Segmenter(token_rows)
    out: list[EscoOccupation] = []
    for _number, uri, description in rows:
        group = _ISCO.search(uri)
        if group:
            title = re.split(r"\s{2,}|\n", description.strip(), maxsplit=1)[0]
            out.append(EscoOccupation(uri, title.strip(), (), group.group(1)))
            continue
        tokens = description.split()
        cut = _occupation_definition_start(tokens, segmenter)
        n = _label_words_in_definition(tokens[:cut], tokens[cut:])
        if n:
            labels = [" ".join(tokens[:n]), *segmenter.labels(tokens[n:cut])]
        else:
            labels = segmenter.labels(tokens[:cut]) or [" ".join(tokens)]
        label = labels[0][:MAX_LABEL_CHARS]
        alts = [a for a in dict.fromkeys(labels[1:]) if len(a) >= MIN_ALIAS_CHARS]
        out.append(EscoOccupation(uri, label, tuple(alts), None))
    return out


def _occupation_definition_start(tokens: Sequence[str], segmenter: _Segmenter) -> int:
    for i in range(1, len(tokens)):
        if _titled(tokens[i]) and _lowered(tokens[i - 1]):
            return i
    return segmenter.definition_start(tokens)


def _same_word(label_word: str, said: str) -> bool:
    word, said = label_word.lower(), said.lower()
    return said in {word, word + "s", word + "es", word[:-1] + "ies", word[:-3] + "men"}


def _label_words_in_definition(labels: Sequence[str], definition: Sequence[str]) -> int:
    """How many label words the definition opens with (each maybe in the plural)."""
    n = 0
    while n < min(len(labels), len(definition)) and _same_word(labels[n], definition[n]):
        n += 1
    return n
