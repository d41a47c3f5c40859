"""Named errors. Each carries a message fit to show a user as it is."""

from __future__ import annotations


class TalentBridgeError(Exception):
    """Base of every error the CLI and web edge turn into a user message."""


class InputFileError(TalentBridgeError):
    """A file cannot be read at all (missing, wrong encoding, malformed, missing columns)."""

    def __init__(self, path: object, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class NotFound(TalentBridgeError):
    """A record does not exist (or may not be seen by the caller)."""


class Forbidden(TalentBridgeError):
    """The caller may not do this."""


class Conflict(TalentBridgeError):
    """The change conflicts with what is stored (duplicate key and the like)."""
