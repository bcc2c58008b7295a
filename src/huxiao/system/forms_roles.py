"""Forms of 角色管理: the role editor and the role-grant request.

The forms only shape input: what a role may hold, whose scope it may name and who may be given
a role are the services' rules (system.services.roles, core.services.role_grant_*), whose
refusals come back onto the form (core.forms.apply_service_errors).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from huxiao.core.choices import DataScope, OrgKind
from huxiao.core.models import Organization, Role, User
from huxiao.system import permissions_tree
from huxiao.system.services.roles import FIELD_LABELS


class OrganizationChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        # Indented by level, so the list reads as the tree it is (ordered by path).
        return "\u3000" * obj.depth + obj.name


def scope_choices(actor: User):
    """What a 自定义 scope may name: the actor's organisations, the tree's inner nodes (a scope
    over an organisation covers its schools; listing every school would make the list as long as
    the province)."""
    return (
        Organization.objects.visible_to(actor)
        .exclude(kind=OrgKind.SCHOOL)
        .filter(is_active=True)
        .order_by("path")
    )


class RoleForm(forms.Form):
    code = forms.SlugField(
        label=_("角色代码"),
        max_length=32,
        help_text=_("字母、数字、下划线或连字符，创建后用于识别角色，如 community_readonly。"),
    )
    name = forms.CharField(label=_("角色名称"), max_length=64)
    description = forms.CharField(label=_("说明"), max_length=255, required=False)
    data_scope = forms.ChoiceField(label=_("数据范围"), choices=DataScope.choices)
    scope_organizations = OrganizationChoices(
        label=_("自定义数据范围"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("数据范围为“自定义”时，持有者可见所选单位及其下级（含其学校）的数据。"),
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )
    permissions = forms.MultipleChoiceField(
        label=_("权限"), required=False, widget=forms.CheckboxSelectMultiple
    )
    is_police = forms.BooleanField(
        label=_("公安角色"),
        required=False,
        help_text=_("持有者可查看仅限公安的数据；授予该角色须另一名安全管理员批准。"),
    )
    requires_second_factor = forms.BooleanField(label=_("须双因素认证"), required=False)
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, max_value=32767, initial=100)

    field_labels = FIELD_LABELS

    def __init__(self, *args, actor: User, role: Role | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.role = role
        self.fields["scope_organizations"].queryset = scope_choices(actor)
        self.fields["data_scope"].widget.attrs["data-scope-select"] = ""
        held = permissions_tree.unknown(role.permissions) if role else []
        self.unknown_held = held
        self.fields["permissions"].choices = [
            *((key, label) for key, label in permissions_tree.labels().items()),
            *((key, key) for key in held),
        ]
        if role is not None and role.is_builtin:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _("内置角色的代码不能修改。")

    def clean(self):
        data = super().clean()
        if data.get("data_scope") != DataScope.CUSTOM:
            data["scope_organizations"] = []
        elif not data.get("scope_organizations") and "scope_organizations" not in self.errors:
            self.add_error("scope_organizations", _("数据范围为“自定义”时，请选择至少一个单位。"))
        return data

    def selected_permissions(self) -> set[str]:
        """What the tree shows ticked: the posted choice, else the initial one."""
        if self.is_bound:
            return set(self.data.getlist(self.add_prefix("permissions")))
        return set(self.initial.get("permissions") or ())

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields if name in self.cleaned_data}


def role_initial(role: Role, *, copy: bool = False) -> dict:
    initial = {
        "code": "" if copy else role.code,
        "name": _("%(name)s（副本）") % {"name": role.name} if copy else role.name,
        "description": role.description,
        "data_scope": role.data_scope,
        "scope_organizations": list(role.scope_organizations.all()),
        "permissions": list(role.permissions),
        "is_police": role.is_police,
        "requires_second_factor": role.requires_second_factor,
        "sort_order": role.sort_order,
    }
    return initial


class GrantForm(forms.Form):
    username = forms.CharField(
        label=_("用户名"), max_length=150, help_text=_("被授予角色的用户的登录名。")
    )
    role = forms.ModelChoiceField(
        label=_("授予角色"), queryset=Role.objects.none(), empty_label=_("请选择角色")
    )
    reason = forms.CharField(
        label=_("理由"), max_length=200, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        # A retired role is granted to nobody new.
        self.fields["role"].queryset = Role.objects.filter(is_active=True)

    def clean_username(self) -> User:
        username = self.cleaned_data["username"].strip()
        user = (
            User.objects.visible_to(self.actor)
            .select_related("role")
            .filter(username=username)
            .first()
        )
        if user is None:
            raise ValidationError(_("您的数据范围内没有该用户。"))
        return user
