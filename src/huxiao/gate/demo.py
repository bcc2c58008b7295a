"""The gate's part of the demo city: the model school's (SCH-01, guard01's) passes, pick-up
authorisations, today's visitors and vehicles, two seizures handed to the police, and a ban the
district education bureau (edu01's) keeps for all its schools — the banned parent is stopped at
any school of the district. Everything is written through ``gate.services``; dates are the
seeding day's. Written once: a later run keeps what is there."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from huxiao.core.models import User
from huxiao.core.validators import make_id_number as id_number
from huxiao.gate import services
from huxiao.gate.choices import BanBasis, PassKind, SeizedFrom, SeizureCategory, VisitAction
from huxiao.gate.models import BanEntry, Visit
from huxiao.schools.models import School

BANNED_PARENT_ID = id_number("510411", dt.date(1985, 3, 14), 951)
BANNED_PARENT = "测试禁入家长"

_VISITORS = (
    ("测试访客甲", "510402", dt.date(1980, 1, 9), 961, "official"),
    ("测试访客乙", "510403", dt.date(1976, 6, 2), 962, "parent"),
    ("测试访客丙", "510411", dt.date(1990, 9, 30), 963, "repair"),
    ("测试访客丁", "510402", dt.date(1983, 4, 18), 964, "delivery"),
    ("测试访客戊", "510421", dt.date(1979, 12, 1), 965, "parent"),
    ("测试访客己", "510402", dt.date(1995, 2, 27), 966, "other"),
)


def step(ctx) -> None:
    if Visit.objects.filter(idempotency_key__startswith="demo-").exists():
        ctx.count_existing(
            "来访登记", Visit.objects.filter(idempotency_key__startswith="demo-").count()
        )
        return
    school = School.objects.select_related("organization__parent").get(organization__code="SCH-01")
    guard = User.objects.get(username="guard01")
    chief = User.objects.get(username="school01")
    officer = User.objects.get(username="officer01")
    edu = User.objects.get(username="edu01")
    today = ctx.today
    now = timezone.now()

    ban = BanEntry.objects.filter(organization=edu.organization, name=BANNED_PARENT).first()
    if ban is None:
        services.ban_create(
            organization=edu.organization,
            actor=edu,
            name=BANNED_PARENT,
            id_number=BANNED_PARENT_ID,
            basis=BanBasis.CUSTODY,
            reason="抚养权纠纷，法院裁定限制探视，曾到校强行接走子女（演示数据）",
            decided_by="东区人民法院",
            document_number="（2026）川0402民初演示号",
            starts_on=today - dt.timedelta(days=30),
        )
        ctx.count_created("禁入名单")

    for number, holder, kind, plate in (
        ("J-001", "赵建华", PassKind.STAFF, ""),
        ("J-002", "钱老师", PassKind.STAFF, ""),
        ("C-001", "食堂配送车", PassKind.VEHICLE, "川D12345"),
        ("C-002", "校车", PassKind.VEHICLE, "川DD23456"),
    ):
        services.pass_issue(
            school=school,
            actor=chief,
            kind=kind,
            number=number,
            holder=holder,
            plate=plate,
            valid_from=today - dt.timedelta(days=90),
            valid_until=today + dt.timedelta(days=275),
        )
    ctx.count_created("出入证", 4)

    for pupil, klass, adult, relation, phone, tail in (
        ("测试学生甲", "三年级2班", "测试家长甲", "父亲", "13800000001", "1234"),
        ("测试学生甲", "三年级2班", "测试家长乙", "祖母", "13800000002", "567X"),
        ("测试学生乙", "一年级1班", "测试家长丙", "母亲", "13800000003", "2468"),
    ):
        services.pickup_create(
            school=school,
            actor=chief,
            pupil_name=pupil,
            pupil_class=klass,
            adult_name=adult,
            relation=relation,
            phone=phone,
            id_tail=tail,
            valid_from=today - dt.timedelta(days=60),
        )
    ctx.count_created("接送授权", 3)

    made = 0
    for i, (name, region, born, seq, purpose) in enumerate(_VISITORS):
        visit, _created = services.visit_register(
            school=school,
            actor=guard,
            name=name,
            id_number=id_number(region, born, seq),
            purpose=purpose,
            at=now - dt.timedelta(minutes=25 * (len(_VISITORS) - i)),
            idempotency_key=f"demo-{today:%Y%m%d}-{i}",
        )
        made += 1
        if i < 3:
            services.visit_transition(visit=visit, action=VisitAction.CHECK_OUT, actor=guard)
    ctx.count_created("来访登记", made)

    services.vehicle_register(
        school=school, actor=guard, plate="川D12345", driver="测试司机甲", purpose="食堂配送"
    )
    services.vehicle_register(
        school=school, actor=guard, plate="川D5A678", driver="测试司机乙", purpose="设备维修"
    )
    ctx.count_created("车辆出入登记", 2)

    knife = services.seizure_record(
        school=school,
        actor=guard,
        category=SeizureCategory.SPRING_KNIFE,
        description="带自锁装置的折叠弹簧刀一把（演示数据）",
        seized_from=SeizedFrom.STUDENT,
        seized_at=now - dt.timedelta(days=3),
    )
    services.seizure_receive(
        seizure=knife, actor=officer, note="已收缴登记，约谈学生家长（演示数据）"
    )
    other = School.objects.select_related("organization__parent").get(organization__code="SCH-05")
    services.seizure_record(
        school=other,
        actor=User.objects.filter(organization=other.organization).order_by("pk").first() or guard,
        category=SeizureCategory.REPLICA_GUN,
        description="仿真手枪一支（演示数据）",
        seized_from=SeizedFrom.VISITOR,
        seized_at=now - dt.timedelta(hours=2),
    )
    ctx.count_created("收缴物品", 2)
