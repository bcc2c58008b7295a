"""What the Django admin must not show: what has its page in /system/ (issue 21, item 8). This
app comes after django.contrib.auth, axes and django-otp in INSTALLED_APPS, so its admin module
runs after theirs registered their models (core's runs before them: core is first, for the
admin's look)."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

# Groups are unused (roles carry permissions); sign-ins and lockouts are 登录日志 and 账号锁定.
for _model in (Group, AccessAttempt, AccessFailureLog, AccessLog):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)

# Authenticators are enrolled by their owner (core.secondfactor) and reset by the security
# administrator: never edited as rows, where a secret would show.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
