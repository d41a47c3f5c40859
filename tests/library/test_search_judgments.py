"""The library search relevance set is well-formed and names resources the demo seeds."""

from __future__ import annotations

import tomllib
from pathlib import Path

from talentbridge.demo.libraries import generated_keys, written_resources
from talentbridge.library.resources import KINDS, LEVELS
from talentbridge.library.seed import LIBRARIES

ROOT = Path(__file__).resolve().parents[2]
JUDGMENTS = ROOT / "benchmarks" / "library_eval" / "judgments.toml"


def seeded_keys() -> set[str]:
    keys = {f"{seed.code}/{name}" for seed in LIBRARIES for name in generated_keys(seed)}
    keys |= {f"{spec['library']}/{spec['key']}" for spec in written_resources()}
    return keys


def test_the_written_demo_resources_are_well_formed() -> None:
    specs = written_resources()
    codes = {seed.code for seed in LIBRARIES}
    keys = [f"{spec['library']}/{spec['key']}" for spec in specs]
    assert len(keys) == len(set(keys))
    for spec in specs:
        assert spec["library"] in codes
        assert spec["kind"] in KINDS and spec["level"] in LEVELS
        assert spec.get("title_zh") or spec.get("title_en")
        assert set(spec["languages"]) <= {"zh", "en"}  # type: ignore[arg-type]
        if spec["kind"] != "video":
            assert str(spec["key"]).endswith((".docx", ".md", ".pptx", ".xlsx")) and spec["body"]
    for code in codes:  # about nine resources per library with the generated three
        assert sum(spec["library"] == code for spec in specs) >= 5


def test_the_judgments_are_well_formed_and_name_seeded_resources() -> None:
    with JUDGMENTS.open("rb") as handle:
        queries = tomllib.load(handle)["query"]
    known = seeded_keys()
    assert len(queries) >= 60
    assert len({q["id"] for q in queries}) == len(queries)
    assert len({(q["text"], q["lang"]) for q in queries}) == len(queries)
    tags = [tag for q in queries for tag in q["tags"]]
    for needed in ("two-char", "abbreviation", "deprecated", "cross-lingual"):
        assert tags.count(needed) >= 5, needed
    assert {q["lang"] for q in queries} == {"zh", "en"}
    for query in queries:
        assert query["text"].strip()
        relevant = query["relevant"]
        assert relevant and max(relevant.values()) == 2, query["id"]
        for key, grade in relevant.items():
            assert key in known, (query["id"], key)
            assert grade in (1, 2)
    texts = {q["text"] for q in queries}
    assert {"报关", "提单", "B/L", "L/C"} <= texts
