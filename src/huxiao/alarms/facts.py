"""Facts the alarms module answers for modules below it (``Module.facts``)."""

from django.db.models import Exists, OuterRef, Q

from huxiao.alarms.models import DeviceOutage


def alarms_networked(alarms):
    """The one-key alarms among ``alarms`` (a ``schools.Device`` queryset) networked to the
    police, for compliance's rule 一键式紧急报警与公安联网 (SPEC 2.1; issue 16 item 6).

    Where heartbeats exist the device's real state decides: a supervised device (an active
    credential that has sent a heartbeat) counts while it is online (no open outage),
    whatever its static flag says. A device without heartbeats keeps the registered flag
    ``networked_police``. The state is the outages the supervision task records, not the clock,
    so the fact stays one expression a day (compliance builds its annotations once per day).
    """
    supervised = Q(
        alarm_credential__is_active=True, alarm_credential__last_heartbeat_at__isnull=False
    )
    offline = Exists(DeviceOutage.objects.filter(device=OuterRef("pk"), ended_at__isnull=True))
    return alarms.filter((supervised & ~offline) | (~supervised & Q(networked_police=True)))
