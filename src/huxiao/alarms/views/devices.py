"""Device credentials: the one-key alarm devices in scope with their signing credential, and a
device's page to issue its first secret or rotate it. A secret is shown once, on the answer to
the POST that made it (never stored in the clear, never shown again); the page also lists the
device's refused posts for the operator."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from huxiao.alarms import rules, selectors, services
from huxiao.alarms.forms import CredentialForm
from huxiao.alarms.services_supervision import heartbeat_interval_seconds
from huxiao.core.views.generic import require

VIEW = "alarms.view_devicecredential"
ADD = "alarms.add_devicecredential"
CHANGE = "alarms.change_devicecredential"


@require(VIEW)
def device_list(request):
    devices = list(selectors.alarm_devices(user=request.user)[:500])
    for device in devices:
        device.credential = selectors.credential_of(device)
    return render(request, "alarms/device_list.html", {"devices": devices})


def _render(request, device, status=200, **extra):
    user = request.user
    context = {
        "device": device,
        "credential": selectors.credential_of(device),
        "form": extra.pop("form", None) or CredentialForm(initial={"place": device.area}),
        "rejections": selectors.device_rejections(user=user, device=device),
        "can_add": user.has_perm(ADD),
        "can_change": user.has_perm(CHANGE),
        "headers": (
            rules.HEADER_DEVICE,
            rules.HEADER_TIMESTAMP,
            rules.HEADER_NONCE,
            rules.HEADER_SIGNATURE,
        ),
        "replay_window": services.replay_window_seconds(),
        "rotation_hours": services.rotation_window_hours(),
        "supervision": selectors.device_supervision(
            device=device, default_interval=heartbeat_interval_seconds()
        ),
        **extra,
    }
    response = render(request, "alarms/device_detail.html", context, status=status)
    return response


@require(VIEW)
def device_detail(request, pk: int):
    return _render(request, selectors.alarm_device_get(user=request.user, pk=pk))


@never_cache
@require(ADD)
@require_POST
def device_issue(request, pk: int):
    device = selectors.alarm_device_get(user=request.user, pk=pk)
    form = CredentialForm(request.POST)
    if form.is_valid():
        try:
            _credential, secret = services.credential_issue(
                device=device, place=form.cleaned_data["place"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            device.refresh_from_db()
            return _render(request, device, secret=secret, done=_("签名密钥已签发。"))
    return _render(request, device, 400, form=form)


@never_cache
@require(CHANGE)
@require_POST
def device_rotate(request, pk: int):
    device = selectors.alarm_device_get(user=request.user, pk=pk)
    credential = selectors.credential_of(device)
    if credential is None:
        form = CredentialForm(initial={"place": device.area})
        form.add_error(None, _("该设备还没有签名密钥，请先签发。"))
        return _render(request, device, 400, form=form)
    secret = services.credential_rotate(credential=credential)
    device.refresh_from_db()
    return _render(request, device, secret=secret, done=_("签名密钥已更换。"))
