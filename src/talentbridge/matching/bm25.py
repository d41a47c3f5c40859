"""BM25 over jieba-segmented text for the matching index (our own, on numpy/scipy).

Why not ``bm25s``: it builds the same Lucene-style weights, but scores a query against
every document (``np.add.at`` over whole posting lists) and can only mask the result
afterwards; the engine needs the score of one profile against a filtered subset of
postings, of one posting against a subset of profiles, and of single pairs for the
explanation, all bit-for-bit the same. So the weights are computed here (a few numpy
lines) and scored by gathering only what a query touches.

* ``segment`` cuts text with jieba (exact mode, no HMM, the shared dictionary of
  ``taxonomy.segment``), lower-cases, and keeps tokens of two or more characters with a
  letter or CJK character that are not stop words.
* ``Tokenized`` holds token counts per document (CSR) over the documents' vocabulary,
  with a stable key of each text (``text_keys``), so a rebuild reuses the counts of
  every document whose text did not change and segments only the new ones
  (segmentation is the slow part: about 2 µs of CPU a character on varied text). The
  counts also outlive the process: ``matching.token_cache`` keeps them beside the store.
* ``Bm25`` holds, for the postings, each (posting, term) weight
  ``idf(t) · tf·(k1+1) / (tf + k1·(1 − b + b·len/avglen))`` with
  ``idf(t) = ln(1 + (N − df + 0.5)/(df + 0.5))``, by term (CSC) for gathers.
* ``select_queries``: a profile's query is its ``QUERY_TERMS`` terms of highest
  tf·idf (ties by term), as Lucene's MoreLikeThis does; its text score against a
  posting is the sum of the posting's weights of those terms divided by the sum of
  their idf, i.e. 1.0 for a posting of average length holding each query term once,
  capped at 1. The query depends only on the profile text and the posting corpus, so
  a pair has one text score whichever side asks.
"""

from __future__ import annotations

import functools
import hashlib
import operator
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from talentbridge.taxonomy.segment import base_tokenizer

K1 = 1.2
B = 0.75
QUERY_TERMS = 32

Tokenizer = Callable[[str], list[str]]

_WORD = re.compile(r"[a-z\u4e00-\u9fff]")
_STOP_TEXT = """
    以上 以下 以及 或者 并且 而且 能够 可以 进行 具有 具备 我们 你们 他们 其他 其它 一个 一些
    相关 以内 左右 之一 通过 对于 关于 根据 如果 因为 所以 但是 还是 以便 等等 包括 有关
    the and for with you are our will your from that this have has not but all can who any
"""
STOPWORDS = frozenset(_STOP_TEXT.split())


def segment(text: str) -> list[str]:
    """Tokens of ``text`` for BM25 (jieba exact mode without HMM; see the module doc).

    jieba cuts each run of CJK characters, letters, digits and ``+#&._%-`` on its own
    and yields everything between runs as single characters or whitespace, which the
    filter drops; so each run's tokens are looked up in a memo (``_run_tokens``) and
    the result is exactly jieba's on the whole text. Postings repeat runs a lot
    (headings, benefits, boilerplate): a quarter of the runs' characters on the 51job
    file, nearly all of them in the generated demo."""
    if not text:
        return []
    lowered = unicodedata.normalize("NFKC", text).lower()
    out: list[str] = []
    for run in _RUN.findall(lowered):
        out += _run_tokens(run)
    return out


_RUN = re.compile(r"[\u4e00-\u9fd5a-zA-Z0-9+#&._%\-]+")  # jieba's re_han_default
SEGMENT_VERSION = 1  # bump whenever ``segment`` would cut any text differently


@functools.lru_cache(maxsize=1 << 16)
def _run_tokens(run: str) -> tuple[str, ...]:
    tokenizer, _ = base_tokenizer()
    return tuple(
        token
        for token in tokenizer.cut(run, HMM=False)
        if len(token) >= 2 and _WORD.search(token) and token not in STOPWORDS
    )


def text_keys(texts: Sequence[str]) -> NDArray[np.int64]:
    """A stable 64-bit key of each text (BLAKE2b of its UTF-8), the same in every process,
    so token counts can be kept across restarts (``matching.token_cache``)."""
    digests = b"".join(
        hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
        for text in texts
    )
    return np.frombuffer(digests, dtype="<i8").astype(np.int64)


