"""Skill extraction commands: re-extract stored postings, discover unknown phrases,
and extract concepts from one text (for debugging the taxonomy)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from talentbridge.analytics.cube import recount_after_reextraction
from talentbridge.cli.common import _open_store, app, console, fail
from talentbridge.config import SettingsError
from talentbridge.errors import TalentBridgeError


@app.command("extract")
def extract_cmd(
    stale: Annotated[
        bool, typer.Option("--stale", help="Only postings not tagged by the current taxonomy")
    ] = False,
) -> None:
    """Re-run skill extraction over stored postings (after a taxonomy change)."""
    from talentbridge.taxonomy.tagging import reextract

    try:
        _settings, engine, factory = _open_store()
        try:
            with Progress(
                TextColumn("[progress.description]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
                transient=True,
            ) as bar:
                task = bar.add_task("Extracting 抽取技能", total=None)

                def tick(done: int, total: int) -> None:
                    bar.update(task, completed=done, total=total or None)

                report = reextract(factory, only_stale=stale, progress=tick)
            recount_after_reextraction(factory, report.postings)  # the demand cube
        finally:
            engine.dispose()
    except (TalentBridgeError, SettingsError) as exc:
        raise fail(str(exc)) from None
    if not report.version:
        console.print("No active taxonomy: run `talentbridge import taxonomy --bundled` first.")
    console.print(
        f"postings 招聘信息: {report.postings} · tags 技能标注: {report.tags} · "
        f"version 版本: {report.version or '—'}",
        highlight=False,
        soft_wrap=True,
    )


@app.command("discover")
def discover_cmd(
    recent_months: Annotated[
        int, typer.Option("--recent-months", min=1, help="Months counted as recent")
    ] = 6,
    min_postings: Annotated[
        int, typer.Option("--min-postings", min=1, help="Least postings naming a phrase")
    ] = 3,
    top: Annotated[int, typer.Option("--top", min=1, help="Rows to print")] = 30,
) -> None:
    """Find phrases in requirement sentences that match no concept, ranked by growth."""
    from talentbridge.taxonomy.candidates import discover

    try:
        _settings, engine, factory = _open_store()
        try:
            ranked = discover(factory, recent_months=recent_months, min_postings=min_postings)
        finally:
            engine.dispose()
    except (TalentBridgeError, SettingsError) as exc:
        raise fail(str(exc)) from None
    if not ranked:
        console.print("No candidate phrases found 未发现候选短语.")
        return
    table = Table(title=f"Candidate phrases 候选短语 ({len(ranked)})")
    for name in ("phrase 短语", "lang"):
        table.add_column(name)
    for name in ("postings 岗位", "recent 近期", "growth 增长"):
        table.add_column(name, justify="right")
    for name in ("first 首次", "last 最近"):
        table.add_column(name)
    for cand in ranked[:top]:
        table.add_row(
            cand.phrase, cand.lang, str(cand.postings), str(cand.recent_postings),
            f"{cand.growth:.2f}", cand.first_month or "—", cand.last_month or "—",
        )  # fmt: skip
    console.print(table)
    console.print("Review them at /skills/candidates 请在网页端审核.", highlight=False)


@app.command("extract-text")
def extract_text_cmd(
    text: Annotated[str, typer.Argument(help="The text to read, e.g. a requirement sentence")],
    title: Annotated[str, typer.Option("--title", help="A job title, for the occupation")] = "",
) -> None:
    """Print the concepts found in TEXT (surface, key, labels, strength, negation)."""
    from talentbridge.taxonomy.browse import analyze_text

    try:
        _settings, engine, factory = _open_store()
        try:
            with factory() as session:
                result = analyze_text(session, text, title)
        finally:
            engine.dispose()
    except (TalentBridgeError, SettingsError) as exc:
        raise fail(str(exc)) from None
    console.print(
        f"version 版本: {result.version or '—'}"
        + (f" · reason: {result.reason}" if result.reason else ""),
        highlight=False,
    )
    if not result.hits:
        console.print("No concepts found 未识别到技能.")
    else:
        table = Table()
        for name in ("surface", "concept", "label_zh", "label_en", "strength", "negated", "conf."):
            table.add_column(name)
        for hit in result.hits:
            table.add_row(
                f"{hit.surface} [{hit.start}:{hit.end}]", hit.concept.key, hit.concept.label_zh,
                hit.concept.label_en, hit.strength, "yes" if hit.negated else "no",
                f"{hit.confidence:.2f}",
            )  # fmt: skip
        console.print(table)
    if result.occupation is not None:
        occ = result.occupation
        console.print(
            f"occupation 职业: {occ.code} {occ.name_zh} ({occ.confidence:.2f})", highlight=False
        )
