"""Chinese by default whatever the browser says; English when the user switches."""

from django.test import Client


def test_it_answers_in_chinese_to_an_english_browser(db):
    response = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get("/login/")
    assert response["Content-Language"] == "zh-hans"
    assert "登录" in response.content.decode()


def test_it_switches_to_english_and_back(db):
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert client.get("/login/")["Content-Language"] == "en"
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/login/"})
    assert client.get("/login/")["Content-Language"] == "zh-hans"


def test_api_errors_are_chinese_for_an_english_browser(db):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/api/v1/me")
    assert "未登录" in response.json()["detail"]
