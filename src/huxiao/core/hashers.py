"""The password hasher: Argon2id with the OWASP Password Storage Cheat Sheet's parameters.

Django's own Argon2 parameters (t=2, m=100 MiB, p=8) cost 147 ms a verification on the
2-core reference machine and 286 ms when two people sign in at once: eight lanes on two cores
buy nothing, and a sign-in waits for it (bench/login_bench.py, docs/performance.md "Login").
OWASP's first recommended configuration — m=47104 KiB (46 MiB), t=1, p=1 — costs 66 ms there.

The algorithm name stays ``argon2``: hashes made with Django's parameters still verify, and
Django rehashes each with these on the user's next sign-in (``must_update``).
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher

# OWASP Password Storage Cheat Sheet, Argon2id: "m=47104 (46 MiB), t=1, p=1" or an equivalent
# trade-off of memory and passes — (memory KiB, passes) pairs of equal strength.
OWASP_MINIMUMS = ((47104, 1), (19456, 2), (12288, 3), (9216, 4), (7168, 5))


class Argon2Hasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 47104
    parallelism = 1


def meets_owasp_minimum(*, memory_cost: int, time_cost: int, parallelism: int) -> bool:
    """True when (memory, passes) is at or above one of OWASP's configurations (p ≥ 1)."""
    return parallelism >= 1 and any(
        memory_cost >= memory and time_cost >= passes for memory, passes in OWASP_MINIMUMS
    )
