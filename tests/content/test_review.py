"""Review before publication: a second member of staff approves; managers
draft for their own organisation and never publish."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kexie.portal.content import services
from kexie.portal.content.models import Article
from tests.factories import BranchFactory

S = Article.Status
pytestmark = pytest.mark.django_db


def test_a_draft_is_not_public(write, client):
    article = write()
    assert article.status == S.DRAFT
    assert client.get(article.get_absolute_url()).status_code == 404


def test_second_staff_member_approves_and_the_article_is_public(
    write, staff_user, reviewer, client
):
    article = write(by=staff_user)
    services.article_submit(article=article, by=staff_user)
    services.article_approve(article=article, by=reviewer)
    article.refresh_from_db()
    assert article.status == S.PUBLISHED
    assert article.reviewed_by == reviewer
    assert client.get(article.get_absolute_url()).status_code == 200


def test_author_cannot_approve_own_draft(write, staff_user):
    article = write(by=staff_user)
    services.article_submit(article=article, by=staff_user)
    with pytest.raises(ValidationError) as error:
        services.article_approve(article=article, by=staff_user)
    assert error.value.messages == ["不能审核自己撰写或送审的文章，请由另一位工作人员审核。"]
    article.refresh_from_db()
    assert article.status == S.SUBMITTED


def test_whoever_submitted_cannot_approve_either(write, staff_user, reviewer):
    article = write(by=staff_user)
    services.article_submit(article=article, by=reviewer)
    with pytest.raises(ValidationError):
        services.article_approve(article=article, by=reviewer)


def test_author_gets_403_posting_the_review_form(write, staff_user, staff_client):
    article = write(by=staff_user)
    services.article_submit(article=article, by=staff_user)
    url = reverse("content:staff_review", args=[article.pk])
    page = staff_client.get(url)
    assert page.status_code == 200
    assert "须由另一位工作人员审核" in page.content.decode()
    assert staff_client.post(url, {"decision": "approve"}).status_code == 403
    article.refresh_from_db()
    assert article.status == S.SUBMITTED


def test_reviewer_approves_through_the_review_page(write, staff_user, reviewer, login):
    article = write(by=staff_user)
    services.article_submit(article=article, by=staff_user)
    response = login(reviewer).post(
        reverse("content:staff_review", args=[article.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == S.PUBLISHED


def test_returning_needs_a_comment(write, staff_user, reviewer):
    article = write(by=staff_user)
    services.article_submit(article=article, by=staff_user)
    with pytest.raises(ValidationError) as error:
        services.article_return(article=article, by=reviewer, comment=" ")
    assert error.value.messages == ["退回时请写明修改意见。"]
    services.article_return(article=article, by=reviewer, comment="标题请写明会议日期。")
    article.refresh_from_db()
    assert article.status == S.RETURNED
    assert article.review_comment == "标题请写明会议日期。"


def test_returned_article_is_revised_and_submitted_again(write, staff_user, reviewer):
    article = write(by=staff_user)
    services.article_submit(article=article, by=staff_user)
    services.article_return(article=article, by=reviewer, comment="补充参会人数。")
    article.body = "<p>约120人参会。</p>"
    services.article_save(article=article, by=staff_user)
    services.article_submit(article=article, by=staff_user)
    services.article_approve(article=article, by=reviewer)
    article.refresh_from_db()
    assert article.status == S.PUBLISHED


def test_submitted_article_cannot_be_edited(write, staff_user):
    article = write(by=staff_user)
    services.article_submit(article=article, by=staff_user)
    article.title = "改过的标题"
    with pytest.raises(ValidationError) as error:
        services.article_save(article=article, by=staff_user)
    assert error.value.messages == ["“待审核”的文章不能直接修改。"]


def test_manager_drafts_for_own_branch(write, manager_user, manager_branch):
    article = write(by=manager_user, branch=manager_branch)
    services.article_submit(article=article, by=manager_user)
    article.refresh_from_db()
    assert article.status == S.SUBMITTED


def test_manager_cannot_draft_for_another_organisation(write, manager_user):
    other = BranchFactory(name="新埭镇科协")
    with pytest.raises(ValidationError) as error:
        write(by=manager_user, branch=other)
    assert error.value.messages == ["只能为自己管理的学会或基层组织撰写稿件。"]


def test_manager_must_name_the_organisation(write, manager_user):
    with pytest.raises(ValidationError) as error:
        write(by=manager_user)
    assert error.value.messages == ["请选择本稿件所属的学会或基层组织。"]


def test_manager_cannot_publish(write, manager_user, manager_branch, staff_user):
    article = write(by=staff_user, branch=manager_branch)
    services.article_submit(article=article, by=staff_user)
    with pytest.raises(ValidationError) as error:
        services.article_approve(article=article, by=manager_user)
    assert error.value.messages == ["只有科协工作人员可以审核发布文章。"]
    article.refresh_from_db()
    assert article.status == S.SUBMITTED


def test_manager_gets_403_on_the_review_pages(write, manager_user, manager_branch, manager_client):
    article = write(by=manager_user, branch=manager_branch)
    services.article_submit(article=article, by=manager_user)
    assert manager_client.get(reverse("content:staff_review_list")).status_code == 403
    review = reverse("content:staff_review", args=[article.pk])
    assert manager_client.post(review, {"decision": "approve"}).status_code == 403
    article.refresh_from_db()
    assert article.status == S.SUBMITTED


def test_manager_previews_own_draft_but_not_others(
    write, manager_user, manager_branch, manager_client
):
    own = write(by=manager_user, branch=manager_branch)
    other = write("科协机关通知")
    assert manager_client.get(reverse("content:staff_preview", args=[own.pk])).status_code == 200
    assert manager_client.get(reverse("content:staff_preview", args=[other.pk])).status_code == 404


def test_withdrawn_article_is_gone_and_can_be_reopened(published, staff_user, client):
    article = published()
    with pytest.raises(ValidationError):
        services.article_withdraw(article=article, by=staff_user, reason="")
    services.article_withdraw(article=article, by=staff_user, reason="信息有误")
    assert client.get(article.get_absolute_url()).status_code == 404
    services.article_reopen(article=article, by=staff_user)
    article.refresh_from_db()
    assert article.status == S.DRAFT
