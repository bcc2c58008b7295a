"""What the Django admin must not show. This app comes after django-otp in INSTALLED_APPS, so
its admin module runs after the OTP plugins registered theirs (core's runs before them: core is
first, for the admin's look)."""

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

# Authenticators are enrolled by their owner (core.secondfactor) and reset by the security
# administrator: never edited as rows, where a secret would show.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
