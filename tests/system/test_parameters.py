"""参数设置: the system administrator changes business parameters in the UI; the next notice,
the next request, the next sweep use them; the environment wins with a visible note."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from huxiao.core import parameters
from huxiao.core.models import AuditRecord, ParameterValue
from huxiao.inspections import rules as inspection_rules
from huxiao.inspections import services as inspections
from huxiao.schools import policy
from huxiao.system.services import parameters as services
from tests.conftest import make_user
from tests.inspections.conftest import ischools, make_hazard  # noqa: F401  (fixtures)

KEY = "NOTICE_DEFAULT_WORKDAYS"
EDIT = reverse("system:parameter_edit", args=[KEY])


def edit(client, value, key=KEY):
    return client.post(reverse("system:parameter_edit", args=[key]), {"value": value})


def test_the_sysadmin_changes_the_deadline_and_the_next_notice_uses_it(
    client_for,
    people,
    ischools,  # noqa: F811
    make_hazard,  # noqa: F811
    settings,
):
    settings.NOTICE_DEFAULT_WORKDAYS = 10
    school_a, _ = ischools
    admin = client_for("admin")
    response = edit(admin, "15")
    assert response.status_code == 302 and response["Location"] == reverse("system:parameter_list")
    assert parameters.get(KEY) == 15

    # The notice form proposes it …
    page = client_for("officer_a").get(reverse("inspections:notice_create"))
    assert page.status_code == 200
    assert page.context["form"]["working_days"].initial == 15
    # … and a notice issued without a period gets it.
    notice = inspections.notice_issue(
        school=school_a, hazards=[make_hazard(school_a)], actor=people.officer_a
    )
    assert notice.working_days == 15
    assert notice.deadline == inspection_rules.notice_deadline(notice.issue_date, 15)


def test_the_list_shows_value_default_source_and_who_changed_it(client_for, people):
    admin = client_for("admin")
    assert edit(admin, "12").status_code == 302
    page = admin.get(reverse("system:parameter_list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "整改期限" in html and "隐患排查整改" in html and "学校与三防" in html
    row = next(
        r
        for s in page.context["sections"]
        for g in s["groups"]
        for r in g["rows"]
        if r["spec"].key == KEY
    )
    assert row["value"] == "12" and row["source"] == "saved" and row["default"] == "10"
    assert row["record"].updated_by == people.admin

    only_saved = admin.get(reverse("system:parameter_list"), {"source": "saved"})
    keys = [
        r["spec"].key
        for s in only_saved.context["sections"]
        for g in s["groups"]
        for r in g["rows"]
    ]
    assert keys == [KEY]


def test_the_export_is_the_filtered_list(client_for):
    admin = client_for("admin")
    edit(admin, "12")
    response = admin.get(reverse("system:parameter_export"), {"q": "整改期限"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("所属模块", "分组", "参数", "编码", "当前值")
    assert [r[3] for r in rows[1:]] == [KEY]
    assert rows[1][4] == "12" and rows[1][7] == "已修改"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "不能小于 1。"),
        ("121", "不能大于 120。"),
        ("十", "请输入整数。"),
        ("", "请输入整数。"),
    ],
)
def test_a_bad_value_is_refused_in_chinese_and_nothing_is_saved(client_for, value, message):
    admin = client_for("admin")
    trail = AuditRecord.objects.filter(object_type="core.parametervalue")
    response = edit(admin, value)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ParameterValue.objects.filter(key=KEY).exists()
    assert not trail.exists()
    assert parameters.get(KEY) == 10


def test_choices_and_the_kit_are_checked(client_for):
    admin = client_for("admin")
    assert edit(admin, "bogus", "SCHOOL_STAFFING_POLICY").status_code == 400
    assert edit(admin, "168", "SCHOOL_STAFFING_POLICY").status_code == 302
    assert policy.current().staffing == "168"
    response = edit(admin, "steel_fork:2,laser:1", "SCHOOL_MIN_KIT")
    assert response.status_code == 400 and "没有装备“laser”" in response.content.decode()
    response = edit(admin, "steel_fork", "SCHOOL_MIN_KIT")
    assert response.status_code == 400 and "格式不对" in response.content.decode()
    assert edit(admin, "steel_fork:3,radio:1", "SCHOOL_MIN_KIT").status_code == 302
    assert policy.current().min_kit == {"steel_fork": 3, "radio": 1}
    assert edit(admin, "ftp://tiles.example.cn/{z}/{x}/{y}.png", "MAP_TILE_URL").status_code == 400
    assert edit(admin, "", "MAP_TILE_URL").status_code == 302  # empty: no tiles


def test_an_environment_variable_wins_with_a_note_and_blocks_editing(client_for, monkeypatch):
    monkeypatch.setenv("HUXIAO_NOTICE_DEFAULT_WORKDAYS", "10")
    admin = client_for("admin")
    note = "由环境变量 HUXIAO_NOTICE_DEFAULT_WORKDAYS 设置，页面修改不生效"
    listing = admin.get(reverse("system:parameter_list")).content.decode()
    assert note in listing
    page = admin.get(EDIT)
    assert page.status_code == 200 and note in page.content.decode()
    assert 'data-testid="save-parameter"' not in page.content.decode()

    response = edit(admin, "15")
    assert response.status_code == 409 and note in response.content.decode()
    assert not ParameterValue.objects.filter(key=KEY).exists()


def test_the_environment_wins_over_a_saved_value(people, monkeypatch, settings):
    settings.NOTICE_DEFAULT_WORKDAYS = 10
    services.parameter_set(key=KEY, raw="15", actor=people.admin)
    assert parameters.get(KEY) == 15
    monkeypatch.setenv("HUXIAO_NOTICE_DEFAULT_WORKDAYS", "10")
    assert parameters.get(KEY) == 10 and parameters.source(KEY) == "env"


def test_reset_returns_to_the_default(client_for):
    admin = client_for("admin")
    edit(admin, "20")
    assert parameters.get(KEY) == 20
    response = admin.post(reverse("system:parameter_reset", args=[KEY]))
    assert response.status_code == 302
    assert not ParameterValue.objects.filter(key=KEY).exists()
    assert parameters.get(KEY) == 10 and parameters.source(KEY) == "default"
    # Again: nothing to reset, still fine.
    assert admin.post(reverse("system:parameter_reset", args=[KEY])).status_code == 302
    assert admin.get(reverse("system:parameter_reset", args=[KEY])).status_code == 405


def test_the_history_shows_who_changed_what_from_and_to(client_for, people):
    admin = client_for("admin")
    edit(admin, "12")
    edit(admin, "14")
    edit(admin, "14")  # no change: no record
    admin.post(reverse("system:parameter_reset", args=[KEY]))
    edit(admin, "168", "SCHOOL_STAFFING_POLICY")

    page = admin.get(reverse("system:parameter_history"), {"key": KEY})
    assert page.status_code == 200
    changes = [
        (c["what"], c["old"], c["new"], c["record"].actor_id) for c in page.context["changes"]
    ]
    assert changes == [
        ("恢复默认", "14", "默认值", people.admin.pk),
        ("修改", "12", "14", people.admin.pk),
        ("设置", "默认值", "12", people.admin.pk),
    ]
    html = page.content.decode()
    assert "整改期限" in html and "admin" in html

    everything = admin.get(reverse("system:parameter_history")).context["changes"]
    assert everything[0]["label"] == "保安员配备标准"
    assert everything[0]["new"].startswith("公治〔2015〕168号")

    export = admin.get(reverse("system:parameter_history_export"), {"key": KEY})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert [r[5:7] for r in rows[1:]] == [("14", "默认值"), ("12", "14"), ("默认值", "12")]


def test_a_service_call_is_attributed_to_its_actor(people):
    services.parameter_set(key=KEY, raw=11, actor=people.admin)
    record = AuditRecord.objects.filter(object_type="core.parametervalue").latest("seq")
    assert record.actor_id == people.admin.pk and record.after["value"] == 11


def test_an_unknown_parameter_is_404(client_for):
    admin = client_for("admin")
    assert admin.get(reverse("system:parameter_edit", args=["SECRET_KEY"])).status_code == 404
    assert admin.post(reverse("system:parameter_reset", args=["SECRET_KEY"])).status_code == 404


ROUTES = [
    ("get", reverse("system:parameter_list")),
    ("get", reverse("system:parameter_export")),
    ("get", reverse("system:parameter_history")),
    ("get", reverse("system:parameter_history_export")),
    ("get", EDIT),
    ("post", EDIT),
    ("post", reverse("system:parameter_reset", args=[KEY])),
]


@pytest.mark.parametrize("role", ["officer", "org_admin", "secadmin", "auditor", "commander"])
def test_only_the_system_administrator_reaches_the_pages(city, role):
    user = make_user(f"u_{role}", city.city, role)
    client = Client()
    client.force_login(user)
    for method, url in ROUTES:
        response = getattr(client, method)(url, {"value": "15"} if method == "post" else {})
        assert response.status_code == 403, (role, url)
    assert not ParameterValue.objects.exists()


def test_anonymous_is_sent_to_sign_in(db):
    response = Client().get(reverse("system:parameter_list"))
    assert response.status_code == 302 and "/login/" in response["Location"]


# ---- the idle timeout ----------------------------------------------------------------------


def test_the_idle_timeout_applies_when_changed(client_for, people, settings):
    officer = client_for("officer_a")
    officer.get(reverse("core:home"))
    assert officer.session.get_expire_at_browser_close()  # the default: nothing set

    services.parameter_set(key="SESSION_IDLE_SECONDS", raw="1800", actor=people.admin)
    officer.get(reverse("core:home"))
    session = officer.session
    assert session.get_expiry_age() == 1800 and not session.get_expire_at_browser_close()

    services.parameter_reset(key="SESSION_IDLE_SECONDS", actor=people.admin)
    officer.get(reverse("core:home"))
    assert officer.session.get_expire_at_browser_close()
    assert officer.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


# ---- map tiles -----------------------------------------------------------------------------


def test_a_tile_url_saved_in_the_ui_is_allowed_by_the_pages_csp(client_for, people, settings):
    settings.MAP_TILE_URL = ""
    officer = client_for("officer_a")
    assert "tiles.example.cn" not in officer.get(reverse("core:home"))["Content-Security-Policy"]
    services.parameter_set(
        key="MAP_TILE_URL", raw="https://t{s}.tiles.example.cn/{z}/{x}/{y}.png", actor=people.admin
    )
    csp = officer.get(reverse("core:home"))["Content-Security-Policy"]
    img_src = next(d for d in csp.split(";") if d.strip().startswith("img-src"))
    assert "https://*.tiles.example.cn" in img_src and "'self'" in img_src