@dataclass(frozen=True)
class Tokenized:
    """Token counts of documents (rows in ``ids`` order), CSR with terms ascending."""

    ids: NDArray[np.int64]
    keys: NDArray[np.int64]  # ``text_keys`` of each document's text, for reuse
    vocab: list[str]
    lookup: dict[str, int]
    indptr: NDArray[np.int64]
    terms: NDArray[np.int32]
    counts: NDArray[np.float32]
    lengths: NDArray[np.float64]  # tokens per document (with repeats)
    segmented: int = 0  # documents segmented to build this (the others were reused)

    def row(self, i: int) -> tuple[NDArray[np.int32], NDArray[np.float32]]:
        lo, hi = self.indptr[i], self.indptr[i + 1]
        return self.terms[lo:hi], self.counts[lo:hi]


def tokenize_all(
    ids: Sequence[int],
    texts: Sequence[str],
    tokenize: Tokenizer = segment,
    previous: Tokenized | None = None,
) -> Tokenized:
    """Token counts of every text; a document whose id and text are unchanged since
    ``previous`` keeps its counts without being segmented again."""
    n = len(texts)
    lookup = dict(previous.lookup) if previous else {}
    keys = text_keys(texts)
    old_rows = np.full(n, -1, dtype=np.int64)
    if previous is not None and len(previous.ids) and n:
        # the row of the same id in ``previous``, kept when its text key is the same
        by_id = np.argsort(previous.ids, kind="stable")
        sorted_ids = previous.ids[by_id]
        wanted = np.asarray(ids, dtype=np.int64)
        at = np.minimum(np.searchsorted(sorted_ids, wanted), len(sorted_ids) - 1)
        candidate = by_id[at]
        same = (sorted_ids[at] == wanted) & (previous.keys[candidate] == keys)
        old_rows = np.where(same, candidate, -1).astype(np.int64)
    fresh = np.flatnonzero(old_rows < 0)
    if previous is not None and _unchanged(previous, old_rows):
        # every document kept, in the same order (a restart): the same counts as below
        return Tokenized(ids=previous.ids, keys=keys, vocab=previous.vocab, lookup=previous.lookup,
                         indptr=previous.indptr, terms=previous.terms, counts=previous.counts,
                         lengths=previous.lengths)  # fmt: skip
    # the new texts, all at once: token → id by one dict call each, counts by sorting
    every_token: list[str] = []
    fresh_sizes = np.zeros(len(fresh), dtype=np.int64)
    for m, doc in enumerate(fresh.tolist()):
        tokens = tokenize(texts[doc])
        fresh_sizes[m] = len(tokens)
        every_token += tokens
    for token in dict.fromkeys(every_token):
        if token not in lookup:
            lookup[token] = len(lookup)
    token_ids = np.fromiter(
        map(lookup.__getitem__, every_token), dtype=np.int64, count=len(every_token)
    )
    width = len(lookup) + 1
    doc_of = np.repeat(np.arange(len(fresh), dtype=np.int64), fresh_sizes)
    pair_keys, pair_counts = np.unique(doc_of * width + token_ids, return_counts=True)
    fresh_docs, fresh_terms = np.divmod(pair_keys, width)

    sizes = np.zeros(n, dtype=np.int64)
    lengths = np.zeros(n, dtype=np.float64)
    sizes[fresh] = np.bincount(fresh_docs, minlength=len(fresh))
    lengths[fresh] = fresh_sizes
    kept = np.flatnonzero(old_rows >= 0)
    if previous is not None and len(kept):
        from_rows = old_rows[kept]
        sizes[kept] = np.diff(previous.indptr)[from_rows]
        lengths[kept] = previous.lengths[from_rows]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(sizes, out=indptr[1:])
    terms = np.zeros(int(indptr[-1]), dtype=np.int32)
    counts = np.zeros(int(indptr[-1]), dtype=np.float32)
    place = _ranges(indptr[fresh], indptr[fresh + 1])
    terms[place] = fresh_terms
    counts[place] = pair_counts
    if previous is not None and len(kept):
        from_rows = old_rows[kept]
        source = _ranges(previous.indptr[from_rows], previous.indptr[from_rows + 1])
        place = _ranges(indptr[kept], indptr[kept + 1])
        terms[place] = previous.terms[source]
        counts[place] = previous.counts[source]
    vocab, lookup, terms, counts = _sorted_vocabulary(list(lookup), lookup, indptr, terms, counts)
    return Tokenized(
        ids=np.asarray(ids, dtype=np.int64),
        keys=keys,
        vocab=vocab,
        lookup=lookup,
        indptr=indptr,
        terms=terms,
        counts=counts,
        lengths=lengths,
        segmented=len(fresh),
    )


