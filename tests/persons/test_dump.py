"""Acceptance: a dump of the database holds no plaintext ID number, phone or address of
any key person (nor the phone's digits, nor the dispute's parties)."""

import shutil
import subprocess

from django.db import connection

from huxiao.persons import services, watchlist
from tests.persons.conftest import ADDRESS_A, ID_A, ID_B, PHONE_A


def _dump() -> str:
    if connection.vendor == "sqlite":
        return "\n".join(connection.connection.iterdump())
    settings = connection.settings_dict
    if shutil.which("pg_dump"):
        env = {"PGPASSWORD": settings.get("PASSWORD") or ""}
        args = ["pg_dump", "--data-only", "-h", settings.get("HOST") or "127.0.0.1"]
        args += ["-p", str(settings.get("PORT") or 5432), "-U", settings.get("USER") or "postgres"]
        # The test runs inside a transaction pg_dump cannot see: fall back below if empty.
        done = subprocess.run([*args, settings["NAME"]], capture_output=True, env=env, check=False)  # noqa: S603
        if done.returncode == 0 and "persons_keyperson" in done.stdout.decode():
            text = done.stdout.decode()
            if "测试甲某" in text:
                return text
    return _select_every_text_column()


def _select_every_text_column() -> str:
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for col in connection.introspection.get_table_description(cursor, table):
                cursor.execute(f'SELECT CAST("{col.name}" AS TEXT) FROM "{table}"')  # noqa: S608
                chunks.extend(str(v) for (v,) in cursor.fetchall() if v is not None)
    return "\n".join(chunks)


def test_the_dump_holds_no_identity_in_clear(person_a, person_b, people, schools):
    # Exercise the paths that write about a person: follow-up, watchlist, dispute, reveal.
    services.follow_up_create(
        person=person_a,
        actor=people.officer_a,
        date=person_a.listed_on,
        method="visit",
        observations="情绪平稳",
        whereabouts=ADDRESS_A,
    )
    watchlist.watchlist_match(actor=people.guard, id_number=ID_A, school=schools[0])
    services.dispute_create(
        school=schools[0],
        kind="home_school",
        parties=f"家长测试甲某 {PHONE_A}",
        summary="因学生受伤赔偿产生纠纷",
        responsible_kind="school",
        threat_of_revenge=True,
        key_person=person_a,
        actor=people.officer_a,
    )
    from huxiao.persons.selectors import key_person_reveal

    key_person_reveal(user=people.officer_a, person=person_a, reason="核查")
    dump = _dump()
    assert "测试甲某" in dump  # the dump really has the rows (names are not encrypted)
    for secret in (ID_A, ID_B, PHONE_A, "13800005678", ADDRESS_A, "测试路88号", "样例街1号"):
        assert secret not in dump, secret
    assert "26.581" not in dump  # the home location
