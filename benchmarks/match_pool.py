"""Judgement pools of the matching evaluation, and the sheets a judge reads.

Run: ``.venv/bin/python benchmarks/match_pool.py build --store /tmp/match-eval``
then ``… sheet P01`` for each profile (the pooled postings not yet in
``labels.jsonl``, ordered by row, without saying which system pooled them).

``build`` pools, per profile, the top 15 of BM25 alone, the top 15 of our engine
(``matching.engine.jobs_for`` without filters) when it exists, else of the skills-overlap
heuristic, and 5 postings drawn at random (seeded by the profile key), and adds what is
new to ``benchmarks/matching_eval/pools.jsonl`` (one line per profile and system; a
system's earlier pools are kept, so labels made from them stay pooled). The store is
built once in ``--store`` and reused. With ``--learned`` it also pools the learned
ranker's top 10 for the profiles ``match_eval.py`` tests it on (trained on the other
half's labels, as there). See ``docs/matching-eval.md``.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import defaultdict
from pathlib import Path

from match_rankers import Bm25Ranker, posting_idf, profile_query, skills_overlap
from match_store import (
    LABELS,
    POOLS,
    EvalStore,
    build_eval_store,
    load_profiles,
    open_eval_store,
    read_rows,
)
from talentbridge.matching import engine, ltr
from talentbridge.matching.facts import load_postings, load_reference
from talentbridge.matching.facts import load_profiles as load_profile_facts
from talentbridge.matching.index import load_index

DEPTH = 15
RANDOM = 5


def store_at(directory: Path) -> EvalStore:
    if (directory / "talentbridge.db").exists():
        return open_eval_store(directory)
    return build_eval_store(directory)


def engine_pools(store: EvalStore) -> dict[int, list[int]]:
    with store.factory() as session:
        index = load_index(session)
    return {
        pid: [m.posting_id for m in engine.jobs_for(index, pid, k=DEPTH)]
        for pid in store.profile_of_key.values()
    }


def learned_pools(store: EvalStore) -> dict[int, list[int]]:
    """The learned ranker's top 10 for the profiles it is tested on in match_eval.py
    (trained on the other half's labels, exactly as there)."""
    from match_eval import load_labels, split_profiles

    labels = load_labels(store)
    with store.factory() as session:
        index = load_index(session)
        train, test = split_profiles(sorted(store.profile_of_key.values()))
        model = ltr.train_ranker(
            session, index, [lab for lab in labels if lab[0] in set(train)], name="pool"
        )
        ranker = ltr.load_ranker(model.model_text, model.features)
        session.rollback()
    return {q: [m.posting_id for m in engine.jobs_for(index, q, k=10, ranker=ranker)] for q in test}


def read_pools() -> dict[tuple[str, str], list[int]]:
    pools: dict[tuple[str, str], list[int]] = {}
    if POOLS.exists():
        for line in POOLS.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            key = (item["profile"], item["system"])
            pools[key] = sorted(set(pools.get(key, [])) | set(item["rows"]))
    return pools


def write_pools(pools: dict[tuple[str, str], list[int]]) -> None:
    with POOLS.open("w", encoding="utf-8") as handle:
        for (profile, system), rows in sorted(pools.items()):
            handle.write(json.dumps({"profile": profile, "system": system, "rows": rows}) + "\n")


def build(store: EvalStore, *, learned: bool = False) -> None:
    with store.factory() as session:
        reference = load_reference(session)
        postings = load_postings(session)
        profiles = {p.id: p for p in load_profile_facts(session, reference)}
    row_of = store.row_of_posting
    bm25 = Bm25Ranker([p.id for p in postings], [p.text for p in postings])
    idf = posting_idf(postings)
    engine_top: dict[int, list[int]] | None = engine_pools(store)
    pools = read_pools()
    all_ids = sorted(p.id for p in postings)
    for key, pid in sorted(store.profile_of_key.items()):
        found = {"bm25": bm25.rank(profile_query(profiles[pid], reference), DEPTH)}
        if engine_top is not None:
            found["engine"] = engine_top[pid]
        else:  # before the engine existed (the pools of that time are kept)
            found["skills"] = skills_overlap(profiles[pid], postings, idf, DEPTH)
        found["random"] = random.Random(f"pool:{key}").sample(all_ids, RANDOM)
        for system, ids in found.items():
            old = pools.get((key, system), [])
            pools[(key, system)] = sorted(set(old) | {row_of[i] for i in ids})
    if learned:
        key_of = store.key_of_profile
        for pid, ids in learned_pools(store).items():
            old = pools.get((key_of[pid], "learned"), [])
            pools[(key_of[pid], "learned")] = sorted(set(old) | {row_of[i] for i in ids})
    write_pools(pools)
    print(f"pools of {len(store.profile_of_key)} profiles written to {POOLS}")


def judged() -> set[tuple[str, int]]:
    if not LABELS.exists():
        return set()
    return {
        (item["profile"], item["row"])
        for item in map(json.loads, LABELS.read_text(encoding="utf-8").splitlines())
    }


def sheet(keys: list[str], width: int) -> None:
    profiles = {str(p["id"]): p for p in load_profiles()}
    pools = read_pools()
    rows = read_rows()
    done = judged()
    pooled: dict[str, set[int]] = defaultdict(set)
    for (profile, _system), found in pools.items():
        pooled[profile].update(found)
    for key in keys:
        p = profiles[key]
        wish = p["wishes"]
        print(
            f"=== {key} {p['level']} {p['major_code']} {p['major_zh']} grad {p['graduation_year']}"
        )
        print(f"skills: {', '.join(p['skills'])} | certs: {', '.join(p['certificates'])}")
        for e in p["experiences"]:
            print(f"  {e['kind']} {e['start']}–{e['end']} {e['title']}: {e['description']}")
        print(
            f"wish: {'/'.join(wish['cities'])} relocate={wish['willing_to_relocate']} "
            f"floor={wish['salary_min']} jobs={'/'.join(wish['occupations'])}"
        )
        for row in sorted(pooled[key]):
            if (key, row) in done:
                continue
            r = rows[row]
            body = " ".join(r.get("岗位信息", "").split())
            print(
                f"[{row}] {r['职位']} | {r['地区']} | {r['薪资'] or '-'} | {r['学历'] or '-'} | "
                f"{r['工作经验'] or '-'} | {r['公司信息'].split('|')[-1].strip()}"
            )
            if body:
                print(body[:width] + ("…" if len(body) > width else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build")
    b.add_argument("--store", type=Path, required=True)
    b.add_argument("--learned", action="store_true", help="also pool the learned ranker's top 10")
    s = sub.add_parser("sheet")
    s.add_argument("profiles", nargs="+")
    s.add_argument("--width", type=int, default=420)
    args = parser.parse_args()
    if args.command == "build":
        build(store_at(args.store), learned=args.learned)
    else:
        sheet(args.profiles, args.width)


if __name__ == "__main__":
    main()
