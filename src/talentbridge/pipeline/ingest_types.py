"""Plain types shared by the posting-ingestion steps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from talentbridge.pipeline.normalize import PostingDraft

BATCH_SIZE = 1000

Progress = Callable[[int, int], None]
BatchHook = Callable[[Session, Sequence[tuple[int, PostingDraft]]], None]
"""Called inside each batch's transaction with (posting id, draft) of new postings."""


@dataclass(frozen=True)
class Origin:
    """Where a batch of rows comes from: a file, an upload or an API request."""

    kind: str  # file | upload | api | form
    name: str  # file name or a label
    sha256: str  # content hash of the file or request: the idempotency key
    source: str  # board or channel name, e.g. 51job, board-a, api


@dataclass
class IngestOptions:
    reference: dt.date
    organization_id: int | None = None  # set: every posting must be this employer's
    user_id: int | None = None
    batch_size: int = BATCH_SIZE
    on_new_postings: BatchHook | None = None
    tag: bool = True  # extract skills and classify the occupation of new postings
    refresh_demand: bool = False  # count new postings into the demand cube at the end
