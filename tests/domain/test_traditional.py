"""The t2s trigger list (``domain/data/t2s_triggers.txt``) against the installed OpenCC.

Run as a script to write the list anew from the installed OpenCC's dictionaries:
``.venv/bin/python tests/domain/test_traditional.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path

import opencc
import pytest
from hypothesis import given
from hypothesis import strategies as st

from talentbridge.domain import traditional
from talentbridge.pipeline import clean

DATA_FILE = Path(traditional.__file__).parent / "data" / traditional.TRIGGERS_FILE
HEADER = """\
# Characters that can make OpenCC's traditional -> simplified conversion (t2s) change a
# text: every character the conversion changes on its own, and the changed characters of
# every phrase that changes although none of its characters does on its own. A text
# without any of them is left as it is. See talentbridge/domain/traditional.py; written
# by tests/domain/test_traditional.py from the dictionaries of the OpenCC named below.
"""
PER_LINE = 40


def _opencc_files() -> tuple[Path, Path] | None:
    """The ``opencc_dict`` tool and the dictionary folder shipped with the opencc wheel."""
    clib = Path(opencc.__file__).parent / "clib"
    tool, share = clib / "bin" / "opencc_dict", clib / "share" / "opencc"
    if tool.is_file() and (share / "t2s.json").is_file():
        return tool, share
    return None


def _dictionary_files(config: dict[str, object]) -> list[str]:
    """Every ``.ocd2`` file a conversion config uses (normalization and conversion chain)."""
    files: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("file"), str):
                files.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(config)
    return files


def _changing_entries(tool: Path, share: Path) -> dict[str, str]:
    """Every key of t2s's dictionaries whose conversion (its first candidate) differs."""
    config = json.loads((share / "t2s.json").read_text(encoding="utf-8"))
    changing: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in _dictionary_files(config):
            out = Path(tmp) / f"{name}.txt"
            subprocess.run(
                [str(tool), "-i", str(share / name), "-o", str(out), "-f", "ocd2", "-t", "text"],
                check=True,
                capture_output=True,
            )
            for line in out.read_text(encoding="utf-8").splitlines():
                if line:
                    key, values = line.split("\t", 1)
                    value = values.split(" ")[0]
                    if value != key:
                        changing.setdefault(key, value)
    return changing


def derive_triggers(changing: dict[str, str]) -> str:
    """The trigger characters, sorted: single-character keys, and for each phrase with no
    such character, the characters it changes (all of them if its length changes)."""
    singles = {key for key in changing if len(key) == 1}
    triggers = set(singles)
    for key, value in changing.items():
        if len(key) > 1 and not singles.intersection(key):
            if len(value) == len(key):
                triggers.update(a for a, b in zip(key, value, strict=True) if a != b)
            else:
                triggers.update(key)
    return "".join(sorted(triggers))


def render(version: str, characters: str) -> str:
    lines = [characters[i : i + PER_LINE] for i in range(0, len(characters), PER_LINE)]
    return HEADER + f"opencc {version}\n" + "\n".join(lines) + "\n"


@cache
def _installed() -> tuple[str, str] | None:
    files = _opencc_files()
    if files is None:
        return None
    return opencc.__version__, derive_triggers(_changing_entries(*files))


def test_the_list_is_the_one_derived_from_the_installed_opencc() -> None:
    installed = _installed()
    if installed is None:
        pytest.skip("this opencc wheel ships no opencc_dict tool or dictionary folder")
    assert traditional.parse_triggers(DATA_FILE.read_text(encoding="utf-8")) == installed, (
        "the t2s trigger list is stale: run .venv/bin/python tests/domain/test_traditional.py"
    )


def test_every_other_basic_plane_character_is_left_alone() -> None:
    version, triggers = traditional.trigger_characters()
    if version != opencc.__version__:
        pytest.skip(f"the list is for OpenCC {version}, installed is {opencc.__version__}")
    others = [
        chr(code)
        for code in range(1, 0x10000)
        if not 0xD800 <= code <= 0xDFFF and chr(code) not in triggers and chr(code) != "\n"
    ]
    # A line break is in no key, so each character is converted on its own.
    assert clean._t2s().convert("\n".join(others)) == "\n".join(others)


def test_characters_that_change_on_their_own_are_triggers() -> None:
    _version, triggers = traditional.trigger_characters()
    assert {"報", "關", "倉", "儲", "後", "於", "乾"} <= triggers
    assert {"覆", "沈"} <= triggers  # only in phrases: 回覆 → 回复, 深沈 → 深沉
    assert not {"报", "关", "仓", "储", "回", "深", "熟", "悉"} & triggers


def test_another_opencc_version_gets_no_list() -> None:
    assert traditional.t2s_triggers("0.0.0") is None
    with pytest.raises(ValueError, match="first line"):
        traditional.parse_triggers("# no version\n報\n")


# Characters of changing phrases and common ones, none a trigger: whatever their order,
# the conversion leaves them alone.
_SAFE = st.sampled_from(
    sorted(set("回答批深意志消暗捏毛土破釜舟打找昏拜浮报关仓储熟悉负责岗位，。、 a1\n\t·•—"))
)


@given(st.lists(_SAFE | st.characters(max_codepoint=0xFFFF), max_size=40).map("".join))
def test_texts_without_a_trigger_are_left_as_they_are(text: str) -> None:
    pattern = traditional.t2s_triggers(opencc.__version__)
    if pattern is None:
        pytest.skip("the list is for another OpenCC version")
    if pattern.search(text) is None:
        assert clean._t2s().convert(text) == text


def main() -> None:
    installed = _installed()
    if installed is None:
        sys.exit("this opencc wheel ships no opencc_dict tool or dictionary folder")
    DATA_FILE.write_text(render(*installed), encoding="utf-8")
    print(f"wrote {DATA_FILE}: {len(installed[1])} characters for OpenCC {installed[0]}")


if __name__ == "__main__":
    main()
