"""Skill extraction: find taxonomy concepts in posting, course and profile text.

One Aho-Corasick automaton (pyahocorasick) holds every label, alias and abbreviation of
the active taxonomies, plus the preference/negation cue words of ``taxonomy.cues``; a
single pass over the text finds them all. Decisions:

* **Case and width.** Keys and text are matched lowercased and half-width. Both
  mappings keep the length of the text (characters whose lowercase is longer, such as
  ``İ``, are left as they are), so spans always index the text as given: ``extract``
  accepts raw text as well as text cleaned by ``pipeline.clean.clean_text``. Traditional
  characters are handled at build time instead of per call: every Chinese label also
  gets its traditional variant (OpenCC ``s2t``) as a key. HTML tags are left
  in place (they never look like labels, and ``<`` ``>`` are word boundaries).
* **Longest match first.** Overlapping matches resolve leftmost-longest among the
  matches that pass the boundary rules: 报关单申报 wins over the 报关 inside it, 海运提单
  over 提单. One surface form shared by concepts of two taxonomies gives a hit for each.
* **Word boundaries for spaced scripts.** A label edge that is a letter or digit of a
  spaced script (Latin, Cyrillic…) needs a neighbour that is not one: "SAP" is not taken
  in "SAPPHIRE", "ERP" not in "ERPNext", "TMS" not in "ATMS", "CET-4" not in "CET-46";
  punctuation inside a label is part of it ("B/L", "L/C", "CET-4", "1+X"), and Chinese
  next to a Latin label is a boundary ("熟悉WMS系统").
* **Segmentation for Chinese.** A Chinese label edge must be a token boundary of jieba's
  segmentation with the labels as user words (see ``taxonomy.segment``), so a label
  inside a longer unrelated word is not taken. A match that crosses a token boundary
  is always refused: 海运 in 上海/运营, 货运 in 百货/运营, 电商 in 家电/商场, 单证 in
  简单/证明, 报关 in 海报/关注度. A match inside one longer token is refused too (仓储
  in 仓储式超市, 英语 in 英语系, 开发 in 开发票, 外贸 in 国外贸易) unless the token is the
  label plus one of 员 单 行 师 岗 工 (报关 in 报关员, 报关单, 报关行: the person,
  document, firm doing it), the label plus a word (英语 in 英语口语, 物流 in 物流园区) or
  a word plus the label (英语 in 商务英语): those count, with lower confidence.
  ``segment_check=False`` skips all this.
* **Confidence.** Preferred label 1.0, alias 0.9, abbreviation 0.85 (0.75 when at most
  three characters: "WMS", "L/C" are ambiguous more often). Minus 0.1 when
  segmentation could not confirm a Chinese edge: the suffix exception above, or any
  Chinese edge when ``segment_check`` is off.
* **Preferred / negated** come from the hit's clause (``taxonomy.cues``).
* **Bad input never raises.** ``None``/empty → no hits, reason "empty"; text with NUL
  bytes or more than 10% control/replacement characters → reason "binary"; over 1 MB
  (UTF-8) → the first 1 MB is read, reason "truncated"; anything unexpected → reason
  "error" (logged).
"""

from __future__ import annotations

import logging
import re
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import ahocorasick
from sqlalchemy import select
from sqlalchemy.orm import Session

from talentbridge.store.tables import Concept, ConceptLabel, Taxonomy
from talentbridge.taxonomy import cues as cue_rules
from talentbridge.taxonomy.concepts import active_taxonomies, label_key, version_tag
from talentbridge.taxonomy.segment import AFFIX, REJECTED, Segmenter, is_cjk

log = logging.getLogger(__name__)

MAX_BYTES = 1 << 20  # 1 MB of UTF-8: longer text is truncated to this
BINARY_SHARE = 0.10
BASE_CONFIDENCE = {"preferred": 1.0, "alias": 0.9, "abbreviation": 0.85}
SHORT_ABBREVIATION = 0.75
UNCONFIRMED_PENALTY = 0.1
TUNE_AFTER = 256  # texts read before the automaton is re-ranked by their characters

_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000]")
_HALF = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd\ud800-\udfff]")
_TYPE_RANK = {"preferred": 0, "alias": 1, "abbreviation": 2}

NONE, SPACED, CJK = 0, 1, 2
_MASK = "\x00"  # never in text we match (NUL means binary)
# The most frequent characters of Chinese text (and of postings), most frequent first.
_COMMON = (
    " ,、。:;\n()1234567890-/.的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出"
    "就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里"
    "如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日"
    "那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解"
    "问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长"
    "求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则"
    "任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权"
    "收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名"
    "确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书"
    "布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构"
    "府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属"
    "圆包火住调满县局照参红细引听该铁价严熟悉负责岗位职要任福利薪资客户货仓库配送操作系统经验优"
    "eaoitnsrlcdhumpgfybwvkx"
)  # what kind of edge a key has, for the boundary rules


