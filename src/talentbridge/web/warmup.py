"""Build the matching index in the background when a server starts.

The first "jobs for me" of a fresh process would otherwise wait for the whole index:
reading every posting and profile from the store and building the arrays (the token
counts come from ``matching.token_cache``, so only texts changed since the last build
are segmented; about 12 s of CPU at 100,000 postings, see docs/benchmarks.md, "Cold
start"). ``talentbridge serve`` starts this thread so that the first visitor finds it
ready, or nearly. A failure is logged, never raised: the index is then built by the
first request that needs it.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy.orm import Session, sessionmaker

from talentbridge.matching.index import index_for

log = logging.getLogger(__name__)


def warm_matching_index(factory: sessionmaker[Session]) -> threading.Thread:
    """Start (and return) a daemon thread that builds the store's matching index."""

    def build() -> None:
        try:
            index_for(factory)
        except Exception:  # the first request builds it instead
            log.warning("could not build the matching index in the background", exc_info=True)

    thread = threading.Thread(target=build, name="matching-index-warmup", daemon=True)
    thread.start()
    return thread
