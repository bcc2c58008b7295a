"""A second factor for police roles (issue 13, item 3): TOTP enrolled by QR code, recovery
codes, enforced after the password, reset by the security administrator; API tokens still
work but are made only from a session that passed it; the demo prints its accounts' codes."""

from __future__ import annotations

import base64
import datetime as dt
import re

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from huxiao.core import secondfactor, services
from huxiao.core.models import AuditRecord, Notification, Role
from tests.conftest import PASSWORD

STEP = "/login/second-factor/"


@pytest.fixture(autouse=True)
def second_factor_on(settings):
    settings.SECOND_FACTOR = True
    # django-otp slows down guesses (1 s, 2 s, 4 s … after each wrong code); the tests make
    # their wrong guesses on purpose and go on at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def _sign_in(username: str) -> Client:
    client = Client()
    response = client.post("/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def _code_for(secret_b32: str) -> str:
    return f"{totp(base64.b32decode(secret_b32)):06d}"


def _enrol(client) -> tuple[str, list[str], str]:
    """Scan, confirm with the first code: (secret, recovery codes, the code used)."""
    page = client.get(STEP).content.decode()
    assert "<svg" in page  # the QR code
    secret = re.search(r'data-testid="secret">([A-Z2-7=]+)<', page).group(1)
    used = _code_for(secret)
    done = client.post(STEP, {"token": used, "next": "/"})
    assert done.status_code == 200
    codes = re.findall(r"<li class=\"col\">(\d{8})</li>", done.content.decode())
    return secret, codes, used


def test_an_officer_enrols_an_authenticator_and_signs_in_with_its_code(people):
    client = _sign_in("officer_a")
    # The password alone opens nothing: pages go to the step, the API does not accept it.
    hazards = client.get("/inspections/hazards/")
    assert hazards.status_code == 302 and hazards.url.startswith(STEP)
    assert client.get("/api/v1/me").status_code == 401
    wrong = client.post(STEP, {"token": "000000"})
    assert wrong.status_code == 400 and "动态口令不正确" in wrong.content.decode()
    secret, codes, used = _enrol(client)
    assert len(codes) == 10
    assert client.get("/inspections/hazards/").status_code == 200
    assert client.get("/api/v1/me").status_code == 200

    # The next sign-in asks for the code (no new enrolment), or a recovery code once. A code
    # already used does not open a second session: the next one, 30 s later, does.
    again = _sign_in("officer_a")
    assert "输入动态口令" in again.get(STEP).content.decode()
    assert again.post(STEP, {"token": used, "next": "/"}).status_code == 400  # a replay
    with time_machine.travel(dt.timedelta(seconds=31)):
        assert again.post(STEP, {"token": _code_for(secret), "next": "/"}).status_code == 302
    spare = _sign_in("officer_a")
    assert spare.post(STEP, {"token": codes[0], "next": "/"}).status_code == 302
    reused = _sign_in("officer_a")
    assert reused.post(STEP, {"token": codes[0], "next": "/"}).status_code == 400
    assert AuditRecord.objects.filter(
        object_type="core.user", object_id=str(people.officer_a.pk), after__second_factor="enrolled"
    ).exists()


def test_a_role_without_the_second_factor_never_sees_the_step(people):
    assert not Role.objects.get(code="education_officer").requires_second_factor
    client = _sign_in("edu_officer")
    assert client.get("/").status_code == 200
    assert client.get(STEP).status_code == 302


def test_every_police_role_requires_it_by_default(db):
    police = Role.objects.filter(is_police=True)
    assert police.exists() and all(role.requires_second_factor for role in police)


def test_a_token_is_made_only_from_a_session_that_passed_the_second_factor(people):
    client = _sign_in("officer_a")
    _enrol(client)
    made = client.post("/api/v1/tokens", {"name": "集成"}, content_type="application/json")
    assert made.status_code == 201
    bearer = Client(HTTP_AUTHORIZATION=f"Bearer {made.json()['token']}")
    assert bearer.get("/api/v1/me").status_code == 200  # integrations keep working
    again = bearer.post("/api/v1/tokens", {"name": "再造"}, content_type="application/json")
    assert again.status_code == 403 and "双因素" in again.json()["detail"]


def test_the_security_administrator_resets_a_lost_authenticator(people, secadmin):
    _enrol(_sign_in("officer_a"))
    assert secondfactor.enrolled(people.officer_a)
    admin = _sign_in(secadmin.username)
    _enrol(admin)  # the security administrator passes its own second factor first
    # It finds the account among the holders of its role (it has no account pages).
    holders = admin.get(f"/system/roles/{people.officer_a.role_id}/").content.decode()
    reset_url = f"/system/users/{people.officer_a.pk}/reset-second-factor/"
    assert reset_url in holders
    response = admin.post(reset_url)
    assert response.status_code == 302
    assert not secondfactor.enrolled(people.officer_a)
    assert AuditRecord.objects.filter(
        object_id=str(people.officer_a.pk), actor=secadmin, after__second_factor="reset"
    ).exists()
    assert Notification.objects.filter(recipient=people.auditor, title="双因素认证已重置").exists()
    # The system administrator has no such action.
    sysadmin = Client()
    sysadmin.force_login(people.admin)
    refused = sysadmin.post(f"/system/users/{people.officer_a.pk}/reset-second-factor/")
    assert refused.status_code == 403
    assert TOTPDevice.objects.filter(user=people.officer_a).count() == 0  # nothing to undo
    assert not AuditRecord.objects.filter(actor=people.admin, after__second_factor="reset").exists()


def test_the_demo_prints_a_demo_accounts_code_and_nothing_else(people, settings, capsys):
    with pytest.raises(CommandError, match="不是演示账号"):
        call_command("otp", "code", "officer_a")
    people.edu_officer.is_demo = True
    people.edu_officer.save(update_fields=["is_demo"])
    with pytest.raises(CommandError, match="无需动态口令"):
        call_command("otp", "code", "edu_officer")
    demo = services.user_create(
        username="officer01",
        password=PASSWORD,
        organization=people.officer_a.organization,
        role=people.officer_a.role,
        is_demo=True,
        must_change_password=False,
    )
    call_command("otp", "code", "officer01")
    code = capsys.readouterr().out.strip()
    assert re.fullmatch(r"\d{6}", code)
    client = _sign_in("officer01")
    assert client.post(STEP, {"token": code, "next": "/"}).status_code == 302
    assert secondfactor.enrolled(demo)
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="生产环境"):
        call_command("otp", "code", "officer01")
