"""Skill extraction quality on our Chinese gold set (51job postings), bundled taxonomy.

Run: ``.venv/bin/python benchmarks/zh_skills_eval.py``

Reads the gold spans from ``benchmarks/data/zh_skills_gold.jsonl`` (ids, offsets and
concept keys only; rules in ``docs/annotation-zh-skills.md``), gets each sentence's text
from ``../shared/data/postings/51job-bigdata-2019.csv`` through
``talentbridge.taxonomy.gold.resolve`` (checking every sentence's SHA-1), builds the
extractor straight from ``taxonomy/data/skills.csv`` (concepts numbered here, no store)
with the segmentation check on and off, and prints span precision / recall / F1:

* **exact**: same start and end (and, for "span + concept", the same concept);
* **partial**: overlap by at least one character (and the same concept);
* **recall, taxonomy-covered**: recall over gold spans whose concept is not ``UNK``.

Then the negation / preference agreement on exactly matched spans, and the most
frequent missed gold surfaces and false-positive hit surfaces (by overlap, segmentation
check on): material for improving the taxonomy.
"""

from __future__ import annotations

import argparse
import platform
import time
from collections import Counter
from pathlib import Path

from talentbridge.taxonomy.concepts import BUNDLED_FILE, read_taxonomy_file
from talentbridge.taxonomy.extractor import Extractor, Hit, LabelEntry
from talentbridge.taxonomy.gold import (
    UNK,
    Counts,
    GoldSentence,
    Labelled,
    labelled,
    load_gold,
    resolve,
    score,
)

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "benchmarks" / "data" / "zh_skills_gold.jsonl"
POSTINGS = ROOT.parent / "shared" / "data" / "postings" / "51job-bigdata-2019.csv"
Key = tuple[int, int]


def taxonomy_entries() -> tuple[list[LabelEntry], dict[int, str]]:
    specs = read_taxonomy_file(BUNDLED_FILE)
    keys = {number: spec.key for number, spec in enumerate(specs, start=1)}
    entries = [
        LabelEntry(number, text, lang, label_type, spec.kind)
        for number, spec in enumerate(specs, start=1)
        for lang, text, label_type in spec.labels()
    ]
    return entries, keys


def predict(
    extractor: Extractor, keys: dict[int, str], texts: dict[Key, str]
) -> tuple[dict[Key, list[Labelled]], dict[Key, list[Hit]]]:
    spans: dict[Key, list[Labelled]] = {}
    hits: dict[Key, list[Hit]] = {}
    for key, text in texts.items():
        found = extractor.extract(text).hits
        hits[key] = found
        spans[key] = sorted({(h.start, h.end, keys[h.concept_id]) for h in found})
    return spans, hits


def row(name: str, counts: Counts, covered: Counts) -> str:
    e, p = counts.exact(), counts.partial()
    return (
        f"| {name} | {counts.gold} | {counts.predicted} | {e.precision:.3f} | {e.recall:.3f} "
        f"| {e.f1:.3f} | {p.precision:.3f} | {p.recall:.3f} | {p.f1:.3f} "
        f"| {covered.gold} | {covered.exact().recall:.3f} | {covered.partial().recall:.3f} |"
    )


def flags_agreement(gold: list[GoldSentence], hits: dict[Key, list[Hit]]) -> str:
    matched = negated_ok = preferred_ok = 0
    negated_gold = preferred_gold = 0
    for sentence in gold:
        by_span = {(h.start, h.end): h for h in hits.get(sentence.key, [])}
        for span in sentence.spans:
            hit = by_span.get((span.start, span.end))
            if hit is None:
                continue
            matched += 1
            negated_gold += span.negated
            preferred_gold += span.preferred
            negated_ok += span.negated == hit.negated
            preferred_ok += span.preferred == (hit.strength == "preferred")
    return (
        f"On the {matched} exactly matched spans ({negated_gold} negated, "
        f"{preferred_gold} preferred in the gold): negation agrees on "
        f"{negated_ok}/{matched}, preference on {preferred_ok}/{matched}."
    )


