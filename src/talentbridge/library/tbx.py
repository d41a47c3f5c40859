"""TBX (ISO 30042) read and write, pure: no database.

Reads TBX v3 (namespace ``urn:iso:std:iso:30042:ed:3.0``) of the TBX-Basic family
(``type`` TBX-Basic, TBX-Core or TBX-Min; ``style`` dca or dct) and the older TBX v2
``martif`` form (termEntry/langSet/tig or ntig). Writes TBX v3 TBX-Basic, DCA style.

Modelled data categories: subjectField (concept), definition (per language), note
(concept), and per term: administrativeStatus, termType, partOfSpeech, context, source.
Everything else is kept verbatim as XML strings (``extra``, namespace-free) and written
back at the same level on export, so a round trip loses nothing.

XML is parsed with defusedxml: a DTD with entity declarations (billion laughs) or an
external reference (XXE) is refused. A file that is not well-formed, or whose root is
not a known TBX dialect, raises :class:`InputFileError` naming the line and the reason.
"""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from defusedxml.ElementTree import fromstring as safe_fromstring

from talentbridge.errors import InputFileError

TBX_NS = "urn:iso:std:iso:30042:ed:3.0"
BASIC_NS = "http://www.tbxinfo.net/ns/basic"  # DCT-style TBX-Basic elements
MIN_NS = "http://www.tbxinfo.net/ns/min"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
V3_DIALECTS = frozenset({"TBX-Basic", "TBX-Core", "TBX-Min"})

STATUS_FROM_TBX = {
    "preferredTerm-admn-sts": "preferred",
    "admittedTerm-admn-sts": "admitted",
    "deprecatedTerm-admn-sts": "deprecated",
    "supersededTerm-admn-sts": "superseded",
}
STATUS_TO_TBX = {v: k for k, v in STATUS_FROM_TBX.items()}
STATUSES = tuple(STATUS_TO_TBX)


@dataclass
class TermItem:
    """One term (``termSec`` / ``tig``)."""

    text: str
    status: str = "admitted"  # preferred|admitted|deprecated|superseded
    term_type: str | None = None  # fullForm|abbreviation|acronym|variant|…
    part_of_speech: str | None = None
    context: str | None = None
    source: str | None = None
    extra: list[str] = field(default_factory=list)


@dataclass
class LangSection:
    """The terms of one language (``langSec`` / ``langSet``)."""

    lang: str
    terms: list[TermItem] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)


@dataclass
class TermEntry:
    """One concept (``conceptEntry`` / ``termEntry``)."""

    entry_id: str
    subject_field: str | None = None
    definitions: dict[str, str] = field(default_factory=dict)  # lang -> definition
    note: str | None = None
    langs: list[LangSection] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    def lang(self, lang: str) -> LangSection | None:
        return next((s for s in self.langs if s.lang == lang), None)


@dataclass
class TbxDocument:
    dialect: str  # e.g. "TBX-Basic" (v3) or "martif:TBX" (v2)
    source_lang: str | None
    entries: list[TermEntry]


# --- parsing ------------------------------------------------------------------------------


# Elements whose line an error message may name (the others are not looked up).
_LINED = (
    "tbx",
    "martif",
    "conceptEntry",
    "termEntry",
    "langSec",
    "langSet",
    "termSec",
    "tig",
    "ntig",
)


