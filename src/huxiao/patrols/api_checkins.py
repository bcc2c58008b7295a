"""Check-in API (issue 6, being written)."""

from ninja import Router

router = Router(tags=["patrols"])
