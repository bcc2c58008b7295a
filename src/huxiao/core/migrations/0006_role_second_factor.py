from django.db import migrations, models


def police_roles_require_it(apps, schema_editor):
    """Every police role asks for the second factor by default (issue 13, item 3)."""
    Role = apps.get_model("core", "Role")
    Role.objects.filter(is_police=True).update(requires_second_factor=True)


class Migration(migrations.Migration):
    dependencies = [("core", "0005_role_grant")]

    operations = [
        migrations.AddField(
            model_name="role",
            name="requires_second_factor",
            field=models.BooleanField(default=False, verbose_name="须双因素认证"),
        ),
        migrations.RunPython(police_roles_require_it, migrations.RunPython.noop),
    ]
