"""用户导入: accounts from an .xlsx, through the ledger import of the schools module.

upload → ``prepare`` (every row checked, nothing written) → preview with row/column errors →
``commit`` (checked again and written in one transaction: any bad row, nothing is written).
Each row becomes an account through ``services.users.user_create``, the same rules as the
page: the organisation must be in the importer's scope, the role one it may assign (a police
role becomes a pending grant). Accounts are only created, never updated: an existing username
is a row error. Each new account gets a one-time password, shown once on the result page.
"""

from __future__ import annotations

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huxiao.core.forms import phone_validator
from huxiao.core.models import Organization, User
from huxiao.schools.imports import cells
from huxiao.schools.imports.base import Column, Item, Ledger, Plan, Scope, parse_rows
from huxiao.schools.imports.writing import RowFailed
from huxiao.system import rules

# Each account hashes a password (argon2, ~0.1 s): a larger batch is split by the user.
MAX_ROWS = 500


def _max(field: str) -> int:
    return User._meta.get_field(field).max_length


COLUMNS = (
    Column(
        "用户名", "username",
        cells.text(_max("username"), validators=[UnicodeUsernameValidator()]),
        required=True, example="zhangwei01",
        help=gettext_lazy("必填，登录账号：字母、数字和 @ . + - _；不能与已有账号重复"),
    ),
    Column(
        "姓名", "full_name", cells.text(_max("full_name")), required=True, example="张伟",
        help=gettext_lazy("必填"),
    ),
    Column(
        "所属单位代码", "org_code", cells.text(32), required=True, example="530111000000",
        help=gettext_lazy("必填，单位管理中的单位代码；须在您的管理范围内"),
    ),
    Column(
        "角色", "role", cells.text(64), default="", example="学校安保负责人",
        help=gettext_lazy("可空（暂不分配）；角色名称或代码。公安角色须经安全管理员批准后生效"),
    ),
    Column(
        "手机号", "phone", cells.text(20, validators=[phone_validator]), default="",
        example="13800000000",
    ),
    Column("警号", "police_number", cells.text(_max("police_number")), default="", example=""),
)  # fmt: skip


def validate(plan: Plan) -> None:
    actor = plan.scope.user
    orgs = dict(Organization.objects.visible_to(actor).values_list("code", "pk"))
    roles = {}
    for role in rules.assignable_roles(actor):
        roles[role.code] = role
        roles[role.name] = role
    seen: dict[str, int] = {}
    rows = list(parse_rows(plan))
    if len(rows) > MAX_ROWS:
        plan.error(0, "", _("一次最多导入 %(n)d 个账号，请分批导入。") % {"n": MAX_ROWS})
        return
    names = {v["username"].lower() for _n, v, _b in rows if v.get("username")}
    taken = _taken_ignoring_case(names)
    for number, values, bad in rows:
        username = values.get("username")
        if username:
            key = username.lower()
            if key in taken:
                plan.error(number, "用户名", _("用户名已被使用"), username)
                bad.add("username")
            elif key in seen:
                plan.error(number, "用户名", _("与第%(n)d行重复") % {"n": seen[key]}, username)
                bad.add("username")
            else:
                seen[key] = number
        code = values.get("org_code")
        if code and code not in orgs:
            # The same words for "no such unit" and "not yours": the import reveals nothing.
            plan.error(number, "所属单位代码", _("单位不存在或不在您的管理范围内"), code)
            bad.add("org_code")
        role_text = values.get("role") or ""
        role = roles.get(role_text) if role_text else None
        if role_text and role is None:
            plan.error(number, "角色", _("未知角色，或您无权分配该角色"), role_text)
            bad.add("role")
        if bad:
            continue
        plan.items.append(Item(number, values, extra={"organization": orgs[code], "role": role}))


def _taken_ignoring_case(names: set[str]) -> set[str]:
    """Usernames differing only in case count as taken (sign-in is case-sensitive, people are
    not); one query per 100 names."""
    from django.db.models import Q

    found: set[str] = set()
    pending = sorted(names)
    for start in range(0, len(pending), 100):
        q = Q()
        for name in pending[start : start + 100]:
            q |= Q(username__iexact=name)
        found |= {u.lower() for u in User.objects.filter(q).values_list("username", flat=True)}
    return found


def write(plan: Plan, *, bulk: bool) -> dict:
    """Row by row through the service (each account audited); ``bulk`` does not apply."""
    from huxiao.system.services.users import user_create

    actor = plan.scope.user
    orgs = Organization.objects.in_bulk({item.extra["organization"] for item in plan.items})
    passwords, pending = [], 0
    for item in plan.items:
        values = item.values
        try:
            made = user_create(
                actor=actor,
                username=values["username"],
                organization=orgs[item.extra["organization"]],
                role=item.extra["role"],
                full_name=values["full_name"],
                phone=values["phone"],
                police_number=values["police_number"],
            )
        except ValidationError as exc:
            raise RowFailed(item.row, exc) from exc
        passwords.append((made.user.username, made.user.full_name, made.password))
        pending += made.grant is not None
    return {
        "created": len(passwords),
        "updated": 0,
        "unchanged": 0,
        "pending_grants": pending,
        "bulk": False,
        "passwords": passwords,  # the view shows them once and never stores them
    }


def _no_export(scope: Scope):
    return []


LEDGER = Ledger(
    key="users",
    title=gettext_lazy("用户账号"),
    object_type="core.user",
    import_permission="core.add_user",
    export_permission="core.add_user",
    columns=COLUMNS,
    validate=validate,
    write=write,
    export_rows=_no_export,
    export_queryset=lambda scope: User.objects.none(),
    personal_data=True,
    notes=(
        gettext_lazy("每行新建一个账号；已有的用户名报错，不会修改已有账号。"),
        gettext_lazy("导入后每个账号获得一个一次性初始密码，仅在导入结果页显示一次，首次登录须修改。"),
        gettext_lazy("公安角色（可查看公安数据）导入后为“待批准”，经安全管理员批准后生效。"),
    ),
)  # fmt: skip
