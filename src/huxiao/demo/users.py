"""Demo step "users": the demo logins of README.md, one per role of SPEC 1's journeys.

A demo user that exists is kept; its password is reset to the one given (only when it
differs, so a second run writes nothing) and its login lockout is cleared. An account
with a demo username that is *not* a demo account (``is_demo`` false) is never touched.
"""

from __future__ import annotations

from huxiao.core import services
from huxiao.core.models import Role, User
from huxiao.demo import data

# Status words shown in the summary.
CREATED, RESET, UNCHANGED, SKIPPED = "新建", "已重置密码", "已存在", "非演示账号，未修改"


def _phone(rng) -> str:
    return rng.choice(("139", "138", "158", "181", "199")) + "".join(
        str(rng.randint(0, 9)) for _ in range(8)
    )


def step_users(ctx) -> None:
    roles = {r.code: r for r in Role.objects.all()}
    existing = {
        u.username: u
        for u in User.objects.filter(username__in=[d.username for d in data.DEMO_LOGINS])
    }
    for login in data.DEMO_LOGINS:
        phone = _phone(
            ctx.rng
        )  # drawn for every login, so the sequence does not depend on the database
        user = existing.get(login.username)
        if user is None:
            user = services.user_create(
                username=login.username,
                password=ctx.password,
                organization=ctx.orgs[login.org_code],
                role=roles[login.role],
                full_name=login.full_name,
                phone=phone,
                must_change_password=False,
                is_demo=True,
                validate=True,
            )
            ctx.count_created("用户")
            status = CREATED
        elif not user.is_demo:
            ctx.note(f"账号 {login.username} 已存在且不是演示账号，未修改其密码。")
            status = SKIPPED
        else:
            ctx.count_existing("用户")
            status = UNCHANGED
            if user.must_change_password or not user.check_password(ctx.password):
                services.user_change_password(user=user, new_password=ctx.password)
                status = RESET
            _clear_lockout(login.username)
        ctx.users[login.username] = user
        ctx.logins.append((login, user, status))


def _clear_lockout(username: str) -> None:
    from axes.utils import reset

    reset(username=username)
