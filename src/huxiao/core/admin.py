"""Django admin: organisations and users (the system administrator), roles and role grants
(the security administrator; 三权分立, SPEC 1).

Writes go through the services, so derived state (tree paths, password rules) is never
bypassed; everything is change-logged by the audit signals like any other write.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.utils.translation import gettext_lazy as _

from huxiao.core import services, workcalendar
from huxiao.core.choices import OrgKind
from huxiao.core.models import (
    ApiToken,
    AuditRecord,
    CalendarDay,
    Organization,
    Role,
    RoleGrant,
    User,
)

RESET_SECOND_FACTOR = "core.reset_second_factor"


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
    """Roles are the security administrator's (三权分立). Nobody edits the role they hold, and
    whether a role is a police role is data (``huxiao seed roles``), not a form field."""

    form = RoleForm
    list_display = ["name", "code", "data_scope", "is_police"]
    readonly_fields = []

    def get_readonly_fields(self, request, obj=None):
        return ["code", "is_police"] if obj else ["is_police"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.pk == getattr(request.user, "role_id", None):
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if form.changed_data:
            services.role_update_notify(role=obj, actor=request.user, changed=form.changed_data)


class OrganizationForm(forms.ModelForm):
    """A school is an organisation *and* its school record: made here it would be an orphan
    that never reaches the school ledger, so it is refused and the user sent to 学校登记."""

    class Meta:
        model = Organization
        fields = [
            "parent",
            "kind",
            "name",
            "short_name",
            "code",
            "division_code",
            "education_bureau",
            "doc_prefix",
            "address",
            "latitude",
            "longitude",
            "is_active",
            "sort_order",
        ]

    def clean_kind(self):
        kind = self.cleaned_data.get("kind")
        was = self.instance.kind if self.instance.pk else None
        if kind == OrgKind.SCHOOL and was != OrgKind.SCHOOL:
            raise forms.ValidationError(
                _(
                    "学校不能在此新建或改为学校类型：请在“系统管理 › 单位管理”中选择派出所，"
                    "新增下级单位“学校”（学校登记），学校台账记录将一同建立。"
                )
            )
        if was == OrgKind.SCHOOL and kind != OrgKind.SCHOOL:
            raise forms.ValidationError(_("学校的类型不能在此修改。"))
        return kind


@admin.register(Organization)
class OrganizationAdmin(ScopedAdmin):
    form = OrganizationForm
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
    # A role is granted through a 角色授予 (the security administrator's), never edited here.
    readonly_fields = ["role"]
    actions = ["reset_second_factor"]

    def has_reset_second_factor_permission(self, request):
        return request.user.has_perm(RESET_SECOND_FACTOR)

    @admin.action(
        description=_("重置双因素认证（身份验证器丢失）"), permissions=["reset_second_factor"]
    )
    def reset_second_factor(self, request, queryset):
        from huxiao.core import secondfactor

        for user in queryset:
            secondfactor.reset(user=user, actor=request.user)
        services.tell_auditors(
            _("双因素认证已重置"),
            _("%(actor)s 重置了 %(users)s 的身份验证器。")
            % {
                "actor": request.user.display_name,
                "users": "、".join(u.display_name for u in queryset),
            },
        )
        self.message_user(request, _("已重置，这些用户下次登录时重新绑定身份验证器。"))

    def has_add_permission(self, request):
        # New accounts get a temporary password and a forced change: `huxiao user create`.
        return False


class RoleGrantForm(forms.ModelForm):
    class Meta:
        model = RoleGrant
        fields = ["user", "role", "reason"]

    def __init__(self, *args, actor=None, **kwargs):
        self.actor = actor
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("user") and data.get("role"):
            services.role_grant_check(
                user=data["user"],
                role=data["role"],
                reason=data.get("reason", ""),
                actor=self.actor,
            )
        return data


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    """角色授予: a security administrator asks; a role reading police-only data waits for a
    second one's approval (the actions below); the others are applied at once."""

    form = RoleGrantForm
    list_display = ["user", "role", "previous_role", "state", "requested_by", "decided_by"]
    list_filter = ["state", "role"]
    raw_id_fields = ["user"]
    actions = ["approve", "refuse"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class WithActor(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, actor=request.user, **kw)

        return WithActor

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [f.name for f in RoleGrant._meta.fields]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return
        grant = services.role_grant_request(
            user=obj.user, role=obj.role, reason=obj.reason, actor=request.user
        )
        obj.pk = grant.pk

    def _decide(self, request, queryset, approve: bool):
        from django.contrib import messages
        from django.core.exceptions import ValidationError

        for grant in queryset:
            try:
                services.role_grant_decide(grant=grant, approve=approve, actor=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{grant}：{'；'.join(exc.messages)}", messages.ERROR)
            else:
                self.message_user(request, f"{grant}：{_('已处理')}", messages.SUCCESS)

    @admin.action(description=_("批准所选申请"), permissions=["change"])
    def approve(self, request, queryset):
        self._decide(request, queryset, True)

    @admin.action(description=_("驳回所选申请"), permissions=["change"])
    def refuse(self, request, queryset):
        self._decide(request, queryset, False)


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
