from django.db import migrations

COLUMNS = [
    ("news", "工作动态", "科协及所属学会、基层组织的工作新闻。", 10, False),
    ("notices", "通知公告", "申报通知、比赛通知、活动通知等，可附表格下载。", 20, True),
    ("policy", "政策文件", "与科技工作者、科普工作相关的政策文件。", 30, False),
    ("science", "科普知识", "面向市民的科普文章。", 40, False),
]


def add_columns(apps, schema_editor):
    Column = apps.get_model("content", "Column")
    for slug, name, description, order, pinnable in COLUMNS:
        Column.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "description": description,
                "order": order,
                "allows_pinning": pinnable,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("content", "0001_initial")]

    operations = [migrations.RunPython(add_columns, migrations.RunPython.noop)]
