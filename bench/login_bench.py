"""Login benchmark (not a test): where the time of a sign-in goes (docs/performance.md "Login").

    .venv/bin/python bench/login_bench.py                    # SQLite in a temp dir
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_login \\
        .venv/bin/python bench/login_bench.py                # PostgreSQL (db recreated)

Issue 14 saw a sign-in take 0.8–2.4 s on the demo. This measures, on this machine:
1. Argon2id verification alone for Django's parameters (what the platform uses) and for the
   OWASP Password Storage Cheat Sheet's minimum configurations, single-threaded and with
   another verification running on the other core at the same moment (two people signing in).
2. ``POST /login/`` in-process through the test client (median of N) for demo logins of each
   kind, on the seeded demo city, split by a profile (the functions' own time) into the
   password check, django-axes (the lockout check, the attempt records), the session and
   在线用户 records, and the rest.
3. The page the sign-in redirects to (home, or the second factor for police roles), which the
   user waits for too.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import patrols_bench as pb  # noqa: E402  (configure: SQLite or PostgreSQL)

PASSWORD = "Bench#2026pw"
REPEAT = int(os.environ.get("BENCH_REPEAT", "15"))
# (name, time_cost, memory_cost KiB, parallelism)
PARAMETERS = (
    ("Django's default (before)", 2, 102400, 8),
    ("OWASP m=46 MiB, t=1, p=1 (used)", 1, 47104, 1),
    ("OWASP m=19 MiB, t=2, p=1", 2, 19456, 1),
    ("OWASP m=12 MiB, t=3, p=1", 3, 12288, 1),
)


def median_ms(fn, repeat: int = REPEAT) -> float:
    """The median milliseconds of ``repeat`` calls of ``fn`` (the list bench uses it too)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def argon2_figures() -> list[tuple[str, float, float]]:
    """(parameters, ms alone, ms with a second verification on the other core)."""
    import argon2

    rows = []
    for name, t, m, p in PARAMETERS:
        hasher = argon2.PasswordHasher(time_cost=t, memory_cost=m, parallelism=p)
        encoded = hasher.hash(PASSWORD)

        def verify(hasher=hasher, encoded=encoded):
            hasher.verify(encoded, PASSWORD)

        alone = median_ms(verify, 7)
        times = []
        for _ in range(5):
            done = []
            other = threading.Thread(target=verify)  # argon2-cffi releases the GIL
            start = time.perf_counter()
            other.start()
            verify()
            done.append(time.perf_counter() - start)
            other.join()
            times.append(done[0])
        rows.append((name, alone, statistics.median(times) * 1000))
    return rows


def build() -> None:
    """The demo city, as `make demo` seeds it (its logins are the ones issue 14 timed)."""
    from huxiao.demo.generator import DEFAULT_PASSWORD, seed_demo

    global PASSWORD
    PASSWORD = DEFAULT_PASSWORD
    seed_demo(password=DEFAULT_PASSWORD)


# Entry points whose cumulative time is each part (file, function); parts do not nest.
GROUPS = (
    ("password check (argon2)", (("auth/hashers.py", "check_password"),)),
    (
        "django-axes (lockout check, attempt records)",
        (("axes/backends.py", "authenticate"), ("axes/handlers/proxy.py", "user_logged_in")),
    ),
    ("sign-in records (session, 在线用户, audit)", (("core/signals.py", "_log_login"),)),
)
USERS = ("school01", "edu01", "officer01", "commander")


def login_figures(username: str) -> dict:
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    url = reverse("core:login")

    def login():
        client = Client()
        response = client.post(url, {"username": username, "password": PASSWORD})
        assert response.status_code == 302, (username, response.status_code)
        return client, response["Location"]

    login()  # warm
    total = median_ms(login)
    client, target = login()
    final = client.get(target, follow=True)
    assert final.status_code == 200, (username, final.status_code)
    if final.redirect_chain:
        target = final.redirect_chain[-1][0]
    landing = median_ms(lambda: client.get(target))

    profile = cProfile.Profile()
    profile.enable()
    for _ in range(5):
        login()
    profile.disable()
    stats = pstats.Stats(profile)
    whole = max(ct for (_cc, _nc, _tt, ct, _callers) in stats.stats.values())
    parts = {}
    for label, entries in GROUPS:
        spent = 0.0
        for where, name in entries:
            spent += max(
                (
                    ct
                    for (filename, _line, func), (_cc, _nc, _tt, ct, _c) in stats.stats.items()
                    if func == name and filename.endswith(where)
                ),
                default=0.0,
            )
        # The profile slows every call alike: its shares, scaled to the unprofiled median.
        parts[label] = spent / whole * total if whole else 0.0
    return {"login": total, "landing": landing, "target": target, "parts": parts}


def main() -> None:
    vendor, _var_dir = pb.configure()
    from django.contrib.auth.hashers import get_hasher

    hasher = get_hasher()
    print(
        f"database: {vendor}; hasher: {hasher.algorithm} t={hasher.time_cost} "
        f"m={hasher.memory_cost} KiB p={hasher.parallelism}; cores: {os.cpu_count()}"
    )
    print("\nArgon2id verification (ms, median):")
    print("| Parameters | Alone | Two at once |")
    print("|---|---|---|")
    for name, alone, two in argon2_figures():
        print(f"| {name} | {alone:.0f} | {two:.0f} |")
    started = time.perf_counter()
    build()
    print(f"\ndemo seeded in {time.perf_counter() - started:.0f} s")
    print("\n| Login | POST /login/ | argon2 | axes | session | Then GET | ms |")
    print("|---|---|---|---|---|---|---|")
    for username in USERS:
        f = login_figures(username)
        parts = list(f["parts"].values())
        print(
            f"| {username} | {f['login']:.0f} | {parts[0]:.0f} | {parts[1]:.0f} | {parts[2]:.0f} "
            f"| {f['target']} | {f['landing']:.0f} |"
        )


if __name__ == "__main__":
    main()
