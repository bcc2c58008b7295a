"""A database too busy to take a write (a lock wait that ran out) answers 503 with Retry-After
and a Chinese message, on the API and on pages — never 500."""

from django.db import OperationalError
from django.urls import reverse

from huxiao.core import services
from huxiao.core.views.errors import database_busy


class _LockNotAvailable(Exception):
    sqlstate = "55P03"  # PostgreSQL's lock_not_available


def _locked(*args, **kwargs):
    raise OperationalError("database is locked")


def test_it_knows_a_busy_database_from_another_failure():
    assert database_busy(OperationalError("database is locked"))
    wrapped = OperationalError("canceling statement due to lock timeout")
    wrapped.__cause__ = _LockNotAvailable()
    assert database_busy(wrapped)
    assert not database_busy(OperationalError("no such table: x"))
    assert not database_busy(ValueError("database is locked"))


def test_the_api_answers_503_with_retry_after(client_for, monkeypatch):
    monkeypatch.setattr(services, "notification_mark_read", _locked)
    response = client_for("officer_a").post(
        "/api/v1/notifications/read", {"ids": []}, content_type="application/json"
    )
    assert response.status_code == 503, response.content
    assert response["Retry-After"] == "2"
    assert response.json()["detail"] == "系统繁忙，本次操作未保存，请 2 秒后重试。"


def test_the_api_still_answers_500_for_another_database_failure(client_for, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("no such table: core_notification")

    monkeypatch.setattr(services, "notification_mark_read", broken)
    client = client_for("officer_a")
    response = client.post(
        "/api/v1/notifications/read", {"ids": []}, content_type="application/json"
    )
    assert response.status_code == 500
    assert "Retry-After" not in response


def test_a_page_answers_503_with_retry_after(client_for, monkeypatch):
    monkeypatch.setattr(services, "notification_mark_read", _locked)
    client = client_for("officer_a")
    response = client.post(reverse("core:notification_read_all"))
    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert "系统繁忙，本次操作未保存" in response.content.decode()