@dataclass(frozen=True)
class LabelEntry:
    """One surface form of a concept."""

    concept_id: int
    text: str
    lang: str  # zh | en | any
    label_type: str  # preferred | alias | abbreviation
    kind: str = "skill"


class Hit(NamedTuple):
    """One concept mention. A named tuple, not a frozen dataclass: postings carry about
    twenty hits each and a frozen dataclass's ``__init__`` costs several times more."""

    concept_id: int
    start: int
    end: int
    surface: str
    confidence: float  # 0..1
    strength: str  # "required" | "preferred"
    negated: bool
    label_type: str


@dataclass(frozen=True)
class Extraction:
    hits: list[Hit]
    reason: str | None = None  # empty | binary | truncated | error


def fold(text: str) -> str:
    """Half-width and lowercase, keeping the length (and so every offset) of ``text``."""
    if _FULL_WIDTH.search(text):
        text = text.translate(_HALF)
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(low if len(low := c.lower()) == 1 else c for c in text)
    return lowered


def _spaced(char: str) -> bool:
    """A letter/digit of a script written with spaces between words."""
    return char < "\u3000" and (char.isalnum() or char == "_")


def _edge(char: str) -> int:
    if _spaced(char):
        return SPACED
    if is_cjk(char):
        return CJK
    return NONE


def _variants(text: str) -> list[str]:
    """The label, without spaces next to Chinese, and in traditional characters."""
    out = [text]
    if any(is_cjk(c) for c in text):
        tight = re.sub(r"\s+(?=[\u3400-\u9fff])|(?<=[\u3400-\u9fff])\s+", "", text)
        out.append(tight)
        for converter in _traditional():
            out += [converter.convert(v) for v in list(out)]
    return list(dict.fromkeys(out))


@lru_cache(maxsize=1)
def _traditional() -> list[Any]:
    try:
        import opencc

        return [opencc.OpenCC("s2t")]
    except Exception:  # pragma: no cover - opencc is a dependency; variants are a bonus
        return []


@dataclass(frozen=True)
class _Key:
    length: int
    left: int
    right: int
    targets: tuple[tuple[int, str, float], ...]  # (concept_id, label_type, confidence)