def errors(
    gold: list[GoldSentence], texts: dict[Key, str], spans: dict[Key, list[Labelled]]
) -> tuple[Counter[str], Counter[str]]:
    """Gold surfaces no hit overlaps, and hit surfaces that overlap no gold span."""
    missed: Counter[str] = Counter()
    false: Counter[str] = Counter()
    for sentence in gold:
        text = texts[sentence.key]
        golds = [(s.start, s.end, s.concept) for s in sentence.spans]
        preds = spans.get(sentence.key, [])
        for s, e, concept in golds:
            if not any(ps < e and s < pe for ps, pe, _ in preds):
                missed[f"{text[s:e]} → {concept}"] += 1
        for s, e, concept in preds:
            if not any(gs < e and s < ge for gs, ge, _ in golds):
                false[f"{text[s:e]} → {concept}"] += 1
    return missed, false


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--postings", type=Path, default=POSTINGS)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()

    started = time.perf_counter()
    gold = load_gold(args.gold)
    texts = resolve(gold, args.postings)
    entries, keys = taxonomy_entries()
    all_spans = {s.key: labelled(s.spans) for s in gold}
    covered = {s.key: labelled(s.spans, known_only=True) for s in gold}
    n_spans = sum(len(s.spans) for s in gold)
    n_unk = sum(1 for s in gold for span in s.spans if span.concept == UNK)
    print(
        f"gold: {len(gold)} sentences from {len({s.row for s in gold})} postings, "
        f"{n_spans} spans ({n_unk} UNK, {n_spans - n_unk} taxonomy concepts), "
        f"{sum(1 for s in gold if not s.spans)} sentences without spans; "
        f"all sha1 verified"
    )
    print(f"taxonomy: {len(keys)} concepts, {len(entries)} labels ({BUNDLED_FILE.name})")
    print(f"machine: {machine()}\n")
    lines = [
        "| extractor, match | gold | predicted | exact P | exact R | exact F1 | partial P "
        "| partial R | partial F1 | gold (no UNK) | exact R (no UNK) | partial R (no UNK) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    outcome: dict[bool, tuple[dict[Key, list[Labelled]], dict[Key, list[Hit]]]] = {}
    for segment_check in (True, False):
        extractor = Extractor.build(entries, version="bundled", segment_check=segment_check)
        spans, hits = predict(extractor, keys, texts)
        outcome[segment_check] = (spans, hits)
        label = "segmentation on" if segment_check else "segmentation off"
        for concept, title in ((False, "span only"), (True, "span + concept")):
            counts = score(all_spans, spans, concept=concept)
            known = score(covered, spans, concept=concept)
            lines.append(row(f"{label}, {title}", counts, known))
    print("\n".join(lines))
    spans, hits = outcome[True]
    print("\n" + flags_agreement(gold, hits))
    missed, false = errors(gold, texts, spans)
    alias_misses = Counter({k: v for k, v in missed.items() if not k.endswith(f"→ {UNK}")})
    unk_misses = Counter({k: v for k, v in missed.items() if k.endswith(f"→ {UNK}")})
    print(f"\nTop {args.top} missed gold spans (no overlapping hit; segmentation on):")
    for surface, count in missed.most_common(args.top):
        print(f"  {count:3d}  {surface}")
    print(f"\nTop {args.top} missed spans of taxonomy concepts (alias candidates):")
    for surface, count in alias_misses.most_common(args.top):
        print(f"  {count:3d}  {surface}")
    print(f"\nTop {args.top} UNK spans (not in the taxonomy: new-concept candidates):")
    for surface, count in unk_misses.most_common(args.top):
        print(f"  {count:3d}  {surface}")
    print(f"\nTop {args.top} false-positive hits (overlap no gold span; segmentation on):")
    for surface, count in false.most_common(args.top):
        print(f"  {count:3d}  {surface}")
    print(f"\n(done in {time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
