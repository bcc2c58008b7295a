"""The gate's pages as a user sends them: each create page stores through its service and
redirects, or answers 400 with the reason in Chinese and stores nothing; the guard's form works
without JavaScript; a held visit is reviewed on its page."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from huxiao.core.files import attachments_of
from huxiao.gate.models import BanEntry, Pass, Pickup, Seizure, VehicleEntry, Visit
from tests.gate.conftest import new_id

pytestmark = pytest.mark.django_db


def png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, "PNG")
    return SimpleUploadedFile("刀具.png", out.getvalue(), content_type="image/png")


def test_the_guard_registers_without_javascript_and_sees_the_answer(schools, client_for):
    guard = client_for("guard")
    form = {
        "school": schools[0].pk,
        "id_number": new_id(),
        "name": "无脚本访客",
        "purpose": "delivery",
        "idempotency_key": "no-js-key-0001",
    }
    response = guard.post("/gate/", form)
    visit = Visit.objects.get(name="无脚本访客")
    assert response.status_code == 302 and response["Location"].endswith(f"?v={visit.pk}")
    page = guard.get(response["Location"]).content.decode()
    assert "无脚本访客 已登记入校" in page
    again = guard.post("/gate/", form, follow=True)
    assert "未重复登记" in again.content.decode() and Visit.objects.count() == 1
    bad = guard.post("/gate/", {**form, "id_number": "12345", "idempotency_key": "no-js-key-0002"})
    assert bad.status_code == 400 and "身份证号应为18位" in bad.content.decode()
    assert Visit.objects.count() == 1


def test_a_held_visit_is_reviewed_on_its_page(schools, people, client_for, monkeypatch):
    monkeypatch.setattr(
        "huxiao.persons.watchlist.watchlist_lookup", lambda **k: (_ for _ in ()).throw(OSError())
    )
    from huxiao.gate import services

    held, _ = services.visit_register(
        school=schools[0], actor=people.guard, name="待核访客", id_number=new_id(), purpose="parent"
    )
    officer = client_for("officer_a")
    page = officer.get(f"/gate/visits/{held.pk}/").content.decode()
    assert "未能完成" in page and 'data-testid="action-release"' in page
    assert (
        'data-testid="action-release"'
        not in client_for("guard").get(f"/gate/visits/{held.pk}/").content.decode()
    )
    refused = officer.post(f"/gate/visits/{held.pk}/release/", {"note": ""}, follow=True)
    assert "核查说明" in refused.content.decode()
    officer.post(f"/gate/visits/{held.pk}/release/", {"note": "电话核实为学生家长"})
    held.refresh_from_db()
    assert held.state == "in" and held.reviewed_by == people.officer_a
    assert officer.post(f"/gate/visits/{held.pk}/nonsense/").status_code == 404


@pytest.mark.parametrize(
    ("who", "url", "good", "bad", "model", "says"),
    [
        (
            "officer_a",
            "/gate/bans/new/",
            {"name": "禁入甲", "basis": "court", "reason": "禁止令", "decided_by": "法院"},
            {
                "name": "禁入甲",
                "basis": "court",
                "reason": "禁止令",
                "decided_by": "法院",
                "id_number": "110105194912310021",
            },
            BanEntry,
            "校验位错误",
        ),
        (
            "chief",
            "/gate/passes/new/",
            {"kind": "vehicle", "number": "C-7", "holder": "送餐车", "plate": "川D54321"},
            {"kind": "vehicle", "number": "C-7", "holder": "送餐车", "plate": "川D543"},
            Pass,
            "车牌号格式不正确",
        ),
        (
            "guard",
            "/gate/vehicles/new/",
            {"plate": "川D54321", "driver": "司机", "purpose": "送货"},
            {"plate": "D54321", "driver": "司机", "purpose": "送货"},
            VehicleEntry,
            "简称开头",
        ),
        (
            "chief",
            "/gate/pickups/new/",
            {
                "pupil_name": "学生",
                "pupil_class": "一年级1班",
                "adult_name": "家长",
                "relation": "母亲",
                "phone": "13800000000",
                "id_tail": "1234",
            },
            {
                "pupil_name": "学生",
                "pupil_class": "一年级1班",
                "adult_name": "家长",
                "relation": "母亲",
                "phone": "13800000000",
                "id_tail": "12AB",
            },
            Pickup,
            "后四位",
        ),
    ],
)
def test_each_create_page_stores_or_refuses_in_chinese(
    schools, people, city, client_for, who, url, good, bad, model, says
):
    today = timezone.localdate().isoformat()
    common = {"school": schools[0].pk, "valid_from": today, "starts_on": today}
    common["valid_until"] = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    if model is BanEntry:
        common = {"organization": city.station_a.pk, "id_number": new_id(), "starts_on": today}
    client = client_for(who)
    refused = client.post(url, {**common, **bad})
    assert refused.status_code == 400 and says in refused.content.decode()
    assert not model.objects.exists()
    stored = client.post(url, {**common, **good})
    assert stored.status_code == 302, stored.content.decode()[:2000]
    assert model.objects.count() == 1


def test_a_seizure_with_its_photo_reaches_the_station(schools, people, client_for):
    guard = client_for("guard")
    response = guard.post(
        "/gate/seizures/new/",
        {
            "school": schools[0].pk,
            "category": "spring_knife",
            "description": "弹簧刀一把",
            "quantity": 1,
            "seized_from": "student",
            "photo": png(),
        },
    )
    seizure = Seizure.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/gate/seizures/{seizure.pk}/"
    assert attachments_of(seizure, "photo").count() == 1
    officer = client_for("officer_a")
    assert "照片 1" in officer.get(f"/gate/seizures/{seizure.pk}/").content.decode()
    officer.post(f"/gate/seizures/{seizure.pk}/receive/", {"note": "已接收"})
    seizure.refresh_from_db()
    assert seizure.state == "received" and seizure.received_by == people.officer_a
    text = guard.post(
        "/gate/seizures/new/",
        {
            "school": schools[0].pk,
            "category": "dagger",
            "description": "匕首",
            "quantity": 1,
            "seized_from": "student",
            "photo": SimpleUploadedFile("x.png", b"not an image", content_type="image/png"),
        },
    )
    assert text.status_code == 400 and Seizure.objects.count() == 1