class Extractor:
    """Finds taxonomy concepts in text. Build once per taxonomy version; thread-safe."""

    def __init__(
        self,
        payloads: dict[str, object],
        segmenter: Segmenter | None,
        *,
        version: str,
        labels: int,
        mask: re.Pattern[str],
    ) -> None:
        self._payloads = payloads
        self._alphabet = sorted({c for key in payloads for c in key})
        common = {c: i for i, c in enumerate(_COMMON)}
        self._automaton = _automaton(payloads, self._alphabet, common)
        self._mask = mask
        self._segmenter = segmenter
        self.version = version
        self.labels = labels
        self._seen: Counter[str] | None = Counter()  # characters read, until re-ranked
        self._texts = 0
        self._tune_lock = threading.Lock()

    @classmethod
    def build(
        cls,
        entries: Iterable[LabelEntry],
        *,
        version: str = "",
        segment_check: bool = True,
        cache_dir: Path | None = None,
    ) -> Extractor:
        targets: dict[str, dict[int, tuple[str, float]]] = {}
        cjk_words: list[str] = []
        count = 0
        for entry in entries:
            text = " ".join(entry.text.split())
            if not text:
                continue
            count += 1
            confidence = BASE_CONFIDENCE.get(entry.label_type, 0.8)
            if entry.label_type == "abbreviation" and len(text) <= 3:
                confidence = SHORT_ABBREVIATION
            for variant in _variants(text):
                key = fold(label_key(variant))
                if not key.strip():
                    continue
                if is_cjk(variant[0]) or is_cjk(variant[-1]):
                    cjk_words.append(variant)
                known = targets.setdefault(key, {})
                best = known.get(entry.concept_id)
                if best is None or (-confidence, _TYPE_RANK.get(entry.label_type, 3)) < (
                    -best[1],
                    _TYPE_RANK.get(best[0], 3),
                ):
                    known[entry.concept_id] = (entry.label_type, confidence)
        cue_keys = {cue: v for cue, v in cue_rules.CUES.items() if cue not in targets}
        alphabet = set("".join(targets)) | set("".join(cue_keys))
        payloads: dict[str, object] = {}
        for key, known in targets.items():
            payloads[key] = _Key(
                len(key),
                _edge(key[0]),
                _edge(key[-1]),
                tuple((cid, kind, conf) for cid, (kind, conf) in sorted(known.items())),
            )
        for cue, (kind, direction) in cue_keys.items():
            payloads[cue] = (len(cue), _edge(cue[0]), _edge(cue[-1]), kind, direction)
        segmenter = (
            Segmenter(cjk_words, cache_dir=cache_dir) if segment_check and cjk_words else None
        )
        other = re.compile("[^" + "".join(re.escape(c) for c in sorted(alphabet)) + "]")
        return cls(payloads, segmenter, version=version, labels=count, mask=other)

    # --- extraction --------------------------------------------------------------------

    def extract(self, text: str | None) -> Extraction:
        """Every concept mention in ``text``. Never raises: bad input gives a reason."""
        try:
            return self._extract(text)
        except Exception:
            log.exception("skill extraction failed on a text of %s characters", _size(text))
            return Extraction([], "error")

    def concepts(self, text: str | None) -> dict[int, Hit]:
        """The best hit per concept: not negated over negated, required over preferred,
        then the more confident, then the earlier."""
        best: dict[int, Hit] = {}
        for hit in self.extract(text).hits:
            current = best.get(hit.concept_id)
            if current is None or _rank(hit) < _rank(current):
                best[hit.concept_id] = hit
        return best

    def _extract(self, text: str | None) -> Extraction:
        if isinstance(text, bytes | bytearray):
            text = bytes(text).decode("utf-8", errors="replace")
        if not text or not isinstance(text, str) or not text.strip():
            return Extraction([], "empty")
        if "\x00" in text:
            return Extraction([], "binary")
        reason = None
        if len(text) > MAX_BYTES // 4:
            text, truncated = _truncate(text)
            reason = "truncated" if truncated else None
        sample = text[:8192]
        if len(_CONTROL.findall(sample)) > BINARY_SHARE * len(sample):
            return Extraction([], "binary")
        return Extraction(self._match(text), reason)

    def _match(self, text: str) -> list[Hit]:
        low = fold(text)
        size = len(low)
        candidates: list[tuple[int, int, _Key]] = []
        found_cues: list[cue_rules.CueMatch] = []
        # Characters that occur in no key become one mask character (length kept), which
        # the automaton's root resolves at its first child instead of scanning them all.
        masked = self._mask.sub(_MASK, low)
        if self._seen is not None:
            self._observe(masked)
        for last, payload in self._automaton.iter(masked):
            end = last + 1
            if payload is None:
                continue
            if isinstance(payload, _Key):
                start = end - payload.length
                if payload.left == SPACED and start > 0 and _spaced(low[start - 1]):
                    continue
                if payload.right == SPACED and end < size and _spaced(low[end]):
                    continue
                candidates.append((start, end, payload))
            else:
                length, left, right, kind, direction = payload
                start = end - length
                if left == SPACED and start > 0 and _spaced(low[start - 1]):
                    continue
                if right == SPACED and end < size and _spaced(low[end]):
                    continue
                found_cues.append(cue_rules.CueMatch(start, end, kind, direction))
        if not candidates:
            return []
        candidates.sort(key=lambda c: (c[0], -c[1]))
        half = text.translate(_HALF) if _FULL_WIDTH.search(text) else text
        chosen: list[tuple[int, int, _Key, float]] = []
        reach = 0
        for start, end, key in candidates:
            if start < reach:
                continue
            if key.left == CJK or key.right == CJK:
                penalty = self._edge_penalty(half, start, end, key)
                if penalty is None:
                    continue
            else:  # no Chinese edge: nothing for the segmenter to check
                penalty = 0.0
            chosen.append((start, end, key, penalty))
            reach = end
        flags = cue_rules.mark(low, [(s, e) for s, e, _, _ in chosen], found_cues)
        hits: list[Hit] = []
        append = hits.append
        for (start, end, key, penalty), (preferred, negated) in zip(chosen, flags, strict=True):
            surface = text[start:end]
            strength = "preferred" if preferred else "required"
            for concept_id, label_type, confidence in key.targets:
                if penalty:
                    confidence = round(max(0.0, confidence - penalty), 3)
                append(
                    Hit(concept_id, start, end, surface, confidence, strength, negated, label_type)
                )
        return hits

    def _observe(self, masked: str) -> None:
        """Count the characters of the first ``TUNE_AFTER`` texts, then rebuild the
        automaton once with its root's children in the order of those counts (the
        matches are the same; only the speed of reading this kind of text changes)."""
        with self._tune_lock:
            seen = self._seen
            if seen is None:
                return
            seen.update(masked)
            self._texts += 1
            if self._texts < TUNE_AFTER:
                return
            self._seen = None
        rank = {c: i for i, (c, _) in enumerate(seen.most_common())}
        self._automaton = _automaton(self._payloads, self._alphabet, rank)

    def _edge_penalty(self, text: str, start: int, end: int, key: _Key) -> float | None:
        """None when a Chinese edge is inside a longer word, else the confidence penalty."""
        left, right = key.left == CJK, key.right == CJK
        if not (left or right):
            return 0.0
        segmenter = self._segmenter
        if segmenter is None:
            return UNCONFIRMED_PENALTY
        verdict = segmenter.check(text, start, end, left=left, right=right)
        if verdict == REJECTED:
            return None
        return UNCONFIRMED_PENALTY if verdict == AFFIX else 0.0


