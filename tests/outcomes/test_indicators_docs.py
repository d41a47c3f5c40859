"""docs/indicators.md is kept honest: every indicator defined in code is written there,
with its Chinese name and the words of its definition's side counts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from talentbridge.outcomes.indicators import ALL_INDICATOR_KEYS, INDICATORS, Indicator
from talentbridge.outcomes.population import EMPLOYMENT, IN_WORK, PLACED

DOC = Path(__file__).resolve().parents[2] / "docs" / "indicators.md"


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


@pytest.mark.parametrize("key", ALL_INDICATOR_KEYS)
def test_every_indicator_has_a_section(doc: str, key: str) -> None:
    assert f"`{key}`" in doc
    assert re.search(rf"^#+ `{key}`", doc, re.MULTILINE), f"no heading for {key}"


@pytest.mark.parametrize("indicator", INDICATORS, ids=lambda i: i.key)
def test_rate_definitions_are_written_out(doc: str, indicator: Indicator) -> None:
    heading = re.search(rf"^### `{indicator.key}` — (.+)$", doc, re.MULTILINE)
    assert heading is not None
    assert indicator.name_zh in heading.group(1)
    section = doc[heading.end() : doc.find("\n#", heading.end())]
    for word in ("numerator", "denominator", "excluded"):
        assert f"- {word}" in section
    for name, _ in indicator.extras:
        assert f"`{name}`" in section, f"side count {name} of {indicator.key} not documented"


def test_destination_sets_are_as_documented(doc: str) -> None:
    for name, members in (("PLACED", PLACED), ("EMPLOYMENT", EMPLOYMENT), ("IN_WORK", IN_WORK)):
        row = re.search(rf"^\| `{name}` \| ([^|]+) \|", doc, re.MULTILINE)
        assert row is not None
        assert [m.strip() for m in row.group(1).split(",")] == list(members)