def _unchanged(previous: Tokenized, old_rows: NDArray[np.int64]) -> bool:
    """Whether ``old_rows`` takes every row of ``previous`` in order and its vocabulary
    is already that of its documents only, in string order (so nothing is remapped)."""
    if len(old_rows) != len(previous.ids) or not np.array_equal(old_rows, np.arange(len(old_rows))):
        return False
    vocab = previous.vocab
    used = np.bincount(previous.terms, minlength=len(vocab)) > 0
    return bool(used.all()) and all(map(operator.lt, vocab, vocab[1:]))


def _sorted_vocabulary(
    vocab: list[str],
    lookup: dict[str, int],
    indptr: NDArray[np.int64],
    terms: NDArray[np.int32],
    counts: NDArray[np.float32],
) -> tuple[list[str], dict[str, int], NDArray[np.int32], NDArray[np.float32]]:
    """The vocabulary of the documents only, in string order, each row's terms ascending.

    Term ids then depend on the texts alone, not on the order documents arrived in or
    on earlier builds, so query terms and the order their weights add up in do not
    either (the same input, the same ranking)."""
    used = np.bincount(terms, minlength=len(vocab)) > 0
    order = sorted(np.flatnonzero(used).tolist(), key=vocab.__getitem__)
    if used.all() and order == list(range(len(vocab))):
        return vocab, lookup, terms, counts
    new_id = np.full(len(vocab), -1, dtype=np.int64)
    new_id[order] = np.arange(len(order))
    width = len(order) + 1
    keys = _rows_of(indptr).astype(np.int64) * width + new_id[terms]
    permutation = np.argsort(keys, kind="stable")
    sorted_vocab = [vocab[i] for i in order]
    return (
        sorted_vocab,
        {token: i for i, token in enumerate(sorted_vocab)},
        (keys[permutation] % width).astype(np.int32),
        counts[permutation],
    )


def _rows_of(indptr: NDArray[np.int64]) -> NDArray[np.int32]:
    return np.repeat(np.arange(len(indptr) - 1, dtype=np.int32), np.diff(indptr))


@dataclass(frozen=True)
class Bm25:
    """BM25 weights of the posting corpus, by term (CSC) for gathers."""

    docs: Tokenized
    idf: NDArray[np.float64]  # per term of docs.vocab
    avg_length: float
    col_ptr: NDArray[np.int64]  # term t's postings: col_rows[col_ptr[t]:col_ptr[t+1]]
    col_rows: NDArray[np.int32]
    col_weights: NDArray[np.float32]

    @classmethod
    def build(cls, docs: Tokenized) -> Bm25:
        n_docs = len(docs.ids)
        n_terms = len(docs.vocab)
        df = np.bincount(docs.terms, minlength=n_terms).astype(np.float64)
        idf = np.log1p((n_docs - df + 0.5) / (df + 0.5))
        avg = float(docs.lengths.mean()) if n_docs else 1.0
        avg = avg if avg > 0 else 1.0
        rows = _rows_of(docs.indptr)
        weights = _weights(idf, docs.terms, docs.counts, docs.lengths[rows], avg)
        order = np.argsort(docs.terms, kind="stable")  # by term, rows ascending within
        col_ptr = np.zeros(n_terms + 1, dtype=np.int64)
        np.cumsum(np.bincount(docs.terms, minlength=n_terms), out=col_ptr[1:])
        return cls(docs, idf, avg, col_ptr, rows[order], weights[order])

    def row_weights(self, i: int) -> tuple[NDArray[np.int32], NDArray[np.float32]]:
        """Terms (ascending) and weights of document ``i``: the same numbers as the CSC."""
        terms, counts = self.docs.row(i)
        lengths = np.full(len(terms), self.docs.lengths[i])
        return terms, _weights(self.idf, terms, counts, lengths, self.avg_length)

    def gather(self, terms: NDArray[np.int32]) -> tuple[NDArray[np.int32], NDArray[np.float32]]:
        """Rows and weights of every posting holding one of ``terms`` (ascending), term by
        term: summed with ``np.bincount`` each row's weights add up in term order."""
        if len(terms) == 0:
            return np.zeros(0, np.int32), np.zeros(0, np.float32)
        starts, ends = self.col_ptr[terms], self.col_ptr[terms + 1]
        take = _ranges(starts, ends)
        return self.col_rows[take], self.col_weights[take]