def _automaton(payloads: dict[str, object], alphabet: Sequence[str], rank: dict[str, int]) -> Any:
    """One automaton over every key, its root's children ordered by ``rank``.

    pyahocorasick scans a node's children in insertion order, and every character read
    at the root is looked up among the root's children. So the root first gets a child
    for every character of the alphabet, the most common first: a never-matching key of
    the mask character (see ``_mask``), then one never-matching key per character
    ("c" + "\x01"; \x01 is in no key, so it is always masked). Without them a character
    that occurs inside keys but starts none (about a third of posting text) would scan
    all ~700 first characters before failing.
    """
    automaton = ahocorasick.Automaton()
    automaton.add_word(_MASK + "\x01", None)
    last = len(rank)
    for char in sorted(alphabet, key=lambda c: (rank.get(c, last), c)):
        automaton.add_word(char + "\x01", None)
    for key in sorted(payloads):
        automaton.add_word(key, payloads[key])
    automaton.make_automaton()
    return automaton


def _rank(hit: Hit) -> tuple[bool, bool, float, int]:
    return (hit.negated, hit.strength != "required", -hit.confidence, hit.start)


def _size(text: object) -> int:
    try:
        return len(text)  # type: ignore[arg-type]
    except TypeError:
        return 0


def _truncate(text: str) -> tuple[str, bool]:
    """The longest prefix of ``text`` within ``MAX_BYTES`` of UTF-8, and whether cut."""
    data = text.encode("utf-8", errors="surrogatepass")
    if len(data) <= MAX_BYTES:
        return text, False
    cut = MAX_BYTES
    while cut > 0 and (data[cut] & 0xC0) == 0x80:
        cut -= 1
    return text[: len(data[:cut].decode("utf-8", errors="surrogatepass"))], True


# --- the store ---------------------------------------------------------------------------


def labels_from_store(
    session: Session, taxonomy_ids: Sequence[int] | None = None
) -> list[LabelEntry]:
    """Every label of the given taxonomies' active concepts (the active taxonomies by default)."""
    if taxonomy_ids is None:
        taxonomy_ids = [t.id for t in active_taxonomies(session)]
    if not taxonomy_ids:
        return []
    rows = session.execute(
        select(
            ConceptLabel.concept_id,
            ConceptLabel.text,
            ConceptLabel.lang,
            ConceptLabel.label_type,
            Concept.kind,
        )
        .join(Concept, Concept.id == ConceptLabel.concept_id)
        .where(Concept.taxonomy_id.in_(list(taxonomy_ids)), Concept.status == "active")
        .order_by(ConceptLabel.id)
    )
    return [
        LabelEntry(cid, text, lang, label_type, kind) for cid, text, lang, label_type, kind in rows
    ]


_cache: dict[tuple[object, ...], Extractor] = {}
_cache_lock = threading.Lock()
_CACHE_SIZE = 4


def extractor_for(session: Session) -> Extractor:
    """The extractor for the store's active taxonomies, built once per version tag.

    Cached in this module, keyed by the version tag plus the database and the
    taxonomies' ids and content hashes (so two stores with the same tag never share
    one); a taxonomy change gives a new tag and a rebuild.
    """
    taxonomies = active_taxonomies(session)
    tag = version_tag(taxonomies)
    key = (tag, str(session.get_bind().engine.url), *_identity(taxonomies))
    with _cache_lock:
        found = _cache.get(key)
        if found is not None:
            return found
        ids = [t.id for t in taxonomies]
        extractor = Extractor.build(labels_from_store(session, ids), version=tag)
        while len(_cache) >= _CACHE_SIZE:
            del _cache[next(iter(_cache))]
        _cache[key] = extractor
        return extractor


def _identity(taxonomies: Sequence[Taxonomy]) -> list[object]:
    return [(t.id, t.content_sha256) for t in taxonomies]
