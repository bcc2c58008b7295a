"""core.prepared: a values_list statement compiled once, run with new values, answers exactly
what the QuerySet answers — on SQLite and on PostgreSQL (the PostgreSQL run of the suite)."""

import datetime as dt

import pytest
from django.db.models.sql.compiler import SQLCompiler

from huxiao.core.models import CalendarDay, Organization
from huxiao.core.prepared import PreparedValues

pytestmark = pytest.mark.django_db


def by_paths(paths, kind):
    return (
        Organization.objects.filter(path__in=paths, kind=kind)
        .order_by("pk")
        .values_list("pk", "code", "latitude", "created_at")
    )


ORGS = PreparedValues(by_paths, paths=[str], kind=str)


def test_it_answers_what_the_queryset_answers_for_any_values(city):
    for paths, kind in (
        ([city.station_a.path, city.station_b.path, city.school_a.path], "station"),
        ([city.school_a.path], "school"),
        ([city.school_a.path, city.school_b.path], "school"),
        (["/nowhere/"], "school"),
    ):
        # Decimals and aware date-times come back converted, as the QuerySet's do.
        assert ORGS.rows(paths=paths, kind=kind) == list(by_paths(paths, kind))
    assert ORGS.first(paths=["/nowhere/"], kind="school") is None


def test_dates_and_integers_are_parameters_too(db):
    days = [dt.date(2041, 5, 1) + dt.timedelta(days=i) for i in range(5)]
    CalendarDay.objects.bulk_create(
        CalendarDay(date=d, is_workday=i % 2 == 0, name="") for i, d in enumerate(days)
    )

    def build(after, workday_pk_above):
        return (
            CalendarDay.objects.filter(date__gt=after, pk__gt=workday_pk_above)
            .order_by("date")
            .values_list("date", "is_workday")
        )

    statement = PreparedValues(build, after=dt.date, workday_pk_above=int)
    for after in (days[0], days[2], days[4]):
        got = statement.rows(after=after, workday_pk_above=0)
        assert got == list(build(after, 0))
        assert all(isinstance(d, dt.date) and isinstance(w, bool) for d, w in got)


def test_it_compiles_once_per_shape(city, monkeypatch):
    statement = PreparedValues(by_paths, paths=[str], kind=str)
    compiled = []
    original = SQLCompiler.as_sql

    def counting(self, *args, **kwargs):
        compiled.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    for _ in range(3):
        statement.rows(paths=[city.station_a.path], kind="station")
        statement.rows(paths=[city.station_b.path], kind="station")
    assert len(compiled) == 1
    statement.rows(paths=[city.station_a.path, city.station_b.path], kind="station")
    assert len(compiled) == 2  # two paths: another shape, compiled once more


def test_a_parameter_the_statement_does_not_use_is_refused(db):
    statement = PreparedValues(lambda code: Organization.objects.values_list("pk"), code=str)
    with pytest.raises(ValueError, match="code"):
        statement.rows(code="x")
    with pytest.raises(TypeError):
        ORGS.rows(paths=["/a/"])


def test_aware_date_times_are_parameters_too(city):
    from django.utils import timezone

    def build(since):
        return Organization.objects.filter(created_at__gte=since).order_by("pk").values_list("pk")

    statement = PreparedValues(build, since=dt.datetime)
    now = timezone.now()
    for since in (now - dt.timedelta(days=1), now + dt.timedelta(days=1)):
        assert statement.rows(since=since) == list(build(since))
    assert statement.rows(since=now - dt.timedelta(days=1))  # the city was made just now
