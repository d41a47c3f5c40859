from __future__ import annotations

from argon2 import PasswordHasher

from talentbridge.accounts.passwords import (
    ALL_DIGITS,
    SAME_AS_USERNAME,
    TOO_COMMON,
    TOO_SHORT,
    TOO_SIMPLE,
    common_passwords,
    hash_password,
    needs_rehash,
    password_problems,
    verify_password,
)


def test_hash_verifies_only_the_right_password() -> None:
    hashed = hash_password("a-long-password")
    assert hashed.startswith("$argon2id$")
    assert "a-long-password" not in hashed
    assert verify_password(hashed, "a-long-password")
    assert not verify_password(hashed, "a-long-passwore")


def test_same_password_hashes_differently_each_time() -> None:
    assert hash_password("a-long-password") != hash_password("a-long-password")


def test_malformed_hash_never_verifies() -> None:
    assert not verify_password("not-a-hash", "anything")
    assert needs_rehash("not-a-hash")


def test_weaker_hash_needs_rehash() -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash("a-long-password")
    assert needs_rehash(weak)
    assert not needs_rehash(hash_password("a-long-password"))
    # a hash made with argon2-cffi's heavier default is re-made too (to the set cost)
    assert needs_rehash(PasswordHasher().hash("a-long-password"))


def test_hashes_are_argon2id_with_the_owasp_setting() -> None:
    encoded = hash_password("a-long-password")
    assert encoded.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert verify_password(encoded, "a-long-password")
    assert not verify_password(encoded, "a-long-passwore")


def test_password_rules() -> None:
    assert password_problems("short") == [TOO_SHORT, TOO_SIMPLE]
    assert password_problems("Short-1") == [TOO_SHORT]
    assert password_problems("12345678901") == [ALL_DIGITS]
    assert password_problems("teacher_wang", username="Teacher_Wang") == [SAME_AS_USERNAME]
    assert password_problems("123") == [TOO_SHORT, ALL_DIGITS]
    assert password_problems("logistics-2024", username="wang") == []


def test_common_passwords_are_refused_whatever_their_case() -> None:
    for common in ("woaini1314", "qq123456789", "a123456789", "1qaz2wsx3edc", "Password123"):
        assert TOO_COMMON in password_problems(common), common
    assert TOO_COMMON not in password_problems("logistics-2024")


def test_the_bundled_list_is_about_two_hundred_entries_and_folded() -> None:
    listed = common_passwords()
    assert 180 <= len(listed) <= 400
    assert all(entry == entry.casefold() and entry.strip() == entry for entry in listed)
    assert "qwertyuiop" in listed and "5201314" in listed


def test_passwords_need_two_kinds_of_character() -> None:
    assert password_problems("onlylowercaseletters") == [TOO_SIMPLE]
    assert password_problems("ONLYUPPERCASELETTERS") == [TOO_SIMPLE]
    assert password_problems("lowerandUPPERcase") == []
    assert password_problems("物流管理专业学生2024") == []  # Chinese characters count as "other"
    assert password_problems("物流管理专业的学生们啊") == [TOO_SIMPLE]
