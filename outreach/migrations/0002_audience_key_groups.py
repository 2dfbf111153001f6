from django.db import migrations

# The five key groups of the national science literacy plan, plus the general public.
AUDIENCES = [
    ("youth", "青少年"),
    ("farmers", "农民"),
    ("workers", "产业工人"),
    ("seniors", "老年人"),
    ("officials", "公务员"),
    ("public", "社会公众"),
]


def add_audiences(apps, schema_editor):
    Audience = apps.get_model("outreach", "Audience")
    for order, (code, name) in enumerate(AUDIENCES):
        Audience.objects.get_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(add_audiences, migrations.RunPython.noop),
    ]
