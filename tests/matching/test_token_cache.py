"""The token cache: a fresh process reuses the counts of unchanged texts from disk, a
changed text is segmented again, another store (or the same path made anew) and another
tokenizer never reuse them, a broken file is ignored and replaced, and the rankings are
the same with and without it."""

from __future__ import annotations

import logging
import shutil
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker

from matchworld import World
from talentbridge.config import sqlite_url
from talentbridge.matching import bm25, token_cache
from talentbridge.matching.engine import candidates_for, jobs_for
from talentbridge.matching.index import MatchIndex, clear_index_cache, index_for, load_index
from talentbridge.matching.version import mark_changed
from talentbridge.store.engine import session_factory
from talentbridge.store.tables import Posting

POSTINGS = (
    ("报关员", ["报关"], "熟悉报关流程，能使用单一窗口，英语四级以上。"),
    ("仓储专员", ["仓储管理", "叉车"], "负责仓库日常管理，持叉车证优先；熟悉WMS系统。"),
    ("数据分析助理", ["数据分析"], "熟练使用Excel和Python，做销售数据分析报表。"),
    ("跨境电商运营", ["跨境电商", "英语"], "负责亚马逊店铺运营，英语读写流利。"),
    ("冷链调度", ["冷链"], "冷链运输调度，熟悉温控与仓储流程。"),
)
PROFILES = (
    (["报关", "英语"], "想做报关和单证工作，熟悉单一窗口。"),
    (["仓储管理"], "在仓库实习半年，会开叉车，熟悉WMS。"),
    (["数据分析", "英语"], "会Python和Excel，做过销售数据分析。"),
)


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


@pytest.fixture()
def cache_path(engine: Engine, tmp_path: Path) -> Iterator[Path]:
    """The store's postings cache file: beside a SQLite store, else in a folder named
    for it."""
    url = _url(engine)
    if token_cache.cache_file(url, "postings") is None:
        token_cache.use_directory(url, tmp_path / "token-cache")
    path = token_cache.cache_file(url, "postings")
    assert path is not None
    clear_index_cache()
    yield path
    token_cache.use_directory(url, None)
    clear_index_cache()


def _fill(session: Session) -> World:
    world = World(session)
    for title, required, requirements in POSTINGS:
        world.posting(title, required, requirements=requirements)
    for skills, summary in PROFILES:
        world.profile(skills, summary=summary)
    session.commit()
    return world


def _fresh_process_index(factory: sessionmaker[Session]) -> MatchIndex:
    clear_index_cache()  # what a restart loses; the file stays
    return index_for(factory)


def _segmented(index: MatchIndex) -> tuple[int, int]:
    return index.postings.text.docs.segmented, index.profiles.tokens.segmented


def _rankings(index: MatchIndex) -> list[object]:
    jobs = [jobs_for(index, int(p), k=10) for p in index.profiles.ids]
    candidates = [candidates_for(index, int(j), k=10) for j in index.postings.ids]
    return [[(m.posting_id, m.parts.total, m.parts.text) for m in ranked] for ranked in jobs] + [
        [(m.profile_id, m.parts.total, m.parts.text) for m in ranked] for ranked in candidates
    ]


def _same_text_part(a: MatchIndex, b: MatchIndex) -> None:
    for x, y in (
        (a.postings.text.docs, b.postings.text.docs),
        (a.profiles.tokens, b.profiles.tokens),
    ):
        assert x.vocab == y.vocab
        for name in ("ids", "keys", "indptr", "terms", "counts", "lengths"):
            assert np.array_equal(getattr(x, name), getattr(y, name)), name
    assert np.array_equal(a.postings.text.col_weights, b.postings.text.col_weights)
    assert np.array_equal(a.profiles.queries.terms, b.profiles.queries.terms)


