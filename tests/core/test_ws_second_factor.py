"""A live socket asks for what the pages ask for (found by the scale-out rehearsal): a police
officer who has typed the password but not passed the second factor gets no alarm console and
no notification socket; the same session once verified does."""

import pytest
from asgiref.sync import async_to_sync
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.core.test_realtime import connect_as

pytestmark = pytest.mark.django_db(transaction=True)

PATHS = ("/ws/notifications/", "/ws/alarms/")


@pytest.fixture(autouse=True)
def second_factor_on(settings):
    settings.SECOND_FACTOR = True


def _opens(user, path, **session):
    async def go():
        communicator, connected, code = await connect_as(user, path, **session)
        if connected:
            await communicator.disconnect()
        return connected, code

    return async_to_sync(go)()


@pytest.mark.parametrize("path", PATHS)
def test_the_password_alone_opens_no_socket(people, path):
    officer = people.officer_a
    assert officer.role.requires_second_factor
    assert _opens(officer, path) == (False, 4401)
    # another user's device in the session does not count either
    other = TOTPDevice.objects.create(user=people.officer_b, name="b", confirmed=True)
    assert _opens(officer, path, **{DEVICE_ID_SESSION_KEY: other.persistent_id}) == (False, 4401)


@pytest.mark.parametrize("path", PATHS)
def test_a_session_that_passed_the_second_factor_opens_it(people, path):
    officer = people.officer_a
    device = TOTPDevice.objects.create(user=officer, name="a", confirmed=True)
    connected, _code = _opens(officer, path, **{DEVICE_ID_SESSION_KEY: device.persistent_id})
    assert connected


def test_a_role_without_the_second_factor_needs_only_the_password(people):
    chief = people.chief
    assert not chief.role.requires_second_factor
    assert _opens(chief, "/ws/notifications/")[0]
