"""Every version kept; a published article corrected with the correction shown."""

import pytest
from django.core.exceptions import ValidationError

from kexie.portal.content import services

pytestmark = pytest.mark.django_db


def test_every_step_leaves_a_version_with_who_and_why(write, staff_user, reviewer):
    article = write(by=staff_user)
    article.title = "平湖市科协召开2026年学会工作会议"
    services.article_save(article=article, by=staff_user)
    services.article_submit(article=article, by=staff_user)
    services.article_approve(article=article, by=reviewer)
    versions = list(article.history.order_by("history_date", "history_id"))
    assert [v.history_change_reason for v in versions] == [
        "新建草稿",
        "修改稿件",
        "送审",
        "审核通过",
    ]
    assert [v.history_user for v in versions] == [staff_user, staff_user, staff_user, reviewer]
    assert versions[0].title == "平湖市科协召开学会工作会议"
    assert versions[-1].title == "平湖市科协召开2026年学会工作会议"


def test_correction_needs_a_note_and_is_shown_to_readers(published, staff_user, client):
    article = published(body="<p>约120人参会。</p>")
    article.body = "<p>约150人参会。</p>"
    with pytest.raises(ValidationError):
        services.article_correct(article=article, by=staff_user, note="")
    services.article_correct(article=article, by=staff_user, note="参会人数更正为约150人。")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "约150人参会" in page
    assert "更正说明" in page and "参会人数更正为约150人。" in page
    old = article.history.filter(body="<p>约120人参会。</p>")
    assert old.exists()


def test_manager_cannot_correct_a_published_article(
    published, manager_user, manager_branch, staff_user
):
    article = published(by=staff_user, branch=manager_branch)
    article.title = "改标题"
    with pytest.raises(ValidationError) as error:
        services.article_correct(article=article, by=manager_user, note="改")
    assert error.value.messages == ["只有科协工作人员可以更正已发布的文章。"]
