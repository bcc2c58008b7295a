"""Forms of the check-in pages: a QR check-in's confirmation and a supervisor's manual entry.

Each form carries an idempotency key made when the page is shown, so a double submit (or the
browser re-posting after a flaky network) records one check-in.
"""

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huxiao.core.models import User
from huxiao.patrols.selectors import checkin_posts

KEY_PATTERN = r"^[A-Za-z0-9_.:\-]{8,64}$"


def new_key() -> str:
    return uuid.uuid4().hex


class _Keyed(forms.Form):
    idempotency_key = forms.RegexField(regex=KEY_PATTERN, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", new_key())
        super().__init__(*args, **kwargs)


class QrCheckInForm(_Keyed):
    """The confirmation of a QR check-in; the page's script adds a GPS fix when it has one
    (kept with the row, not needed for validity: the code at the post proves presence)."""

    latitude = forms.DecimalField(
        required=False, min_value=-90, max_value=90, decimal_places=6, widget=forms.HiddenInput
    )
    longitude = forms.DecimalField(
        required=False, min_value=-180, max_value=180, decimal_places=6, widget=forms.HiddenInput
    )
    accuracy_m = forms.IntegerField(
        required=False, min_value=0, max_value=100_000, widget=forms.HiddenInput
    )

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            data["latitude"] = data["longitude"] = data["accuracy_m"] = None
        return data


class ManualCheckInForm(_Keyed):
    """补录: a supervisor records that a person was at a post (the weakest proof)."""

    post = forms.ModelChoiceField(label=_("护学岗"), queryset=None, empty_label=_("请选择"))
    person = forms.ModelChoiceField(label=_("值守人员"), queryset=None, empty_label=_("请选择"))
    at = forms.DateTimeField(
        label=_("到岗时间"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("最多补录7天内的打卡。"),
    )
    note = forms.CharField(
        label=_("补录原因"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("如：手机无法定位，由负责人现场确认到岗。"),
    )

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {}).setdefault(
            "at", timezone.localtime().replace(second=0, microsecond=0)
        )
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = (
            checkin_posts(user=user)
            .filter(is_active=True)
            .select_related("school__organization")
            .order_by("school__organization__path", "name", "id")
        )
        self.fields["post"].label_from_instance = lambda p: (
            f"{p.school.organization.name} · {p.name}"
        )
        self.fields["person"].queryset = (
            User.objects.visible_to(user)
            .filter(is_active=True)
            .exclude(pk=user.pk)
            .select_related("organization")
            .order_by("organization__path", "username")
        )
        self.fields["person"].label_from_instance = lambda u: (
            f"{u.display_name}（{u.organization.name if u.organization else '—'}）"
        )
