"""``huxiao seed demo`` prints the demo logins with their organisation and role, and counts."""

from django.core.management import call_command

from huxiao.demo import data


def test_it_lists_every_login_with_role_and_organisation(demo):
    text = demo.result.summary()
    assert "攀枝花市" in text and "学校 81" in text and "派出所 26" in text and "用户 10" in text
    assert "Huxiao@2026" in text
    assert f"演示日期：{demo.result.today:%Y-%m-%d}（星期" in text
    for login in data.DEMO_LOGINS:
        line = next(line for line in text.splitlines() if line.split()[:1] == [login.username])
        user = demo.user(login.username)
        assert user.organization.name in line and user.role.name in line and user.full_name in line


def test_it_hides_a_password_given_on_the_command_line(demo, capsys):
    call_command("seed", "demo", "--password", "Secret#Demo2026")
    out = capsys.readouterr().out
    assert "Secret#Demo2026" not in out and "--password 指定的密码" in out
    assert "officer01" in out and "已重置密码" in out
