"""Exceptions that pages and the API translate into specific answers."""

from __future__ import annotations


class ConflictError(Exception):
    """Someone else changed the record since the writer read it (HTTP 409).

    Raised by services that take an ``expected_version``: the second of two concurrent
    writers gets this clear message instead of silently overwriting the first.
    """

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
