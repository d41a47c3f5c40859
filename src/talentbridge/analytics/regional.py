"""Comparing regions: Chengdu, Chongqing, the circle and elsewhere (everything outside
the circle), by postings, pay and the location quotient of each top skill."""

from __future__ import annotations

from sqlalchemy.orm import Session

from talentbridge.analytics.bins import quantiles
from talentbridge.analytics.datatable import Column, DataTable
from talentbridge.analytics.demand import Period, pay_bins, skill_counts, top_skills, totals
from talentbridge.analytics.regions import ALL, CIRCLE

COMPARED = (("c:510100", "成都", "Chengdu"), ("p:500000", "重庆", "Chongqing"),
            (CIRCLE, "成渝经济圈", "Circle"), ("elsewhere", "圈外", "Elsewhere"))  # fmt: skip


def region_comparison(
    session: Session, *, period: Period, kind: str | None = None, limit: int = 30
) -> DataTable:
    """Top skills nationally with their share of postings and location quotient (LQ =
    the share in a region ÷ the share everywhere) in Chengdu, Chongqing, the circle and
    elsewhere (everything outside the circle)."""
    top = top_skills(session, region=ALL, period=period, kind=kind, limit=limit)
    ids = [r["concept_id"] for r in top.rows]
    everywhere = totals(session, region=ALL, period=period).postings
    counts = {ALL: {r["concept_id"]: r["postings"] for r in top.rows}}
    sizes = {ALL: everywhere}
    for key, _zh, _en in COMPARED[:3]:
        counts[key] = skill_counts(session, region=key, period=period, concept_ids=ids)
        sizes[key] = totals(session, region=key, period=period).postings
    counts["elsewhere"] = {c: counts[ALL].get(c, 0) - counts[CIRCLE].get(c, 0) for c in ids}
    sizes["elsewhere"] = everywhere - sizes[CIRCLE]
    columns = [Column("label_zh", "技能", "Skill (zh)"), Column("label_en", "技能(英文)", "Skill")]
    for key, zh, en in COMPARED:
        slug = key.replace(":", "_")
        columns += [
            Column(f"{slug}_postings", f"{zh}招聘信息数", f"{en} postings", "int"),
            Column(f"{slug}_share", f"{zh}占比", f"{en} share", "share"),
            Column(f"{slug}_lq", f"{zh}区位商", f"{en} LQ", "float"),
        ]
    out = []
    for row in top.rows:
        cid = row["concept_id"]
        national = row["postings"] / everywhere if everywhere else 0
        item = {"concept_id": cid, "label_zh": row["label_zh"], "label_en": row["label_en"]}
        for key, _zh, _en in COMPARED:
            slug = key.replace(":", "_")
            n, size = counts[key].get(cid, 0), sizes[key]
            share = n / size if size else 0.0
            item[f"{slug}_postings"] = n
            item[f"{slug}_share"] = round(share, 4)
            item[f"{slug}_lq"] = round(share / national, 2) if national and size else None
        out.append(item)
    notes = ["LQ > 1: the skill is asked for more often there than everywhere on average"]
    return DataTable("region-comparison", columns, out, notes)


def region_overview(session: Session, *, period: Period) -> DataTable:
    """Postings, openings and pay quartiles of Chengdu, Chongqing, the circle, elsewhere."""
    columns = (
        Column("region", "地区", "Region"),
        Column("postings", "招聘信息数", "Postings", "int"),
        Column("openings", "招聘人数", "Openings", "int"),
        Column("salary_median", "月薪中位数", "Median pay", "money"),
    )
    rows = []
    everywhere = totals(session, region=ALL, period=period)
    circle = totals(session, region=CIRCLE, period=period)
    for key, zh, en in COMPARED:
        if key == "elsewhere":
            outside = dict(pay_bins(session, region=ALL, period=period))
            for pay_bin, n in pay_bins(session, region=CIRCLE, period=period).items():
                outside[pay_bin] -= n
            rows.append({"key": key, "region": f"{zh} / {en}",
                         "postings": everywhere.postings - circle.postings,
                         "openings": everywhere.openings - circle.openings,
                         "salary_median": quantiles(outside, (0.5,))[0]})  # fmt: skip
            continue
        found = totals(session, region=key, period=period)
        rows.append({"key": key, "region": f"{zh} / {en}", "postings": found.postings,
                     "openings": found.openings, "salary_median": found.salary_median})  # fmt: skip
    return DataTable("region-overview", columns, rows)