def _weights(
    idf: NDArray[np.float64],
    terms: NDArray[np.int32],
    counts: NDArray[np.float32],
    lengths: NDArray[np.float64],
    avg: float,
) -> NDArray[np.float32]:
    tf = counts.astype(np.float64)
    norm = K1 * (1.0 - B + B * lengths / avg)
    return (idf[terms] * (tf * (K1 + 1.0)) / (tf + norm)).astype(np.float32)


def _ranges(starts: NDArray[np.int64], ends: NDArray[np.int64]) -> NDArray[np.int64]:
    """Concatenation of ``arange(s, e)`` for each pair, without a Python loop."""
    sizes = ends - starts
    total = int(sizes.sum())
    if total == 0:
        return np.zeros(0, np.int64)
    offsets = np.repeat(starts - np.concatenate(([0], np.cumsum(sizes)[:-1])), sizes)
    return np.arange(total, dtype=np.int64) + offsets


@dataclass(frozen=True)
class Queries:
    """Each profile's query terms (posting vocabulary, ascending) and ``1/Σ idf``."""

    indptr: NDArray[np.int64]
    terms: NDArray[np.int32]
    norm: NDArray[np.float64]  # 0 for an empty query
    col_ptr: NDArray[np.int64]  # profiles whose query holds term t (CSC, rows ascending)
    col_rows: NDArray[np.int32]

    def row(self, i: int) -> NDArray[np.int32]:
        return self.terms[self.indptr[i] : self.indptr[i + 1]]

    def gather(self, terms: NDArray[np.int32]) -> tuple[NDArray[np.int32], NDArray[np.int64]]:
        """Profiles whose query holds one of ``terms`` and, for each hit, the position
        in ``terms`` of the term, term by term."""
        if len(terms) == 0:
            return np.zeros(0, np.int32), np.zeros(0, np.int64)
        starts, ends = self.col_ptr[terms], self.col_ptr[terms + 1]
        take = _ranges(starts, ends)
        which = np.repeat(np.arange(len(terms), dtype=np.int64), ends - starts)
        return self.col_rows[take], which


def select_queries(profiles: Tokenized, bm25: Bm25, limit: int = QUERY_TERMS) -> Queries:
    """The top ``limit`` terms of each profile by tf·idf in the posting corpus."""
    n = len(profiles.ids)
    n_terms = len(bm25.docs.vocab)
    to_posting = np.fromiter(
        (bm25.docs.lookup.get(token, -1) for token in profiles.vocab),
        dtype=np.int64,
        count=len(profiles.vocab),
    )
    rows = _rows_of(profiles.indptr).astype(np.int64)
    mapped = to_posting[profiles.terms] if len(profiles.terms) else np.zeros(0, np.int64)
    keep = mapped >= 0
    rows, terms = rows[keep], mapped[keep]
    score = profiles.counts[keep].astype(np.float64) * bm25.idf[terms]
    order = np.lexsort((terms, -score, rows))
    rows, terms = rows[order], terms[order]
    starts = np.searchsorted(rows, np.arange(n))
    rank = np.arange(len(rows)) - starts[rows]
    chosen = rank < limit
    rows, terms = rows[chosen], terms[chosen]
    order = np.lexsort((terms, rows))
    rows = rows[order]
    query_terms = terms[order].astype(np.int32)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    idf_sum = np.bincount(rows, weights=bm25.idf[query_terms], minlength=n)
    norm = np.divide(1.0, idf_sum, out=np.zeros(n), where=idf_sum > 0)
    by_term = np.argsort(query_terms, kind="stable")
    col_ptr = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(np.bincount(query_terms, minlength=n_terms), out=col_ptr[1:])
    return Queries(indptr, query_terms, norm, col_ptr, rows[by_term].astype(np.int32))
