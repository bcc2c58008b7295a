"""“My tasks” gathers every module's providers, nearest deadline first."""

import datetime as dt

from huxiao.core import worklist


def test_it_orders_items_by_deadline_with_undated_last(people, monkeypatch):
    def first(user):
        yield worklist.WorkItem("x", "X", "late", "/late/", due=dt.date(2030, 1, 5))
        yield worklist.WorkItem("x", "X", "undated", "/u/")

    def second(user):
        yield worklist.WorkItem("y", "Y", "soon", "/soon/", due=dt.date(2030, 1, 1))

    monkeypatch.setattr(worklist, "providers", lambda: [first, second])

    titles = [i.title for i in worklist.items_for(people.officer_a)]
    assert titles == ["soon", "late", "undated"]


def test_it_gives_an_anonymous_user_nothing(monkeypatch):
    from django.contrib.auth.models import AnonymousUser

    assert worklist.items_for(AnonymousUser()) == []
