"""Compliance's rule 一键式紧急报警与公安联网 reads a supervised device's real state (issue 16
item 6): where heartbeats exist, an online device counts as networked whatever its registered
flag, an offline one does not; a device without heartbeats keeps the registered flag. Schools
asks the alarms module through its fact (``Module.facts``), never importing it."""

import datetime as dt

import pytest
from django.utils import timezone

from huxiao.alarms import services_supervision as supervision
from huxiao.core import modules
from huxiao.schools import compliance
from huxiao.schools import services as school_services
from huxiao.schools.models import School

from .supervision_support import INTERVAL

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _interval(settings):
    settings.ALARMS_HEARTBEAT_INTERVAL_SECONDS = INTERVAL


def _networked(school):
    facts = compliance.facts_for(school)
    status = (
        compliance.with_facts(School.objects.filter(pk=school.pk), compliance.current())
        .values_list("alarm_networked_status", flat=True)
        .get()
    )
    result = next(r for r in compliance.results_for(school) if r.code == "alarm_networked")
    assert result.status == status
    return facts.alarms_networked, status


def test_the_alarms_module_answers_the_fact():
    assert modules.has_fact("alarms_networked")


def test_without_heartbeats_the_registered_flag_decides(devices):
    a, b = devices
    school_services.device_update(device=b.device, networked_police=False)
    assert _networked(a.school) == (1, "pass")
    assert _networked(b.school) == (0, "fail")


def test_with_heartbeats_the_real_state_decides(devices):
    a, b = devices
    # school_b's device is registered as not networked, but it sends heartbeats: it is.
    school_services.device_update(device=b.device, networked_police=False)
    t0 = timezone.now() - dt.timedelta(hours=1)
    for d in devices:
        supervision.heartbeat_record(credential=d.credential, at=t0)
    assert _networked(b.school) == (1, "pass")
    # school_a's device is registered as networked, but it went silent: it is not.
    supervision.supervision_check(now=t0 + dt.timedelta(seconds=INTERVAL + 1))
    assert _networked(a.school) == (0, "fail")
    # Back online, it counts again.
    supervision.heartbeat_record(credential=a.credential, at=timezone.now())
    assert _networked(a.school) == (1, "pass")


def test_a_disabled_credential_falls_back_to_the_flag(devices):
    from huxiao.alarms.models import DeviceCredential

    a = devices[0]
    supervision.heartbeat_record(credential=a.credential, at=timezone.now())
    DeviceCredential.objects.filter(pk=a.credential.pk).update(is_active=False)
    assert _networked(a.school) == (1, "pass")
    school_services.device_update(device=a.device, networked_police=False)
    assert _networked(a.school) == (0, "fail")
