from django.db import migrations

QUESTIONS = [
    ("总体来说，您对这次活动满意吗？", "rating", "overall", True),
    ("活动内容对您有帮助吗？", "rating", "content", False),
    ("您对主讲人或老师的讲解满意吗？", "rating", "speaker", False),
    ("您会推荐亲友参加类似活动吗？", "yes_no", "recommend", False),
    ("还有什么意见或建议？", "text", "other", False),
]
KINDS = {
    "lecture": "讲座",
    "weekend_class": "周末课堂",
    "steam": "STEAM课程",
    "carnival": "科技嘉年华",
    "exhibition": "展览",
    "livestream": "直播",
    "study_tour": "研学",
    "contest": "竞赛",
    "science_show": "科学秀",
    "other": "其他",
}


def add_surveys(apps, schema_editor):
    Survey = apps.get_model("outreach", "Survey")
    SurveyQuestion = apps.get_model("outreach", "SurveyQuestion")
    for kind, label in KINDS.items():
        survey, created = Survey.objects.get_or_create(
            kind=kind,
            defaults={
                "title": f"{label}活动反馈",
                "intro": "感谢参加！花一分钟告诉我们您的感受，回答是匿名的。",
            },
        )
        if not created:
            continue
        for order, (text, question_kind, topic, required) in enumerate(QUESTIONS, start=1):
            SurveyQuestion.objects.create(
                survey=survey,
                order=order,
                text=text,
                kind=question_kind,
                topic=topic,
                required=required,
            )


class Migration(migrations.Migration):
    dependencies = [("outreach", "0003_feedback_survey")]

    operations = [migrations.RunPython(add_surveys, migrations.RunPython.noop)]
