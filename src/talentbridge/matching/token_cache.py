"""Token counts kept across restarts: side files per store, so a fresh process segments
only the texts that changed since the last index build.

Segmenting every posting and profile text with jieba is what a fresh process's first
``index_for`` spends its time on (about 2 µs of CPU per character; a million postings of
300 characters would be ten minutes). The counts depend only on the text and on the
tokenizer, so ``index_for`` keeps them in a file and reuses every row whose document id
and text key (``bm25.text_keys``, 64-bit BLAKE2b of the text) are unchanged.

Where: beside a SQLite store's file, in ``matching-cache/`` of its folder (the data
directory by default), named after the store's URL; a store without a file (PostgreSQL,
in-memory SQLite) keeps none unless ``use_directory`` names a folder for its URL.

What: one ``.npz`` (no pickles) per store and side (postings, profiles: a profile edit
rewrites only the small one) holding that side's ``bm25.Tokenized`` (ids, text keys, CSR
of term ids and counts, lengths, the vocabulary as UTF-8 with offsets), plus

* the **tokenizer fingerprint** (``bm25.SEGMENT_VERSION``, jieba's version and the size
  of its dictionary, the stop words and the Unicode version behind NFKC): a different
  tokenizer never reuses counts;
* the **store identity** (``store_identity``: the URL, the database file's device and
  inode, and the first import run, or without one the first posting and profile, with
  their timestamps): a store deleted and made again at the same path, or another store,
  never reuses them.

A file that is missing, unreadable, truncated, of another format or inconsistent in any
way is ignored (and replaced after the build); writing goes to a temporary file renamed
into place, so a crash mid-write leaves the old file or none. Reading or writing never
raises: the index is then built as if there were no cache. A deleted document's counts
leave the file at the next build (the file holds only the documents indexed last).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import importlib.util
import itertools
import logging
import operator
import os
import tempfile
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from talentbridge.matching import bm25
from talentbridge.store.tables import ImportRun, Posting, Profile

log = logging.getLogger(__name__)

FORMAT = 1  # bump when the file's layout changes
SIDES = ("postings", "profiles")
COUNT_TYPES = (np.uint8, np.uint16, np.uint32)
CACHE_FOLDER = "matching-cache"

_DIRECTORIES: dict[str, Path] = {}
_WRITE_LOCK = threading.Lock()
_ON_DISK: dict[str, str] = {}  # url → the identity its files were last read or written with


@functools.cache
def tokenizer_fingerprint() -> str:
    """What ``bm25.segment``'s output depends on besides the text."""
    parts = [f"segment {bm25.SEGMENT_VERSION}", f"unicode {unicodedata.unidata_version}"]
    try:
        parts.append(f"jieba {importlib.metadata.version('jieba')}")
        spec = importlib.util.find_spec("jieba")
        if spec is not None and spec.origin:
            dictionary = Path(spec.origin).parent / "dict.txt"
            parts.append(f"dict {dictionary.stat().st_size}")
    except (importlib.metadata.PackageNotFoundError, OSError):
        parts.append("jieba unknown")
    parts.append("stop " + " ".join(sorted(bm25.STOPWORDS)))
    parts.append(f"word {bm25._WORD.pattern} run {bm25._RUN.pattern}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def use_directory(url: str, directory: Path | None) -> None:
    """Keep the cache of the store at ``url`` in ``directory`` (None: the default)."""
    if directory is None:
        _DIRECTORIES.pop(url, None)
    else:
        _DIRECTORIES[url] = Path(directory)


def _sqlite_file(url: str) -> Path | None:
    try:
        parsed = make_url(url)
    except Exception:  # an odd URL just has no cache
        return None
    if not parsed.drivername.startswith("sqlite"):
        return None
    database = parsed.database or ""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def cache_file(url: str, side: str) -> Path | None:
    """The cache file of one side (``SIDES``) of the store at ``url``, or None when the
    store keeps none."""
    if side not in SIDES:
        raise ValueError(f"no side {side!r}")
    name = f"tokens-{hashlib.sha256(url.encode()).hexdigest()[:16]}-{side}.npz"
    if url in _DIRECTORIES:
        return _DIRECTORIES[url] / name
    database = _sqlite_file(url)
    if database is None:
        return None
    return database.resolve().parent / CACHE_FOLDER / name


def store_identity(session: Session, url: str) -> str:
    """A fingerprint of this store (not of its contents): the URL, the database file
    (device and inode) and the store's first import run with its start time (or, in a
    store filled without imports, its first posting and profile with theirs). Read
    only: a few primary-key look-ups."""
    parts: list[object] = [url]
    database = _sqlite_file(url)
    if database is not None:
        try:
            stat = database.stat()
            parts += [stat.st_dev, stat.st_ino]
        except OSError:
            parts.append("no file")
    firsts = [(ImportRun.id, ImportRun.started_at)]
    if session.execute(select(func.min(ImportRun.id))).scalar() is None:
        firsts = [(Posting.id, Posting.created_at), (Profile.id, Profile.created_at)]
    for id_column, stamp in firsts:
        first = select(func.min(id_column)).scalar_subquery()
        row = session.execute(select(id_column, stamp).where(id_column == first)).first()
        parts.append(None if row is None else (row[0], str(row[1])))
    return hashlib.sha256(repr(parts).encode()).hexdigest()


@dataclass(frozen=True)
class Stored:
    """What a fresh process found on disk for a store, and where to write it back."""

    url: str
    identity: str
    postings: bm25.Tokenized | None = None
    profiles: bm25.Tokenized | None = None


def found(session: Session, url: str, *, read: bool = True) -> Stored | None:
    """The store's identity and (when ``read``) the counts its files hold; None when
    the store keeps no cache."""
    if cache_file(url, "postings") is None:
        return None
    identity = store_identity(session, url)
    if not read:
        return Stored(url, identity)
    _ON_DISK[url] = identity  # a side that does not load is written after the build
    return Stored(
        url,
        identity,
        load(cache_file(url, "postings"), identity, "postings"),
        load(cache_file(url, "profiles"), identity, "profiles"),
    )


def keep(
    stored: Stored | None,
    postings: bm25.Tokenized,
    profiles: bm25.Tokenized,
    *,
    before: tuple[bm25.Tokenized | None, bm25.Tokenized | None],
) -> list[str]:
    """Write each side's counts of this build when they differ from ``before`` (the
    counts it started from): texts were segmented, or documents came or went; every
    side when the store's identity changed since its files were read or written (its
    first import run appeared). The sides written (a profile edit rewrites only the
    profiles' file)."""
    if stored is None:
        return []
    moved = _ON_DISK.get(stored.url) != stored.identity
    written = []
    for side, new, old in zip(SIDES, (postings, profiles), before, strict=True):
        changed = moved or (
            new is not old
            and (new.segmented > 0 or old is None or not np.array_equal(new.ids, old.ids))
        )
        if changed and save(cache_file(stored.url, side), stored.identity, side, new):
            written.append(side)
    if moved and len(written) == len(SIDES):
        _ON_DISK[stored.url] = stored.identity
    return written


# --- reading -------------------------------------------------------------------------------


def load(path: Path | None, identity: str, side: str) -> bm25.Tokenized | None:
    """One side's token counts from ``path``; None when there are none it may use."""
    if path is None or not path.is_file():
        return None
    try:
        with path.open("rb") as f, np.load(f, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
        if _text(arrays, "meta") != _meta(identity, side):
            log.info("ignoring the matching token cache %s: another store or tokenizer", path)
            return None
        return _tokenized(arrays, side)
    except Exception as e:  # any unreadable cache is only ignored
        log.info("ignoring the matching token cache %s: %s", path, e)
        return None


def _meta(identity: str, side: str) -> str:
    return f"talentbridge token cache {FORMAT} {side}\n{tokenizer_fingerprint()}\n{identity}"


def _text(arrays: dict[str, np.ndarray], name: str) -> str:
    raw = arrays[name]
    if raw.dtype != np.uint8 or raw.ndim != 1:
        raise ValueError(f"{name}: not bytes")
    return raw.tobytes().decode("utf-8")


def _array(arrays: dict[str, np.ndarray], name: str, dtype: Any, size: int | None) -> np.ndarray:
    value = arrays[name]
    if value.ndim != 1 or value.dtype != np.dtype(dtype):
        raise ValueError(f"{name}: {value.dtype}{value.shape}")
    if size is not None and len(value) != size:
        raise ValueError(f"{name}: {len(value)} values, {size} expected")
    return value


def _tokenized(arrays: dict[str, np.ndarray], side: str) -> bm25.Tokenized:
    """One side's ``Tokenized``, after checking everything the index relies on."""
    ids = _array(arrays, f"{side}.ids", np.int64, None)
    n = len(ids)
    keys = _array(arrays, f"{side}.keys", np.int64, n)
    indptr = _array(arrays, f"{side}.indptr", np.int64, n + 1)
    lengths = _array(arrays, f"{side}.lengths", np.float64, n)
    if indptr[0] != 0 or np.any(np.diff(indptr) < 0):
        raise ValueError(f"{side}: bad row pointers")
    terms = _array(arrays, f"{side}.terms", np.int32, int(indptr[-1]))
    counts = arrays[f"{side}.counts"]
    if counts.dtype not in COUNT_TYPES or counts.shape != (int(indptr[-1]),):
        raise ValueError(f"{side}.counts: {counts.dtype}{counts.shape}")
    offsets = _array(arrays, f"{side}.vocab_offsets", np.int64, None)
    blob = _array(arrays, f"{side}.vocab", np.uint8, int(offsets[-1]) if len(offsets) else 0)
    if len(offsets) == 0 or offsets[0] != 0 or np.any(np.diff(offsets) <= 0):
        raise ValueError(f"{side}: bad vocabulary offsets")
    text = blob.tobytes()
    bounds = offsets.tolist()
    vocab = [text[a:b].decode("utf-8") for a, b in itertools.pairwise(bounds)]
    if not all(map(operator.lt, vocab, vocab[1:])):
        raise ValueError(f"{side}: vocabulary not sorted and distinct")
    lookup = {token: i for i, token in enumerate(vocab)}
    if len(terms) and (terms.min() < 0 or terms.max() >= len(vocab)):
        raise ValueError(f"{side}: term out of the vocabulary")
    rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
    ascending = np.diff(terms.astype(np.int64)) > 0
    if not np.all(ascending | (np.diff(rows) != 0)):
        raise ValueError(f"{side}: terms not ascending within a row")
    if np.any(counts == 0) or not np.array_equal(
        np.bincount(rows, weights=counts, minlength=n), lengths
    ):
        raise ValueError(f"{side}: counts do not add up to the lengths")
    if not np.all(np.diff(ids) > 0) and len(np.unique(ids)) != n:
        raise ValueError(f"{side}: repeated ids")
    return bm25.Tokenized(
        ids=ids,
        keys=keys,
        vocab=vocab,
        lookup=lookup,
        indptr=indptr,
        terms=terms,
        counts=counts.astype(np.float32),
        lengths=lengths,
    )


# --- writing -------------------------------------------------------------------------------


def save(path: Path | None, identity: str, side: str, tokens: bm25.Tokenized) -> bool:
    """Write one side's counts to ``path`` (atomically); False, logged, when it cannot."""
    if path is None:
        return False
    encoded = [token.encode("utf-8") for token in tokens.vocab]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(e) for e in encoded], out=offsets[1:])
    arrays = {
        "meta": _bytes(_meta(identity, side).encode("utf-8")),
        f"{side}.ids": tokens.ids.astype(np.int64),
        f"{side}.keys": tokens.keys.astype(np.int64),
        f"{side}.indptr": tokens.indptr.astype(np.int64),
        f"{side}.terms": tokens.terms.astype(np.int32),
        f"{side}.counts": tokens.counts.astype(_count_type(tokens.counts)),
        f"{side}.lengths": tokens.lengths.astype(np.float64),
        f"{side}.vocab": _bytes(b"".join(encoded)),
        f"{side}.vocab_offsets": offsets,
    }
    try:
        with _WRITE_LOCK:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as f:
                    np.savez(f, **arrays)  # type: ignore[arg-type]
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        return True
    except Exception as e:  # a cache that cannot be written is only missed
        log.warning("could not write the matching token cache %s: %s", path, e)
        return False


def _count_type(counts: np.ndarray) -> type[np.unsignedinteger[Any]]:
    """The narrowest of ``COUNT_TYPES`` that holds every count (most texts: one byte)."""
    top = int(counts.max()) if len(counts) else 0
    return next(t for t in COUNT_TYPES if top <= np.iinfo(t).max)


def _bytes(raw: bytes) -> np.ndarray:
    return np.frombuffer(raw, dtype=np.uint8)
