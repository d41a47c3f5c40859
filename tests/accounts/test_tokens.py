from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from talentbridge.accounts.tokens import issue_token, list_tokens, revoke_token, user_for_token
from talentbridge.errors import NotFound, TalentBridgeError
from talentbridge.store.tables import ApiToken, User


@pytest.fixture()
def user(session: Session) -> User:
    row = User(username="api-user", display_name="API", password_hash="x", role="platform_admin")
    session.add(row)
    session.commit()
    return row


def test_only_the_sha256_of_a_token_is_stored(session: Session, user: User) -> None:
    token = issue_token(session, user_id=user.id, name="etl")
    stored = session.scalars(select(ApiToken)).one()
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {stored.token_hash, stored.name}


def test_token_finds_its_user_and_records_use(session: Session, user: User) -> None:
    token = issue_token(session, user_id=user.id, name="etl")
    (row,) = list_tokens(session, user_id=user.id)
    assert row.last_used_at is None
    assert user_for_token(session, token) is user
    assert row.last_used_at is not None


def test_revoked_unknown_and_inactive_tokens_find_no_one(session: Session, user: User) -> None:
    token = issue_token(session, user_id=user.id, name="etl")
    other = issue_token(session, user_id=user.id, name="bi")
    assert user_for_token(session, token[:-1] + "x") is None
    assert user_for_token(session, "not-ours") is None
    (first, _) = list_tokens(session, user_id=user.id)
    revoke_token(session, token_id=first.id, user_id=user.id)
    assert user_for_token(session, token) is None
    assert user_for_token(session, other) is user
    user.is_active = False
    assert user_for_token(session, other) is None


def test_revoking_someone_elses_token_is_not_found(session: Session, user: User) -> None:
    issue_token(session, user_id=user.id, name="etl")
    (row,) = list_tokens(session, user_id=user.id)
    with pytest.raises(NotFound):
        revoke_token(session, token_id=row.id, user_id=user.id + 1)


def test_token_needs_a_name_and_a_user(session: Session, user: User) -> None:
    with pytest.raises(TalentBridgeError):
        issue_token(session, user_id=user.id, name="  ")
    with pytest.raises(NotFound):
        issue_token(session, user_id=user.id + 100, name="x")
