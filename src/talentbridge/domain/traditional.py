"""Which texts OpenCC's traditional → simplified conversion (``t2s``) can change.

OpenCC converts by dictionary: a text changes only where it holds a key of one of the
conversion's dictionaries whose conversion differs from the key. ``data/t2s_triggers.txt``
lists, for the OpenCC version named in it, at least one character of every such key:
each character the conversion changes on its own (the keys of ``TSCharacters``,
``TSCharactersExt`` and ``CJK_Compatibility_Ideographs``), and for each phrase of
``TSPhrases`` that changes although none of its characters does on its own (回覆 → 回复,
深沈 → 深沉), the characters that change in it (覆, 沈). A text with none of them comes
out of the conversion as it went in, so ``pipeline.clean.to_simplified`` need not call
OpenCC for it.

``tests/domain/test_traditional.py`` derives the list from the installed OpenCC's
dictionaries and compares; run that file as a script to write it anew after an upgrade.
For any other OpenCC version there is no list (``t2s_triggers`` returns ``None``) and
every text is converted.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

TRIGGERS_FILE = "t2s_triggers.txt"
_VERSION_PREFIX = "opencc "


def parse_triggers(text: str) -> tuple[str, str]:
    """``(OpenCC version, the trigger characters in file order)`` of a triggers file:
    ``#`` comment lines, a line ``opencc VERSION``, then lines of characters."""
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    if not lines or not lines[0].startswith(_VERSION_PREFIX):
        raise ValueError(f"{TRIGGERS_FILE}: the first line must be '{_VERSION_PREFIX}VERSION'")
    return lines[0].removeprefix(_VERSION_PREFIX).strip(), "".join(lines[1:])


@cache
def _bundled() -> tuple[str, str]:
    data = resources.files("talentbridge.domain") / "data" / TRIGGERS_FILE
    return parse_triggers(data.read_text(encoding="utf-8"))


def trigger_characters() -> tuple[str, frozenset[str]]:
    """The bundled list: the OpenCC version it was made for and its characters."""
    version, characters = _bundled()
    return version, frozenset(characters)


@cache
def t2s_triggers(opencc_version: str) -> re.Pattern[str] | None:
    """A pattern that finds a character which may make ``t2s`` of that OpenCC version
    change a text; ``None`` when the bundled list is for another version.

    Surrogates and every character beyond U+FFFF count as triggers too: that keeps the
    character class within the Basic Multilingual Plane, where ``re`` tests membership
    in one step instead of walking a list of ranges (such characters are rare in
    postings; those texts are simply converted).
    """
    version, characters = _bundled()
    if version != opencc_version:
        return None
    basic = sorted({char for char in characters if char < "\ud800" or "\ue000" <= char <= "\uffff"})
    return re.compile("[" + "".join(map(re.escape, basic)) + "\ud800-\U0010ffff]")
