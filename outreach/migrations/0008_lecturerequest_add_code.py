import secrets

from django.db import migrations, models

import outreach.models.registrations


def fill_codes(apps, schema_editor):
    LectureRequest = apps.get_model("outreach", "LectureRequest")
    for request in LectureRequest.objects.filter(code__isnull=True).only("pk"):
        request.code = secrets.token_urlsafe(16)
        request.save(update_fields=["code"])


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0007_pictures_coordinates_recap"),
    ]

    operations = [
        migrations.AddField(
            model_name="lecturerequest",
            name="code",
            field=models.CharField(editable=False, max_length=32, null=True, verbose_name="查询码"),
        ),
        migrations.RunPython(fill_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="lecturerequest",
            name="code",
            field=models.CharField(
                default=outreach.models.registrations.new_registration_code,
                editable=False,
                max_length=32,
                unique=True,
                verbose_name="查询码",
            ),
        ),
        migrations.AddField(
            model_name="historicallecturerequest",
            name="code",
            field=models.CharField(
                db_index=True,
                default=outreach.models.registrations.new_registration_code,
                editable=False,
                max_length=32,
                verbose_name="查询码",
            ),
        ),
    ]
