"""Skill extraction quality on SkillSpan (English job postings), with ESCO loaded.

Run: ``.venv/bin/python benchmarks/skillspan_eval.py [--split dev|train|both]``

Builds a fresh temporary SQLite store, installs ESCO skills from
``../shared/data/esco/skills.csv`` with ``import_esco``, builds the extractor from the
stored labels, runs it over every sentence of ``../shared/data/skillspan/json/<split>.json``
(tokens joined by single spaces; hit character spans mapped back to token spans) and
prints span precision / recall / F1, exact and partial (overlap), for:

* **any**: gold = Skill and Knowledge spans together, predictions = every hit;
* **Skill**: gold Skill spans against hits on ESCO concepts of kind ``skill``;
* **Knowledge**: gold Knowledge spans against hits on concepts of kind ``knowledge``.

The ESCO kind is recovered heuristically from the definition text (see
``taxonomy.esco``), so the per-type rows are rougher than the ``any`` row.
"""

from __future__ import annotations

import argparse
import json
import platform
import tempfile
import time
from pathlib import Path

from talentbridge.config import load_settings
from talentbridge.store.engine import create_engine_for, session_factory
from talentbridge.store.migrate import upgrade
from talentbridge.taxonomy.esco import import_esco
from talentbridge.taxonomy.extractor import Extractor, labels_from_store
from talentbridge.taxonomy.span_eval import SpanCounts, bio_spans, join_tokens, token_span

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
ESCO = DATA / "esco" / "skills.csv"
SKILLSPAN = DATA / "skillspan" / "json"
ROWS = (("any", "Skill + Knowledge"), ("skill", "Skill"), ("knowledge", "Knowledge"))


def build_extractor(tmp: Path) -> tuple[Extractor, dict[int, str], str]:
    settings = load_settings({"TALENTBRIDGE_DATA_DIR": str(tmp)})
    engine = create_engine_for(settings)
    upgrade(engine)
    factory = session_factory(engine)
    report = import_esco(factory, ESCO)
    with factory() as session:
        entries = labels_from_store(session, [report.taxonomy_id])
    engine.dispose()
    kinds = {e.concept_id: e.kind for e in entries}
    return Extractor.build(entries, version="esco@" + report.version), kinds, report.summary()


def evaluate(extractor: Extractor, kinds: dict[int, str], path: Path) -> dict[str, SpanCounts]:
    counts = {name: SpanCounts() for name, _title in ROWS}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        sentence = json.loads(line)
        tokens: list[str] = sentence["tokens"]
        skill = bio_spans(sentence["tags_skill"])
        knowledge = bio_spans(sentence["tags_knowledge"])
        text, offsets = join_tokens(tokens)
        predicted: dict[str, set[tuple[int, int]]] = {
            "any": set(),
            "skill": set(),
            "knowledge": set(),
        }
        for hit in extractor.extract(text).hits:
            span = token_span(offsets, hit.start, hit.end)
            if span is None:
                continue
            predicted["any"].add(span)
            kind = kinds.get(hit.concept_id, "skill")
            predicted["knowledge" if kind == "knowledge" else "skill"].add(span)
        counts["any"].add(skill + knowledge, predicted["any"])
        counts["skill"].add(skill, predicted["skill"])
        counts["knowledge"].add(knowledge, predicted["knowledge"])
    return counts


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def table(results: dict[str, dict[str, SpanCounts]]) -> str:
    lines = [
        "| split | spans | gold | predicted | exact P | exact R | exact F1 "
        "| partial P | partial R | partial F1 |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for split, counts in results.items():
        for name, title in ROWS:
            c = counts[name]
            e, p = c.exact(), c.partial()
            lines.append(
                f"| {split} | {title} | {c.gold} | {c.predicted} | {e.precision:.3f} "
                f"| {e.recall:.3f} | {e.f1:.3f} | {p.precision:.3f} | {p.recall:.3f} | {p.f1:.3f} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=("dev", "train", "both"), default="both")
    args = parser.parse_args()
    splits = ("train", "dev") if args.split == "both" else (args.split,)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        extractor, kinds, summary = build_extractor(Path(tmp))
        built = time.perf_counter() - started
        results: dict[str, dict[str, SpanCounts]] = {}
        for split in splits:
            started = time.perf_counter()
            results[split] = evaluate(extractor, kinds, SKILLSPAN / f"{split}.json")
            print(f"{split}: scored in {time.perf_counter() - started:.1f} s")
    print(f"{summary}; store + extractor built in {built:.1f} s")
    print(f"machine: {machine()}\n")
    print(table(results))


if __name__ == "__main__":
    main()
