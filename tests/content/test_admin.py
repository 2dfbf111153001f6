"""Writing in the admin goes through the services: sanitised, scoped, checked."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kexie.portal.content.models import Article
from tests.factories import BranchFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def form_data(news, **fields):
    data = {
        "column": news.pk,
        "title": "平湖市科协举办科技工作者日活动",
        "summary": "",
        "body": "<p>活动在市科技馆举行。</p>",
        "source": "市科协",
        "author_name": "",
        "society": "",
        "branch": "",
        "closes_at_0": "",
        "closes_at_1": "",
        "attachments-TOTAL_FORMS": "1",
        "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
        "attachments-0-title": "",
        "attachments-0-order": "0",
    }
    data.update(fields)
    return data


def test_staff_writes_a_draft_with_an_attachment_in_the_admin(staff_client, staff_user, news):
    data = form_data(
        news,
        body='<p onclick="x()">活动在市科技馆举行。</p><script>alert(1)</script>',
        **{"attachments-0-file": SimpleUploadedFile("活动方案.pdf", PDF)},
    )
    response = staff_client.post(reverse("admin:content_article_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert article.created_by == staff_user
    assert article.body == "<p>活动在市科技馆举行。</p>"
    assert article.attachments.get().original_name == "活动方案.pdf"


def test_admin_shows_the_error_for_a_false_extension(staff_client, news):
    data = form_data(news, **{"attachments-0-file": SimpleUploadedFile("表格.xlsx", PDF)})
    response = staff_client.post(reverse("admin:content_article_add"), data)
    assert response.status_code == 200
    assert "文件内容与扩展名不符" in response.content.decode()
    assert not Article.objects.exists()


def test_manager_admin_refuses_another_organisation(manager_client, news):
    other = BranchFactory(name="新埭镇科协")
    response = manager_client.post(
        reverse("admin:content_article_add"), form_data(news, branch=other.pk)
    )
    assert response.status_code == 200
    assert not Article.objects.exists()


def test_manager_admin_lists_only_own_articles(write, manager_user, manager_branch, manager_client):
    write("当湖街道科普周", by=manager_user, branch=manager_branch)
    write("科协机关内部稿件")
    page = manager_client.get(reverse("admin:content_article_changelist")).content.decode()
    assert "当湖街道科普周" in page and "科协机关内部稿件" not in page


def test_correcting_in_the_admin_needs_a_note(published, staff_client, news):
    article = published()
    url = reverse("admin:content_article_change", args=[article.pk])
    data = form_data(news, title="更正后的标题", **{"attachments-TOTAL_FORMS": "0"})
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "请写明更正说明" in response.content.decode()
    data["correction_note"] = "标题有误，已更正。"
    assert staff_client.post(url, data).status_code == 302
    article.refresh_from_db()
    assert article.title == "更正后的标题"
    assert article.corrections.get().note == "标题有误，已更正。"


def test_old_versions_can_be_read_but_not_restored(published, staff_client):
    article = published()
    version = article.history.order_by("history_id").first()
    url = reverse("admin:content_article_simple_history", args=[article.pk, version.history_id])
    assert staff_client.get(url).status_code == 200
    assert staff_client.post(url, {}).status_code == 403


def test_view_on_site_is_offered_only_for_what_the_public_can_read(write, published, staff_client):
    draft = write("还在写的稿件")
    public = published("已经发布的稿件")
    change = "admin:content_article_change"
    page = staff_client.get(reverse(change, args=[draft.pk])).content.decode()
    assert "viewsitelink" not in page
    page = staff_client.get(reverse(change, args=[public.pk])).content.decode()
    assert f'href="{public.get_absolute_url()}" class="viewsitelink"' in page
    assert staff_client.get(public.get_absolute_url()).status_code == 200
