"""A guard's masked phone sent back, or a malformed one, is refused (issue 13, item 7)."""

import datetime as dt

import pytest

from huxiao.schools.models import Guard
from tests.schools.conftest import id_number


@pytest.mark.parametrize(("phone", "message"), [("199****5680", "打码"), ("12345", "手机号")])
def test_a_guard_with_a_masked_or_malformed_phone_is_not_written(
    client_for, schools, phone, message
):
    a, _ = schools
    before = Guard.objects.count()
    response = client_for("chief").post(
        f"/api/v1/schools/{a.pk}/guards",
        {
            "name": "新保安",
            "id_number": id_number("530111", dt.date(1990, 5, 6), 7),
            "phone": phone,
        },
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert message in response.json()["detail"]
    assert Guard.objects.count() == before


def test_an_id_number_with_spaces_around_it_is_taken_as_the_number(client_for, schools):
    a, _ = schools
    number = id_number("530111", dt.date(1990, 5, 6), 8)
    response = client_for("chief").post(
        f"/api/v1/schools/{a.pk}/guards",
        {"name": "空格", "id_number": f" {number} "},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert Guard.objects.get(name="空格").id_number == number


@pytest.mark.parametrize("born", [dt.date(1899, 12, 31), dt.date(2099, 1, 1)])
def test_an_id_number_born_before_1900_or_in_the_future_is_refused(client_for, schools, born):
    a, _ = schools
    response = client_for("chief").post(
        f"/api/v1/schools/{a.pk}/guards",
        {"name": "不可能", "id_number": id_number("530111", born, 9)},
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert "出生日期" in response.json()["detail"] and born.isoformat() in response.json()["detail"]


def test_an_id_number_outside_gb_t_2260_is_refused_and_a_retired_code_is_flagged(
    client_for, schools
):
    from huxiao.core.validators import id_number_problem, id_number_warning

    a, _ = schools
    unknown = id_number("999999", dt.date(1990, 5, 6), 5)
    response = client_for("chief").post(
        f"/api/v1/schools/{a.pk}/guards",
        {"name": "无此地", "id_number": unknown},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "999999" in response.json()["detail"] and "GB/T 2260" in response.json()["detail"]
    retired = id_number("110103", dt.date(1970, 1, 2), 5)  # 崇文区, merged in 2010
    assert id_number_problem(retired) is None
    assert "崇文区" in id_number_warning(retired) and "已撤销" in id_number_warning(retired)
    assert id_number_warning(id_number("510402", dt.date(1970, 1, 2), 5)) is None
