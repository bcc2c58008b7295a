"""Django admin for system administrators: roles (editable, SPEC 1), organisations and users.

Writes go through the services, so derived state (tree paths, password rules) is never
bypassed; everything is change-logged by the audit signals like any other write.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.utils.translation import gettext_lazy as _

from huxiao.core import services, workcalendar
from huxiao.core.models import ApiToken, AuditRecord, CalendarDay, Organization, Role, User

admin.site.site_header = _("护校安园 系统管理")
admin.site.site_title = _("护校安园")
admin.site.index_title = _("系统管理")


def _permission_choices():
    rows = Permission.objects.select_related("content_type").order_by(
        "content_type__app_label", "codename"
    )
    return [
        (
            f"{p.content_type.app_label}.{p.codename}",
            f"{p.content_type.app_label}.{p.codename} — {p.name}",
        )
        for p in rows
    ]


class RoleForm(forms.ModelForm):
    permissions = forms.MultipleChoiceField(
        label=_("权限"), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Role
        fields = [
            "code",
            "name",
            "description",
            "data_scope",
            "permissions",
            "is_police",
            "sort_order",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["permissions"].choices = _permission_choices()


class ScopedAdmin(admin.ModelAdmin):
    """Admin lists start from the same scope as every other read."""

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    form = RoleForm
    list_display = ["name", "code", "data_scope", "is_police"]
    readonly_fields = []

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []


@admin.register(Organization)
class OrganizationAdmin(ScopedAdmin):
    list_display = ["name", "kind", "code", "division_code", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]
    raw_id_fields = ["parent", "education_bureau"]
    readonly_fields = ["path", "depth"]

    def get_readonly_fields(self, request, obj=None):
        # Re-parenting rewrites a subtree: done with organization_move, not a form field.
        return [*self.readonly_fields, "parent"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        data = {
            name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data
        }
        if change:
            services.organization_update(org=Organization.objects.get(pk=obj.pk), **data)
        else:
            fields = {
                k: v
                for k, v in form.cleaned_data.items()
                if k not in {"kind", "name", "code", "division_code", "parent", "education_bureau"}
            }
            created = services.organization_create(
                kind=obj.kind,
                name=obj.name,
                code=obj.code,
                division_code=obj.division_code,
                parent=obj.parent,
                education_bureau=obj.education_bureau,
                **fields,
            )
            obj.pk = created.pk


@admin.register(User)
class UserAdmin(ScopedAdmin):
    list_display = [
        "username",
        "full_name",
        "organization",
        "role",
        "is_active",
        "must_change_password",
    ]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "full_name"]
    raw_id_fields = ["organization"]
    fields = [
        "username",
        "full_name",
        "organization",
        "role",
        "police_number",
        "is_active",
        "must_change_password",
    ]

    def has_add_permission(self, request):
        # New accounts get a temporary password and a forced change: `huxiao user create`.
        return False


@admin.register(AuditRecord)
class AuditRecordAdmin(admin.ModelAdmin):
    list_display = ["seq", "ts", "kind", "action", "actor_name", "object_type", "object_repr", "ip"]
    list_filter = ["kind", "action"]
    search_fields = ["actor_name", "object_repr", "object_id", "request_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("core.view_audit")


@admin.register(ApiToken)
class ApiTokenAdmin(ScopedAdmin):
    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "user", "created_at", "last_used_at"]
    fields = ["prefix", "user", "name", "created_at", "expires_at", "last_used_at", "revoked_at"]

    def has_add_permission(self, request):
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """工作日历: the State Council's holiday notice for a year the package does not know yet."""

    list_display = ("date", "is_workday", "name")
    list_filter = ("is_workday",)
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        workcalendar.overrides_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        workcalendar.overrides_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        workcalendar.overrides_changed()
