"""API tokens for programmatic clients (``Authorization: Bearer <token>``).

The token is shown once when issued; the store keeps only its SHA-256.
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentbridge.errors import NotFound, TalentBridgeError
from talentbridge.store.tables import ApiToken, User, utcnow

TOKEN_PREFIX = "tb_"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(session: Session, *, user_id: int, name: str) -> str:
    """A new token for the user; only its hash is stored."""
    name = name.strip()
    if not name or len(name) > 100:
        raise TalentBridgeError("a token needs a name of 1-100 characters")
    if session.get(User, user_id) is None:
        raise NotFound(f"user {user_id} does not exist")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user_id, name=name, token_hash=token_hash(token)))
    session.flush()
    return token


def user_for_token(session: Session, token: str) -> User | None:
    """The active user a live token belongs to (recording its use), or ``None``."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    row = session.scalars(
        select(ApiToken).where(ApiToken.token_hash == token_hash(token))
    ).one_or_none()
    if row is None or row.revoked_at is not None:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        return None
    row.last_used_at = utcnow()
    session.flush()
    return user


def list_tokens(session: Session, *, user_id: int) -> list[ApiToken]:
    stmt = select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id)
    return list(session.scalars(stmt))


def revoke_token(session: Session, *, token_id: int, user_id: int | None = None) -> None:
    """Revoke a token; when ``user_id`` is given it must own the token."""
    row = session.get(ApiToken, token_id)
    if row is None or (user_id is not None and row.user_id != user_id):
        raise NotFound(f"token {token_id} does not exist")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.flush()
