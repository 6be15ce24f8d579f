"""The refusal every door raises: a message for the person who asked, and the HTTP status
the API and the pages answer with (422 for bad input unless said otherwise)."""

from __future__ import annotations


class ActionError(ValueError):
    """A request that cannot be carried out, with a message for the person who made it."""

    def __init__(self, message: str, *, field: str | None = None, status: int = 422) -> None:
        super().__init__(message)
        self.field = field
        self.status = status
