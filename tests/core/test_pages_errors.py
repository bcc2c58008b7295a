"""The error page renders for anyone, and a 500 needs no database."""

from django.test import RequestFactory
from django.urls import reverse

from huxiao.core.views import errors


def test_it_renders_404_for_an_anonymous_visitor(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "页面不存在，或不在您的数据范围内。" in body
    assert f'href="{reverse("core:login")}"' in body


def test_it_renders_404_inside_the_shell_for_a_signed_in_user(client_for):
    response = client_for("officer_a").get("/no-such-page/")
    assert response.status_code == 404
    assert f'href="{reverse("core:organization_list")}"' in response.content.decode()


def test_it_renders_500_without_touching_the_database():
    # No database fixture: any query here raises, as it would with the database down.
    from django.utils.functional import SimpleLazyObject

    def broken():
        raise AssertionError("the 500 page must not load the user")

    request = RequestFactory().get("/boom/")
    request.user = SimpleLazyObject(broken)
    request.session = {}
    response = errors.server_error(request)
    assert response.status_code == 500
    assert "系统内部错误" in response.content.decode()


def test_it_answers_json_under_the_api(client, db):
    response = client.get("/api/v1/no-such-endpoint")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