class _LineBuilder(ET.TreeBuilder):
    """A tree builder that remembers the line each element starts on."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[int, int] = {}
        self.expat: Any = None

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        element = super().start(tag, attrs)
        if self.expat is not None and (not self.lines or tag.endswith(_LINED)):
            self.lines[id(element)] = self.expat.CurrentLineNumber
        return element


@functools.lru_cache(maxsize=1024)
def _local(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return "", tag


def _strip_ns(element: ET.Element) -> ET.Element:
    copy = ET.Element(_local(element.tag)[1], dict(element.attrib))
    copy.text = element.text if element.text and element.text.strip() else None
    for child in element:
        inner = _strip_ns(child)
        inner.tail = child.tail if child.tail and child.tail.strip() else None
        copy.append(inner)
    return copy


def _xml(element: ET.Element) -> str:
    copy = _strip_ns(element)
    copy.tail = None
    return ET.tostring(copy, encoding="unicode")


def _text(element: ET.Element) -> str:
    return "".join(element.itertext()).strip()


def _category(element: ET.Element) -> str | None:
    """The data category an element carries (DCA: the @type; DCT: the element name)."""
    ns, name = _local(element.tag)
    if ns in (BASIC_NS, MIN_NS):
        return name
    if name in ("descrip", "termNote", "admin"):
        return element.get("type")
    if name == "note":
        return "note"
    return None


def parse_tbx(data: bytes | str, source: object = "<tbx>") -> TbxDocument:
    """Parse a TBX file's content; raise :class:`InputFileError` with line and reason."""
    builder = _LineBuilder()
    parser = DefusedXMLParser(
        target=builder, forbid_dtd=False, forbid_entities=True, forbid_external=True
    )
    builder.expat = parser.parser
    try:
        parser.feed(data)
        root = parser.close()
    except ET.ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else "?"
        raise InputFileError(source, f"line {line}: not well-formed XML ({exc})") from None
    except DefusedXmlException as exc:
        line = builder.expat.CurrentLineNumber if builder.expat is not None else "?"
        raise InputFileError(
            source, f"line {line}: refused unsafe XML ({type(exc).__name__}: {exc})"
        ) from None
    return _read_root(root, builder.lines, source)


def _read_root(root: ET.Element, lines: dict[int, int], source: object) -> TbxDocument:
    ns, name = _local(root.tag)
    line = lines.get(id(root), 1)
    if name == "tbx":
        if ns != TBX_NS:
            raise InputFileError(
                source, f"line {line}: <tbx> is not in the TBX v3 namespace {TBX_NS} ({ns!r})"
            )
        dialect = root.get("type", "")
        if dialect not in V3_DIALECTS:
            raise InputFileError(
                source,
                f"line {line}: unknown TBX dialect {dialect!r} "
                f"(supported: {', '.join(sorted(V3_DIALECTS))})",
            )
        style = root.get("style", "")
        if style not in ("dca", "dct"):
            raise InputFileError(
                source, f"line {line}: unknown TBX style {style!r} (expected dca or dct)"
            )
        entry_tag, lang_tag = "conceptEntry", "langSec"
    elif name == "martif" and ns == "":
        dialect = root.get("type", "")
        if not dialect.startswith("TBX"):
            raise InputFileError(source, f"line {line}: unknown martif type {dialect!r}")
        dialect = f"martif:{dialect}"
        entry_tag, lang_tag = "termEntry", "langSet"
    else:
        raise InputFileError(
            source, f"line {line}: root element <{name}> is not TBX (<tbx> or <martif>)"
        )
    entries: list[TermEntry] = []
    seen: set[str] = set()
    for element in root.iter():
        if _local(element.tag)[1] != entry_tag:
            continue
        entry = _read_entry(element, lang_tag, lines, source)
        if entry.entry_id in seen:
            raise InputFileError(
                source,
                f"line {lines.get(id(element), '?')}: duplicate {entry_tag} id {entry.entry_id!r}",
            )
        seen.add(entry.entry_id)
        entries.append(entry)
    return TbxDocument(dialect=dialect, source_lang=root.get(XML_LANG), entries=entries)


def _read_entry(
    element: ET.Element, lang_tag: str, lines: dict[int, int], source: object
) -> TermEntry:
    line = lines.get(id(element), "?")
    entry_id = element.get("id")
    if not entry_id:
        raise InputFileError(source, f"line {line}: <{_local(element.tag)[1]}> without an id")
    entry = TermEntry(entry_id=entry_id)
    for child in element:
        name = _local(child.tag)[1]
        category = _category(child)
        if name == lang_tag:
            entry.langs.append(_read_lang(child, entry, lines, source))
        elif category == "subjectField" and entry.subject_field is None:
            entry.subject_field = _text(child)
        elif category == "note" and entry.note is None:
            entry.note = _text(child)
        else:
            entry.extra.append(_xml(child))
    return entry


def _read_lang(
    element: ET.Element, entry: TermEntry, lines: dict[int, int], source: object
) -> LangSection:
    lang = element.get(XML_LANG)
    if not lang:
        raise InputFileError(
            source, f"line {lines.get(id(element), '?')}: language section without xml:lang"
        )
    section = LangSection(lang=lang)
    for child in element:
        name = _local(child.tag)[1]
        category = _category(child)
        if name in ("termSec", "tig", "ntig"):
            section.terms.append(_read_term(child, lines, source))
        elif category == "definition" and lang not in entry.definitions:
            entry.definitions[lang] = _text(child)
        else:
            section.extra.append(_xml(child))
    return section


