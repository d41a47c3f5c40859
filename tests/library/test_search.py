"""Cross-lingual library search on a real store: expansion, two-character queries,
abbreviations, deprecated synonyms, filters, visibility and the index kept in sync."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

import libraryworld
from talentbridge.accounts.policy import Principal
from talentbridge.accounts.roles import Role
from talentbridge.config import Settings
from talentbridge.library.resources import (
    change_status,
    create_library,
    new_version,
    publish_resource,
    submit_resource,
    withdraw_resource,
)
from talentbridge.library.samples import docx_bytes, markdown_bytes
from talentbridge.library.search import SearchFilters, SearchResults, reindex, search
from talentbridge.library.termbase import import_bundled
from talentbridge.store.library_tables import Resource

LIMIT = 5 * 1024 * 1024


class Shelf:
    """Two libraries, a few published resources in Chinese and English, and people."""

    def __init__(self, session: Session, data_dir: Path) -> None:
        self.session = session
        self.data_dir = data_dir
        people = libraryworld.people(
            session,
            {
                "admin": Role.COLLEGE_ADMIN,
                "teacher": Role.TEACHER,
                "student": Role.STUDENT,
            },
        )
        self.admin, self.teacher, self.student = (
            people["admin"],
            people["teacher"],
            people["student"],
        )
        self.docs = create_library(
            session, principal=self.admin, code="docs", name_zh="国际贸易单证", name_en="Documents"
        )
        self.customs = create_library(
            session, principal=self.admin, code="customs", name_zh="报关", name_en="Customs"
        )
        self.bl_en = self.add(
            self.docs,
            "Reading an ocean bill of lading",
            "en.md",
            markdown_bytes(
                "Reading an ocean bill of lading",
                [
                    (
                        "Parts",
                        "The carrier issues the bill of lading after loading. Check the "
                        "shipper, consignee and notify party on every bill.",
                    )
                ],
            ),
            kind="courseware",
            level="associate",
        )
        self.bl_zh = self.add(
            self.docs,
            "海运提单的缮制",
            "zh.docx",
            docx_bytes(
                "海运提单的缮制", ["承运人装船后签发海运提单。", "学生练习填写托运人和收货人。"]
            ),
            kind="exercise",
            level="secondary",
        )
        self.declaration_zh = self.add(
            self.customs,
            "进出口货物报关单填制",
            "decl.docx",
            docx_bytes("报关单填制", ["本讲介绍报关单的填制规范和申报要素。"]),
            kind="courseware",
            level="associate",
        )
        self.broker_en = self.add(
            self.customs,
            "Working with a customs broker",
            "broker.md",
            markdown_bytes(
                "Working with a customs broker",
                [("Role", "A customs broker lodges the customs declaration for the importer.")],
            ),
            kind="document",
            level="bachelor",
        )
        self.zone_en = self.add(
            self.customs,
            "Goods in a comprehensive bonded zone",
            "zone.md",
            markdown_bytes(
                "Goods in a comprehensive bonded zone",
                [("Rules", "Goods stored in a comprehensive bonded zone are not yet cleared.")],
            ),
            kind="case",
            level="associate",
        )

    def add(
        self, library: object, title: str, file_name: str, data: bytes, **extra: object
    ) -> Resource:
        chinese = any("\u4e00" <= c <= "\u9fff" for c in title)
        resource = submit_resource(
            self.session,
            principal=self.teacher,
            library_id=library.id,  # type: ignore[attr-defined]
            title_zh=title if chinese else "",
            title_en="" if chinese else title,
            data=data,
            file_name=file_name,
            data_dir=self.data_dir,
            max_bytes=LIMIT,
            **extra,  # type: ignore[arg-type]
        )
        publish_resource(self.session, principal=self.admin, resource_id=resource.id)
        return resource

    def find(self, query: str, principal: Principal | None = None, **kwargs: object) -> list[int]:
        results = self.results(query, principal, **kwargs)
        return [hit.resource_id for hit in results.resources]

    def results(
        self, query: str, principal: Principal | None = None, **kwargs: object
    ) -> SearchResults:
        return search(
            self.session,
            principal=principal or self.student,
            query=query,
            **kwargs,  # type: ignore[arg-type]
        )


@pytest.fixture()
def shelf(factory: sessionmaker[Session], settings: Settings) -> Iterator[Shelf]:
    import_bundled(factory)
    # Closed at teardown: an open transaction would block the next test's TRUNCATE on
    # PostgreSQL forever.
    with factory() as session:
        yield Shelf(session, settings.data_dir)
        session.rollback()


def test_a_chinese_query_finds_the_english_resource_and_the_reverse(shelf: Shelf) -> None:
    found = shelf.find("提单")
    assert set(found[:2]) == {shelf.bl_en.id, shelf.bl_zh.id}
    assert shelf.find("提单", expand=False) == [shelf.bl_zh.id]
    found = shelf.find("bill of lading")
    assert set(found[:2]) == {shelf.bl_en.id, shelf.bl_zh.id}
    assert shelf.find("customs declaration form")[0] == shelf.declaration_zh.id


def test_two_character_queries_find_words_inside_longer_words(shelf: Shelf) -> None:
    assert shelf.declaration_zh.id in shelf.find("报关")
    assert shelf.bl_zh.id in shelf.find("提单", expand=False)
    results = shelf.results("报关")
    assert results.terms and results.terms[0].entry_id == "tb-customs-customs-declaration"
    assert "customs declaration" in results.expanded


def test_abbreviations_and_inflections(shelf: Shelf) -> None:
    for query in ("B/L", "b/l", "BL", "bills of lading"):
        found = shelf.find(query)
        assert set(found[:2]) == {shelf.bl_en.id, shelf.bl_zh.id}, query
    results = shelf.results("B/L")
    assert results.terms[0].zh[0] == "提单" and "bill of lading" in results.terms[0].en
    assert results.terms[0].query_term_status == "admitted"
    hit = next(h for h in results.resources if h.resource_id == shelf.bl_en.id)
    assert "bill of lading" in hit.matched
    assert "bill of lading" in hit.snippet.lower()


def test_a_deprecated_synonym_expands_but_is_never_an_expansion(shelf: Shelf) -> None:
    results = shelf.results("保税区")
    assert results.terms[0].query_term_status == "deprecated"
    assert "保税区" not in results.terms[0].zh
    assert shelf.zone_en.id in [h.resource_id for h in results.resources]
    assert "报关公司" not in shelf.results("报关行").expanded
    assert "customs broker" in shelf.results("报关公司").expanded
    assert shelf.find("报关公司")[0] == shelf.broker_en.id


def test_filters(shelf: Shelf) -> None:
    both = {shelf.bl_en.id, shelf.bl_zh.id}
    assert set(shelf.find("提单")) >= both
    kinds = SearchFilters(kinds=("exercise",))
    assert shelf.find("提单", filters=kinds) == [shelf.bl_zh.id]
    assert shelf.find("提单", filters=SearchFilters(levels=("associate",))) == [shelf.bl_en.id]
    assert shelf.find("提单", filters=SearchFilters(languages=("en",))) == [shelf.bl_en.id]
    assert shelf.find("提单", filters=SearchFilters(languages=("x%",))) == []
    assert shelf.find("提单", filters=SearchFilters(library_ids=(shelf.customs.id,))) == []
    assert shelf.find("报关", filters=SearchFilters(library_ids=(shelf.customs.id,)))


def test_visibility_drafts_and_withdrawn(shelf: Shelf) -> None:
    draft = submit_resource(
        shelf.session,
        principal=shelf.teacher,
        library_id=shelf.docs.id,
        title_zh="电放保函",
        title_en="Telex release letter",
        kind="document",
        data=markdown_bytes(
            "Telex release", [("Note", "A telex release replaces the original bill of lading.")]
        ),
        file_name="telex.md",
        data_dir=shelf.data_dir,
        max_bytes=LIMIT,
        for_review=False,
    )
    assert draft.id not in shelf.find("电放")
    assert shelf.find("telex release", shelf.teacher) == [draft.id]
    assert shelf.find("电放", shelf.admin) == [draft.id]
    anonymous = search(shelf.session, principal=None, query="telex release")
    assert anonymous.resources == ()
    withdraw_resource(shelf.session, principal=shelf.admin, resource_id=shelf.bl_en.id)
    for who in (shelf.student, shelf.teacher, shelf.admin):
        assert shelf.bl_en.id not in shelf.find("bill of lading", who)
    change_status(
        shelf.session, principal=shelf.admin, resource_id=shelf.bl_en.id, action="publish"
    )
    assert shelf.bl_en.id in shelf.find("bill of lading")
    assert search(shelf.session, principal=None, query="bill of lading").total == 2


def test_a_new_version_updates_the_index(shelf: Shelf) -> None:
    assert shelf.find("fumigation") == []
    new_version(
        shelf.session,
        principal=shelf.admin,
        resource_id=shelf.broker_en.id,
        data=markdown_bytes(
            "Fumigation", [("Rule", "Wooden packing needs a fumigation certificate.")]
        ),
        file_name="broker-v2.md",
        data_dir=shelf.data_dir,
        max_bytes=LIMIT,
    )
    assert shelf.find("fumigation") == [shelf.broker_en.id]
    assert shelf.broker_en.id in shelf.find("熏蒸证书")
    assert shelf.broker_en.id not in shelf.find("lodges")


def test_reindex_rebuilds_the_same_results(shelf: Shelf) -> None:
    before = shelf.find("提单")
    assert reindex(shelf.session) == 5
    assert shelf.find("提单") == before
    assert reindex(shelf.session, [shelf.bl_zh.id]) == 1
    assert shelf.find("提单") == before


@pytest.mark.parametrize(
    "query",
    ['"', '""', "AND", "OR", "NOT", "NEAR(", "*", "b*", "title:x", "-", "^a", "'", "\\",
     "a AND OR b", "(提单", "提单\"", "   ", "", "\x00", "B/L\" OR \"x", "!&|<->:*"],
)  # fmt: skip
def test_user_text_is_never_query_syntax(shelf: Shelf, query: str) -> None:
    results = shelf.results(query)
    assert results.total >= 0


def test_paging_and_total(shelf: Shelf) -> None:
    results = shelf.results("提单", limit=1)
    assert results.total >= 2 and len(results.resources) == 1
    second = shelf.results("提单", limit=1, offset=1)
    assert second.resources[0].resource_id != results.resources[0].resource_id


def test_narrow_filters_and_common_tokens_take_the_slower_paths(
    shelf: Shelf, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Few candidates ranked in the index alone (a narrow filter must rank with the join)
    and every match counted as common (only the newest are ranked): same answers."""
    import talentbridge.library.search as search_module
    import talentbridge.library.search_sqlite as sqlite_backend

    exercises = SearchFilters(kinds=("exercise",))
    expected = shelf.find("提单", filters=exercises)
    every = set(shelf.find("提单"))
    monkeypatch.setattr(search_module, "CANDIDATES", 1)
    monkeypatch.setattr(sqlite_backend, "OVERFETCH", 1)
    monkeypatch.setattr(sqlite_backend, "WIDE_FETCH", 1)
    assert shelf.find("提单", filters=exercises, limit=1) == expected[:1]
    monkeypatch.setattr(sqlite_backend, "RANK_CAP", 1)
    results = shelf.results("提单", limit=5)
    assert set(h.resource_id for h in results.resources) <= every
    assert results.resources and results.total == len(every)


def test_the_major_filter(shelf: Shelf) -> None:
    from talentbridge.store.tables import Major

    major = Major(
        level="associate", item_level="major", code="530802", name_zh="现代物流管理",
        category_code="53", category_name="财经商贸大类",
    )  # fmt: skip
    shelf.session.add(major)
    shelf.session.flush()
    linked = submit_resource(
        shelf.session,
        principal=shelf.teacher,
        library_id=shelf.docs.id,
        title_zh="提单背书练习",
        title_en="",
        kind="exercise",
        data=docx_bytes("提单背书", ["空白背书的提单可以转让。"]),
        file_name="endorse.docx",
        data_dir=shelf.data_dir,
        max_bytes=LIMIT,
        major_ids=[major.id],
    )
    publish_resource(shelf.session, principal=shelf.admin, resource_id=linked.id)
    assert linked.id in shelf.find("提单")
    assert shelf.find("提单", filters=SearchFilters(major_ids=(major.id,))) == [linked.id]
    assert shelf.find("B/L", filters=SearchFilters(major_ids=(major.id + 1,))) == []