def test_a_fresh_process_reuses_the_counts_on_disk(
    session: Session, factory: sessionmaker[Session], cache_path: Path
) -> None:
    _fill(session)
    first = index_for(factory)
    assert _segmented(first) == (len(POSTINGS), len(PROFILES))
    assert (
        cache_path.is_file()
        and cache_path.with_name(cache_path.name.replace("postings", "profiles")).is_file()
    )
    if str(cache_path).endswith(
        f"{token_cache.CACHE_FOLDER}/{cache_path.name}"
    ):  # beside the store's file
        assert cache_path.parent.name == token_cache.CACHE_FOLDER
    again = _fresh_process_index(factory)
    assert _segmented(again) == (0, 0)  # nothing segmented
    _same_text_part(first, again)
    assert _rankings(again) == _rankings(first)
    assert _rankings(again) == _rankings(load_index(session))  # no cache at all


def test_a_changed_text_is_segmented_again(
    session: Session, factory: sessionmaker[Session], engine: Engine, cache_path: Path
) -> None:
    world = _fill(session)
    index_for(factory)
    posting = session.get(Posting, world.posting("新岗位", ["冷链"], requirements="冷链司机"))
    assert posting is not None
    edited = session.get(Posting, int(index_for(factory).postings.ids[0]))
    assert edited is not None
    edited.requirements = "熟悉跨境物流与海外仓"
    mark_changed(session, "postings")
    session.commit()
    clear_index_cache()
    index = index_for(factory)
    assert _segmented(index) == (2, 0)  # the new posting and the edited one
    vocab = index.postings.text.docs.vocab
    assert "海外" in vocab and "单一" not in vocab  # the old words are gone
    _same_text_part(index, load_index(session))
    assert _rankings(index) == _rankings(load_index(session))
    session.delete(posting)  # a deleted document leaves the file at the next build
    session.commit()
    clear_index_cache()
    index_for(factory)
    identity = token_cache.store_identity(session, _url(engine))
    stored = token_cache.load(cache_path, identity, "postings")
    assert stored is not None and stored.ids.tolist() == index_for(factory).postings.ids.tolist()
    assert posting.id not in stored.ids.tolist() and len(stored.ids) == len(POSTINGS)
    assert token_cache.load(cache_path, identity, "profiles") is None  # not the other side


def test_an_edited_profile_is_segmented_again(
    session: Session, factory: sessionmaker[Session], cache_path: Path
) -> None:
    world = _fill(session)
    index_for(factory)
    postings_written = cache_path.stat().st_mtime_ns
    world.profile(["冷链"], summary="做过冷链仓库的夜班")
    session.commit()
    index = index_for(factory)  # the same process: only the profiles' file is rewritten
    assert index.profiles.tokens.segmented == 1
    assert cache_path.stat().st_mtime_ns == postings_written
    index = _fresh_process_index(factory)
    assert _segmented(index) == (0, 0)
    assert _rankings(index) == _rankings(load_index(session))


def _second_store(template: Path, directory: Path) -> Engine:
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, directory / "talentbridge.db")
    return create_engine(sqlite_url(directory / "talentbridge.db"))


def test_another_store_or_a_store_made_anew_does_not_reuse_the_counts(
    _sqlite_template: Path, tmp_path: Path
) -> None:
    clear_index_cache()
    first = _second_store(_sqlite_template, tmp_path / "a")
    factory = session_factory(first)
    with factory() as session:
        _fill(session)
    index_for(factory)
    path = token_cache.cache_file(_url(first), "postings")
    assert path is not None and path.is_file()
    other = _second_store(_sqlite_template, tmp_path / "b")
    assert token_cache.cache_file(_url(other), "postings") not in (None, path)
    with session_factory(other)() as session:
        identity = token_cache.store_identity(session, _url(other))
        assert token_cache.load(path, identity, "postings") is None
    first.dispose()
    other.dispose()
    # the same path, deleted and made again with other texts under the same ids
    (tmp_path / "a" / "talentbridge.db").unlink()
    again = _second_store(_sqlite_template, tmp_path / "a")
    factory = session_factory(again)
    with factory() as session:
        world = World(session)
        world.posting("报关员", ["报关"], requirements="完全不同的文字，讲的是海运订舱")
        world.profile(["报关"], summary="另一个学生")
        session.commit()
        clear_index_cache()
        index = index_for(factory)
        assert _segmented(index) == (1, 1)
        assert "海运" in index.postings.text.docs.vocab
        assert _rankings(index) == _rankings(load_index(session))
    again.dispose()
    clear_index_cache()


