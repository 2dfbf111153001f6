"""The content block of the staff workbench: articles waiting for this member
of staff's review (never their own), their drafts and returned articles, and
what is scheduled; each row a link to where the work is done."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kexie.portal.content import services

pytestmark = pytest.mark.django_db

URL = "/staff/"


def test_a_second_member_of_staff_sees_the_draft_to_review(write, staff_user, reviewer, login):
    article = write("市科协召开学会工作会议")
    services.article_submit(article=article, by=staff_user)
    body = login(reviewer).get(URL).content.decode()
    assert reverse("content:staff_review", args=[article.pk]) in body
    assert "市科协召开学会工作会议" in body


def test_the_author_sees_it_as_their_own_not_to_review(write, staff_user, staff_client):
    article = write("市科协召开学会工作会议")
    services.article_submit(article=article, by=staff_user)
    body = staff_client.get(URL).content.decode()
    assert reverse("content:staff_review", args=[article.pk]) not in body
    assert reverse("admin:content_article_change", args=[article.pk]) in body
    assert "没有待您审核的稿件。" in body


def test_a_returned_article_shows_the_comment_to_its_author(
    write, staff_user, reviewer, staff_client
):
    article = write("市科协召开学会工作会议")
    services.article_submit(article=article, by=staff_user)
    services.article_return(article=article, by=reviewer, comment="请补充会议时间。")
    body = staff_client.get(URL).content.decode()
    assert "退回修改" in body and "请补充会议时间。" in body


def test_scheduled_articles_are_listed_with_their_time(write, publish, reviewer, login):
    article = publish(
        write("关于举办青少年科技创新大赛的通知"), at=timezone.now() + timedelta(days=1)
    )
    body = login(reviewer).get(URL).content.decode()
    assert reverse("content:staff_preview", args=[article.pk]) in body


def test_a_manager_sees_their_own_drafts_and_nothing_to_review(
    write, manager_user, manager_branch, staff_user, login
):
    own = write("当湖街道科协科普周活动", by=manager_user, branch=manager_branch)
    other = write("别人的稿件")
    services.article_submit(article=other, by=staff_user)
    response = login(manager_user).get(URL)
    body = response.content.decode()
    assert "当湖街道科协科普周活动" in body
    assert "别人的稿件" not in body
    assert "待您审核的稿件" not in body
    assert "articles" in [block["name"] for block in response.context["blocks"]]
    assert own.pk
