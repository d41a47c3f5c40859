"""Tables of issue 9 (trust): consent records, server-side sign-in sessions and login
attempts.

Consent records are append-only evidence of what a person agreed to (PIPL art. 14:
purpose, time and the version of the notice they saw); the current state is also kept
on ``Profile`` (``visible_to_employers``, ``ranking_opt_out``) so matching reads one
column. Sessions are rows so that logout, "log out everywhere" and expiry take effect on
the server, not only in a browser's cookie jar; the cookie holds a random token whose
SHA-256 is ``token_hash``. Login attempts feed the rate limit and lockout, shared by
every worker because they live in the store.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from talentbridge.store.tables import Base, utcnow


class ConsentRecord(Base):
    """One grant or withdrawal of consent by (or on behalf of) the person of a profile."""

    __tablename__ = "consent_record"
    __table_args__ = (Index("ix_consent_record_profile_purpose", "profile_id", "purpose", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profile.id", ondelete="CASCADE"))
    # employer_visibility | automated_ranking | resume_processing (privacy.consent.PURPOSES)
    purpose: Mapped[str] = mapped_column(String(40))
    granted: Mapped[bool] = mapped_column(Boolean)
    notice_version: Mapped[str] = mapped_column(String(20))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    actor_user_id: Mapped[int | None] = mapped_column(Integer)  # who recorded it
    channel: Mapped[str] = mapped_column(String(20))  # web | api | import | cli | demo


class UserSession(Base):
    """A signed-in browser session; the cookie carries the token, the store its hash."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)  # absolute limit
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    ip: Mapped[str | None] = mapped_column(String(45), info={"personal": "online"})
    user_agent: Mapped[str | None] = mapped_column(String(200), info={"personal": "online"})


class LoginAttempt(Base):
    """One sign-in attempt (by form or API), for rate limits and lockout."""

    __tablename__ = "login_attempt"
    __table_args__ = (
        Index("ix_login_attempt_username_at", "username", "at"),
        Index("ix_login_attempt_ip_at", "ip", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    username: Mapped[str] = mapped_column(String(64), info={"personal": "identifier"})
    ip: Mapped[str | None] = mapped_column(String(45), info={"personal": "online"})
    succeeded: Mapped[bool] = mapped_column(Boolean)