def test_another_tokenizer_does_not_reuse_the_counts(
    session: Session,
    factory: sessionmaker[Session],
    cache_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _fill(session)
    index_for(factory)
    monkeypatch.setattr(token_cache, "tokenizer_fingerprint", lambda: "jieba 9.9 with a new dict")
    assert _segmented(_fresh_process_index(factory)) == (len(POSTINGS), len(PROFILES))


def _corrupt(path: Path, how: str) -> None:
    raw = path.read_bytes()
    if how == "garbage":
        path.write_bytes(b"not a cache at all" * 50)
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "truncated":
        path.write_bytes(raw[: len(raw) // 2])
    elif how == "flipped":  # one byte of an array changed: the zip's CRC catches it
        path.write_bytes(raw[:200] + bytes([raw[200] ^ 0xFF]) + raw[201:])
    else:  # a well-formed file whose arrays do not fit together
        with np.load(path) as data:
            arrays = {name: data[name] for name in data.files}
        if how == "term out of range":
            arrays["postings.terms"] = arrays["postings.terms"] + 10_000
        elif how == "counts off":
            arrays["postings.counts"] = arrays["postings.counts"] * 2
        elif how == "wrong dtype":
            arrays["postings.ids"] = arrays["postings.ids"].astype(np.float64)
        elif how == "missing array":
            del arrays["postings.indptr"]
        elif how == "pickled":
            arrays["meta"] = np.array([{"evil": 1}], dtype=object)
        with path.open("wb") as f:
            np.savez(f, **arrays)


@pytest.mark.parametrize(
    "how",
    ["garbage", "empty", "truncated", "flipped", "term out of range", "counts off",
     "wrong dtype", "missing array", "pickled"],
)  # fmt: skip
def test_a_broken_cache_is_ignored_and_replaced(
    session: Session,
    factory: sessionmaker[Session],
    cache_path: Path,
    how: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _fill(session)
    good = index_for(factory)
    _corrupt(cache_path, how)
    with caplog.at_level(logging.INFO, logger="talentbridge.matching.token_cache"):
        index = _fresh_process_index(factory)
    assert _segmented(index) == (len(POSTINGS), 0)  # as if there were none; profiles' file ok
    assert _rankings(index) == _rankings(good)
    assert "ignoring the matching token cache" in caplog.text
    assert zipfile.is_zipfile(cache_path)  # written anew
    assert _segmented(_fresh_process_index(factory)) == (0, 0)


def test_a_cache_that_cannot_be_written_is_only_missed(
    session: Session,
    factory: sessionmaker[Session],
    engine: Engine,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _fill(session)
    blocker = tmp_path / "a file, not a folder"
    blocker.write_text("x")
    url = _url(engine)
    token_cache.use_directory(url, blocker)
    clear_index_cache()
    try:
        with caplog.at_level(logging.WARNING, logger="talentbridge.matching.token_cache"):
            index = index_for(factory)
        assert len(index.postings) == len(POSTINGS)
        assert "could not write the matching token cache" in caplog.text
    finally:
        token_cache.use_directory(url, None)
        clear_index_cache()


def test_stores_without_a_file_keep_no_cache_unless_told() -> None:
    assert token_cache.cache_file("sqlite://", "postings") is None
    assert token_cache.cache_file("sqlite:///:memory:", "postings") is None
    assert token_cache.cache_file("postgresql+psycopg://u@h/db", "profiles") is None
    token_cache.use_directory("postgresql+psycopg://u@h/db", Path("/srv/tb"))
    try:
        path = token_cache.cache_file("postgresql+psycopg://u@h/db", "profiles")
        assert path is not None and path.parent == Path("/srv/tb")
    finally:
        token_cache.use_directory("postgresql+psycopg://u@h/db", None)
    a, b = (token_cache.cache_file(f"sqlite:////srv/{n}/talentbridge.db", "postings") for n in "ab")
    assert a is not None and b is not None and a != b
    assert a.parent == Path("/srv/a") / token_cache.CACHE_FOLDER


def test_run_memo_gives_exactly_jiebas_tokens() -> None:
    from talentbridge.taxonomy.segment import base_tokenizer

    tokenizer, _ = base_tokenizer()
    texts = [
        "熟悉报关流程，能熟练使用Excel和WMS系统，英语四级以上。",
        "ＡＢＣ１２３ 全角字符；C++/C#开发\r\n熟悉.NET、SAP-ERP 10%提成 a.b_c",
        "岗位职责：1、负责仓库日常管理；2、负责仓库日常管理。五险一金，五险一金！",
        "",
        "   ",
    ]
    for text in texts:
        whole = [
            t
            for t in tokenizer.cut(unicodedata.normalize("NFKC", text).lower(), HMM=False)
            if len(t) >= 2 and bm25._WORD.search(t) and t not in bm25.STOPWORDS
        ]
        assert bm25.segment(text) == whole
    assert bm25.segment(texts[2]).count("仓库") == 2  # a repeated run counts every time


def test_text_keys_are_stable_across_processes() -> None:
    import hashlib

    expected = int.from_bytes(
        hashlib.blake2b("报关".encode(), digest_size=8).digest(), "little", signed=True
    )
    keys = bm25.text_keys(["报关", "", "报关"])
    assert keys.tolist() == [expected, keys[1], expected] and keys[0] != keys[1]


def test_a_store_whose_identity_changes_rewrites_both_files(
    session: Session, factory: sessionmaker[Session], engine: Engine, cache_path: Path
) -> None:
    from talentbridge.store.tables import ImportRun

    world = _fill(session)  # no import run yet: the identity rests on the first records
    index_for(factory)
    session.add(ImportRun(kind="profiles", file_name="students.csv"))  # the first import
    world.profile(["英语"], summary="新来的学生")
    session.commit()
    index_for(factory)  # profiles changed: the postings' file is rewritten too
    assert _segmented(_fresh_process_index(factory)) == (0, 0)


def test_counts_handed_back_whole_equal_counts_made_anew() -> None:
    ids, texts = [3, 5, 9], ["报关 订舱 报关", "仓储 叉车", "冷链 仓储 冷链 冷链"]
    fresh = bm25.tokenize_all(ids, texts, str.split)
    again = bm25.tokenize_all(ids, texts, str.split, fresh)  # a restart: nothing changed
    turned = bm25.tokenize_all(ids[::-1], texts[::-1], str.split, fresh)  # other order
    expected = bm25.tokenize_all(ids[::-1], texts[::-1], str.split)
    assert again.segmented == turned.segmented == 0
    for made, anew in ((again, fresh), (turned, expected)):
        assert made.vocab == anew.vocab
        for name in ("ids", "keys", "indptr", "terms", "counts", "lengths"):
            assert np.array_equal(getattr(made, name), getattr(anew, name)), name
    fewer = bm25.tokenize_all(ids[:2], texts[:2], str.split, fresh)  # 冷链 is gone
    assert fewer.segmented == 0 and "冷链" not in fewer.vocab


@pytest.mark.parametrize("repeat", [1, 300, 70_000])  # counts of one, two and four bytes
def test_a_saved_side_reads_back_the_same(tmp_path: Path, repeat: int) -> None:
    tokens = bm25.tokenize_all([1, 2], [" ".join(["报关"] * repeat) + " 订舱", "仓储"], str.split)
    path = tmp_path / "tokens-postings.npz"
    assert token_cache.save(path, "store", "postings", tokens)
    back = token_cache.load(path, "store", "postings")
    assert back is not None and back.vocab == tokens.vocab and back.lookup == tokens.lookup
    for name in ("ids", "keys", "indptr", "terms", "counts", "lengths"):
        assert np.array_equal(getattr(back, name), getattr(tokens, name)), name
    assert token_cache.load(path, "another store", "postings") is None
    assert token_cache.load(path, "store", "profiles") is None  # not the side written
