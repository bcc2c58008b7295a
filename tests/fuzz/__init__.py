"""Schemathesis over the whole OpenAPI document (``make fuzz``, run by .ci/run)."""
