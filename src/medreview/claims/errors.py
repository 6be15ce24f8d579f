"""The refusal every door raises: a message for the person who asked, and the HTTP status
the API and the pages answer with (422 for bad input unless said otherwise)."""

from __future__ import annotations


class ActionError(ValueError):
    """A request that cannot be carried out, with a message for the person who made it."""

    def __init__(self, message: str, *, field: str | None = None, status: int = 422) -> None:
        super().__init__(message)
        self.field = field
        self.status = status


def text_of(value: object, *, field: str, limit: int) -> str:
    """A person's text, stripped; refused (never cut short) when longer than `limit`."""
    text = str(value or "").strip()
    if len(text) > limit:
        raise ActionError(f"at most {limit:,} characters ({len(text):,} were sent)", field=field)
    return text