def _term_children(element: ET.Element) -> list[ET.Element]:
    out: list[ET.Element] = []
    for child in element:
        if _local(child.tag)[1] == "termGrp":  # TBX v2 ntig
            out.extend(child)
        else:
            out.append(child)
    return out


def _read_term(element: ET.Element, lines: dict[int, int], source: object) -> TermItem:
    item: TermItem | None = None
    rest: list[ET.Element] = []
    for child in _term_children(element):
        if _local(child.tag)[1] == "term" and item is None:
            item = TermItem(text=_text(child))
        else:
            rest.append(child)
    if item is None or not item.text:
        raise InputFileError(
            source, f"line {lines.get(id(element), '?')}: term section without a term"
        )
    status_seen = False
    for child in rest:
        category = _category(child)
        value = _text(child)
        if category in ("administrativeStatus", "normativeAuthorization") and not status_seen:
            if value not in STATUS_FROM_TBX:
                item.extra.append(_xml(child))
                continue
            item.status = STATUS_FROM_TBX[value]
            status_seen = True
        elif category == "termType" and item.term_type is None:
            item.term_type = value
        elif category == "partOfSpeech" and item.part_of_speech is None:
            item.part_of_speech = value
        elif category == "context" and item.context is None:
            item.context = value
        elif category == "source" and item.source is None:
            item.source = value
        else:
            item.extra.append(_xml(child))
    return item


# --- writing ------------------------------------------------------------------------------


def _sub(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    element.text = text
    return element


def _append_extra(parent: ET.Element, extra: list[str]) -> None:
    for fragment in extra:
        element = safe_fromstring(fragment)
        element.tail = None
        parent.append(element)


def write_tbx(
    entries: list[TermEntry], *, source_lang: str = "en", title: str = "TalentBridge term base"
) -> bytes:
    """Serialize entries as TBX v3 TBX-Basic, DCA style (UTF-8, indented)."""
    root = ET.Element("tbx", {"type": "TBX-Basic", "style": "dca", XML_LANG: source_lang})
    root.set("xmlns", TBX_NS)
    header = ET.SubElement(root, "tbxHeader")
    file_desc = ET.SubElement(header, "fileDesc")
    _sub(ET.SubElement(file_desc, "titleStmt"), "title", title)
    _sub(ET.SubElement(file_desc, "sourceDesc"), "p", "Written by TalentBridge")
    body = ET.SubElement(ET.SubElement(root, "text"), "body")
    for entry in entries:
        concept = ET.SubElement(body, "conceptEntry", {"id": entry.entry_id})
        if entry.subject_field:
            _sub(concept, "descrip", entry.subject_field, type="subjectField")
        if entry.note:
            _sub(concept, "note", entry.note)
        _append_extra(concept, entry.extra)
        langs = {s.lang: s for s in entry.langs}
        for lang in entry.definitions:  # a definition without terms still needs a langSec
            langs.setdefault(lang, LangSection(lang=lang))
        for lang, section in langs.items():
            lang_sec = ET.SubElement(concept, "langSec", {XML_LANG: lang})
            if lang in entry.definitions:
                _sub(lang_sec, "descrip", entry.definitions[lang], type="definition")
            _append_extra(lang_sec, section.extra)
            for item in section.terms:
                _write_term(lang_sec, item)
    ET.indent(root, space="  ")
    body_xml = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body_xml + "\n").encode("utf-8")


def _write_term(parent: ET.Element, item: TermItem) -> None:
    term_sec = ET.SubElement(parent, "termSec")
    _sub(term_sec, "term", item.text)
    if item.term_type:
        _sub(term_sec, "termNote", item.term_type, type="termType")
    if item.part_of_speech:
        _sub(term_sec, "termNote", item.part_of_speech, type="partOfSpeech")
    _sub(
        term_sec,
        "termNote",
        STATUS_TO_TBX.get(item.status, "admittedTerm-admn-sts"),
        type="administrativeStatus",
    )
    if item.context:
        _sub(term_sec, "descrip", item.context, type="context")
    if item.source:
        _sub(term_sec, "admin", item.source, type="source")
    _append_extra(term_sec, item.extra)
