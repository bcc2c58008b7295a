"""This module's rows of the permission matrix (tests/permission_matrix gathers them)."""

from tests.permission_matrix.matrix import UNAUTHORISED, Table

# The outsider holds the 民警 role in a security company: the permission, no jurisdiction.
_ROWS = {"officer_a": 200, "officer_b": 200, "outsider": 200, "edu_officer": 403, "chief": 403}

PAGES = {"probe:index": Table(rows=_ROWS)}
API = {("GET", "/api/v1/probe"): Table(rows=_ROWS, anonymous=UNAUTHORISED)}
