"""The Chinese skill gold set: sentence splitting, the gold file format, scoring, and the
real gold file against the real postings (sha1 of every sentence, every concept key)."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from support import shared_file
from talentbridge.errors import InputFileError
from talentbridge.taxonomy.concepts import BUNDLED_FILE, read_taxonomy_file
from talentbridge.taxonomy.gold import (
    UNK,
    GoldSpan,
    labelled,
    load_gold,
    posting_sentences,
    resolve,
    score,
    sentence_sha1,
)

REPO = Path(__file__).resolve().parents[2]
GOLD_FILE = REPO / "benchmarks" / "data" / "zh_skills_gold.jsonl"


@pytest.mark.parametrize(
    ("description", "sentences"),
    [
        ("", []),
        (
            "任职要求:\n1、熟悉Excel;2、良好的沟通能力。",
            ["任职要求:", "1、熟悉Excel;", "2、良好的沟通能力。"],
        ),
        ("１、熟悉ＳＱＬ；２、会用Ｅｘｃｅｌ", ["1、熟悉SQL;", "2、会用Excel"]),
        ("(1)熟悉SQL(2)熟悉Hive（3）会Excel", ["(1)熟悉SQL", "(2)熟悉Hive", "(3)会Excel"]),
        ("沟通能力.2、抗压能力强", ["沟通能力.", "2、抗压能力强"]),
        ("1.5年以上经验,熟悉Java8.熟悉Python3.x", ["1.5年以上经验,熟悉Java8.熟悉Python3.x"]),
        ("版本2.0.3、熟悉Linux", ["版本2.0.3、熟悉Linux"]),
        ("熟悉报关!会报检?能出差", ["熟悉报关!", "会报检?", "能出差"]),
        ("?\n熟悉Excel\n?", ["熟悉Excel?"]),
        (
            "公司简介:\n我们是一家物流公司,成立于2001年。\n任职要求:\n熟悉报关。\n"
            "福利待遇:\n五险一金,带薪年假",
            ["任职要求:熟悉报关。"],
        ),
    ],
)
def test_posting_sentences_split_the_requirements_text(
    description: str, sentences: list[str]
) -> None:
    assert posting_sentences(description) == sentences


def _write(path: Path, *records: object) -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_load_gold_reads_spans_flags_and_empty_sentences(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "gold.jsonl",
        {
            "row": 7,
            "sentence": 2,
            "sha1": "ab",
            "spans": [[9, 12, UNK, ["preferred"]], [2, 7, "tb.x", ["negated"]]],
        },
        {"row": 7, "sentence": 3, "sha1": "cd", "spans": [[0, 3, "tb.y"]]},
        "",
        {"row": 9, "sentence": 0, "sha1": "ef", "spans": []},
    )
    gold = load_gold(path)
    assert [g.key for g in gold] == [(7, 2), (7, 3), (9, 0)]
    assert gold[0].spans == (
        GoldSpan(7, 2, 2, 7, "tb.x", negated=True),
        GoldSpan(7, 2, 9, 12, UNK, preferred=True),
    )
    assert gold[1].spans == (GoldSpan(7, 3, 0, 3, "tb.y"),)
    assert gold[2].spans == ()


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("{not json", "line 2"),
        ('{"row": 1, "sentence": 0, "sha1": "x"}', "spans"),
        ('{"row": "1", "sentence": 0, "sha1": "x", "spans": []}', "integers"),
        ('{"row": 1, "sentence": 0, "sha1": "x", "spans": [[3, 3, "tb.a"]]}', "start < end"),
        ('{"row": 1, "sentence": 0, "sha1": "x", "spans": [[0, 2, "tb.a", ["odd"]]]}', "flags"),
        (
            '{"row": 1, "sentence": 0, "sha1": "x", "spans": [[0, 4, "tb.a"], [2, 6, "tb.b"]]}',
            "overlap",
        ),
        ('{"row": 5, "sentence": 1, "sha1": "x", "spans": []}', "repeated"),
    ],
)
def test_load_gold_refuses_a_malformed_line_naming_it(
    tmp_path: Path, line: str, reason: str
) -> None:
    path = _write(
        tmp_path / "gold.jsonl", {"row": 5, "sentence": 1, "sha1": "a", "spans": []}, line
    )
    with pytest.raises(InputFileError, match="line 2") as caught:
        load_gold(path)
    assert reason in str(caught.value)


def _postings(tmp_path: Path) -> Path:
    path = tmp_path / "postings.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["职位", "岗位信息"])
        writer.writerow(["['仓库主管']", "任职要求:\n1、熟练使用Excel;\n2、有叉车证者优先。"])
        writer.writerow(["['报关员']", "熟悉报关流程。"])
    return path


def test_resolve_returns_the_sentence_texts_when_every_sha1_matches(tmp_path: Path) -> None:
    text = "2、有叉车证者优先。"
    path = _write(
        tmp_path / "gold.jsonl",
        {"row": 2, "sentence": 2, "sha1": sentence_sha1(text), "spans": [[3, 6, "tb.a"]]},
        {"row": 3, "sentence": 0, "sha1": sentence_sha1("熟悉报关流程。"), "spans": []},
    )
    texts = resolve(load_gold(path), _postings(tmp_path))
    assert texts == {(2, 2): text, (3, 0): "熟悉报关流程。"}
    assert text[3:6] == "叉车证"


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (
            {"row": 2, "sentence": 1, "sha1": "0" * 40, "spans": []},
            "row 2 sentence 1: sentence text",
        ),
        ({"row": 2, "sentence": 9, "sha1": "0" * 40, "spans": []}, "only 3 requirement sentences"),
        ({"row": 40, "sentence": 0, "sha1": "0" * 40, "spans": []}, "not in the postings file: 40"),
        (
            {
                "row": 3,
                "sentence": 0,
                "sha1": sentence_sha1("熟悉报关流程。"),
                "spans": [[2, 30, "x"]],
            },
            "past the end",
        ),
    ],
)
def test_resolve_refuses_drift_with_a_clear_error(
    tmp_path: Path, record: dict[str, object], message: str
) -> None:
    path = _write(tmp_path / "gold.jsonl", record)
    with pytest.raises(InputFileError, match=re.escape(message)):
        resolve(load_gold(path), _postings(tmp_path))


def test_scores_count_exact_and_partial_matches_with_and_without_concepts() -> None:
    gold = {(1, 0): [(0, 5, "tb.a"), (6, 9, "tb.b"), (10, 12, UNK)], (1, 1): [(0, 2, "tb.c")]}
    predicted = {(1, 0): [(0, 5, "tb.a"), (6, 8, "tb.z"), (20, 22, "tb.a")], (9, 9): [(0, 1, "x")]}

    spans = score(gold, predicted, concept=False)
    assert (spans.gold, spans.predicted) == (4, 3)  # the sentence outside the gold is ignored
    assert (spans.exact().precision, spans.exact().recall) == (1 / 3, 1 / 4)
    assert (spans.partial().precision, spans.partial().recall) == (2 / 3, 2 / 4)

    concepts = score(gold, predicted, concept=True)
    assert (concepts.exact().precision, concepts.exact().recall) == (1 / 3, 1 / 4)
    assert (concepts.partial().precision, concepts.partial().recall) == (1 / 3, 1 / 4)
    assert concepts.partial().f1 == pytest.approx(2 * (1 / 3) * (1 / 4) / (1 / 3 + 1 / 4))


def test_recall_without_unk_drops_only_the_unk_spans() -> None:
    spans = [GoldSpan(1, 0, 0, 5, "tb.a"), GoldSpan(1, 0, 10, 12, UNK)]
    assert labelled(spans) == [(0, 5, "tb.a"), (10, 12, UNK)]
    covered = score(
        {(1, 0): labelled(spans, known_only=True)}, {(1, 0): [(0, 5, "tb.a")]}, concept=True
    )
    assert covered.exact().recall == 1.0


def test_the_real_gold_file_matches_the_postings_and_the_taxonomy() -> None:
    postings = shared_file("postings/51job-bigdata-2019.csv")
    raw = GOLD_FILE.read_text(encoding="utf-8")
    assert not re.search(r"[\u4e00-\u9fff]", raw), "the gold file must hold no posting text"
    gold = load_gold(GOLD_FILE)
    assert len(gold) >= 160
    assert len({g.row for g in gold}) >= 60
    texts = resolve(gold, postings)  # raises on any sha1 mismatch
    assert len(texts) == len(gold)
    keys = {spec.key for spec in read_taxonomy_file(BUNDLED_FILE)}
    unknown = {s.concept for g in gold for s in g.spans} - keys - {UNK}
    assert unknown == set()
    spans = [s for g in gold for s in g.spans]
    assert any(s.negated for s in spans) and any(s.preferred for s in spans)
    assert any(not g.spans for g in gold)
    for g in gold:
        for span in g.spans:
            surface = texts[g.key][span.start : span.end]
            assert surface == surface.strip() and surface, (g.key, span)
