"""News and notices in the browser: an author drafts an article with a picture
and an attachment in the admin, a second member of staff approves it, and the
public finds it on the home page and in search. The home page, the article
lists and an article pass axe-core and the Nu checker; the home page is kept
as screenshots at 390 and 1366 px (build/screenshots/)."""

import functools
import json
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from kexie.platform.pictures import drawing
from kexie.platform.pictures.models import Picture
from kexie.portal.content import services
from kexie.portal.content.demo import drawn_cover
from kexie.portal.content.models import Article, Column
from outreach.models import Venue
from tests.browser.conftest import PHONE, axe_violations
from tests.browser.helpers import load_reference_data, log_in, log_out
from tests.factories import UserFactory
from tests.outreach.factories import EventFactory, VenueFactory

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n"
TITLE = "平湖市青少年航天科普研学营开营"
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


def _staff(name: str):
    return UserFactory(name=name, role="staff", is_staff=True)


def _show_every_picture(page) -> None:
    """Scroll through the page so lazy pictures load, as a reader would."""
    height = page.evaluate("() => document.documentElement.scrollHeight")
    step = page.viewport_size["height"]
    for y in range(0, height + step, step):
        page.evaluate(f"() => window.scrollTo(0, {y})")
        page.wait_for_timeout(50)
    page.wait_for_function("() => Array.from(document.images).every((img) => img.complete)")
    page.evaluate("() => window.scrollTo(0, 0)")


def _thumbnails_only(page) -> None:
    """Lists load the thumbnail rendition of every picture, never a larger one."""
    thumbs = {picture.url("thumb") for picture in Picture.objects.all()}
    sources = page.evaluate(
        "() => Array.from(document.images).map((img) => img.getAttribute('src'))"
    )
    assert sources
    assert set(sources) <= thumbs, set(sources) - thumbs


def test_author_drafts_a_reviewer_approves_and_the_public_finds_it(page, shoot):
    load_reference_data()
    author = _staff("撰稿人")
    reviewer = _staff("审核人")

    # The author uploads the picture with its alternative text, then writes.
    log_in(page, author.email, next_url="/admin/pictures/picture/add/")
    page.set_input_files(
        "#id_upload",
        files=[
            {
                "name": "研学营.jpg",
                "mimeType": "image/jpeg",
                "buffer": drawing.cover(title="航天科普研学营", motif="rocket", size=(900, 600)),
            }
        ],
    )
    page.locator("#id_alt").fill("示意插画：火箭升空与星空")
    page.locator("input[name=_save]").click()
    page.wait_for_url("**/admin/pictures/picture/")
    picture = Picture.objects.get()

    page.goto(reverse("admin:content_article_add"))
    page.select_option("#id_column", label="工作动态")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_summary").fill("四十名中小学生走进中国航天科普馆，开始为期三天的研学。")
    page.locator("#id_cover + .select2").click()
    page.locator(".select2-container--open .select2-search__field").fill("火箭")
    page.locator(".select2-results__option", has_text="火箭升空").click()
    page.locator(".ProseMirror[contenteditable=true]").click()
    page.keyboard.type("研学营在中国航天科普馆开营，学员们参观了返回舱实物特展。")
    toolbar = page.locator(".prose-editor .prose-menubar")
    assert toolbar.locator("button[title=加粗]").count() == 1  # its buttons named in Chinese
    assert toolbar.locator("button[title=bold]").count() == 0
    toolbar.locator("button[title=插图]").click()
    dialog = page.locator("dialog[open]")
    assert dialog.get_by_role("heading", name="插入插图").is_visible()  # the editor in Chinese
    dialog.locator("input[name=imageUrl]").fill(picture.url("detail"))
    dialog.locator("input[name=altText]").fill(picture.alt)
    dialog.locator("input[name=caption]").fill("学员们在航天科普馆（示意插画）")
    dialog.locator("button[type=submit]").click()
    page.set_input_files(
        "#id_attachments-0-file",
        files=[{"name": "研学营报名表.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.locator("#id_attachments-0-title").fill("附件：研学营报名表")
    page.locator("input[name=_save]").click()
    page.wait_for_url("**/admin/content/article/")
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert article.cover == picture
    assert f'src="{picture.url("detail")}"' in article.body
    assert article.attachments.get().original_name == "研学营报名表.pdf"

    # Sent for review from the list; the author cannot approve it.
    page.locator(f"input[name=_selected_action][value='{article.pk}']").check()
    page.select_option("select[name=action]", "submit_articles")
    page.locator("button[name=index]").click()
    page.get_by_text("已送审 1 篇。").wait_for()
    page.goto(reverse("content:staff_review", args=[article.pk]))
    assert page.get_by_text("须由另一位工作人员审核").is_visible()
    assert page.get_by_role("button", name="提交审核结果").count() == 0
    log_out(page)

    # A second member of staff finds it on the workbench and approves it.
    log_in(page, reviewer.email, next_url="/staff/")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_label("通过").check()
    shoot(page, "1-review")
    page.get_by_role("button", name="提交审核结果").click()
    page.get_by_text("已通过审核并发布。").wait_for()
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.reviewed_by == reviewer
    log_out(page)

    # The public: on the home page with its cover, in search, with its form.
    page.goto("/")
    assert page.get_by_role("link", name=TITLE).first.is_visible()
    assert page.locator(f'img[src="{picture.url("thumb")}"]').count() == 1
    page.goto(f"{reverse('search:results')}?q=航天科普研学营")
    page.get_by_role("link", name=TITLE).first.click()
    page.get_by_role("heading", name=TITLE).wait_for()
    assert page.locator("figure img").first.get_attribute("alt") == picture.alt
    shoot(page, "2-article")
    with page.expect_download() as download:
        page.get_by_role("link", name="附件：研学营报名表").click()
    assert download.value.suggested_filename == "研学营报名表.pdf"


@pytest.fixture
def portal(monkeypatch):
    """A home page with something in every block, written through the services."""
    load_reference_data()
    writer, reviewer = _staff("撰稿人"), _staff("审核人")
    columns = {column.slug: column for column in Column.objects.all()}
    now = timezone.now()

    def publish(column, title, *, cover=None, **fields):
        article = services.article_create(
            column=columns[column],
            title=title,
            by=writer,
            summary=fields.pop("summary", "摘要：一两句话说明这篇文章。"),
            body=fields.pop(
                "body", "<p>正文第一段。</p><table><tr><th>项目</th><td>内容</td></tr></table>"
            ),
            cover=cover and drawn_cover(spec=cover, label=columns[column].name, by=writer, seed=1),
            **fields,
        )
        services.article_submit(article=article, by=writer)
        return services.article_approve(article=article, by=reviewer)

    # The demo's drawings, small enough to keep the set-up quick.
    monkeypatch.setattr(drawing, "cover", functools.partial(drawing.cover, size=(600, 400)))
    for n, (motif, palette) in enumerate([("people", "red"), ("chip", "blue")]):
        publish("news", f"市科协工作动态第{n + 1}条", cover={"motif": motif, "palette": palette,
                                                           "text": f"工作动态{n + 1}"})  # fmt: skip
    for n in range(3):
        publish("news", f"基层科协活动简讯第{n + 1}期")
    publish("notices", "关于开展科普教育基地申报工作的通知", is_pinned=True,
            closes_at=now + timedelta(days=20))  # fmt: skip
    publish("notices", "关于推荐优秀科技工作者的通知")
    closed = publish("notices", "关于征集科普漫画作品的通知", closes_at=now + timedelta(days=1))
    Article.objects.filter(pk=closed.pk).update(closes_at=now - timedelta(days=1))
    publish("policy", "平湖市科普教育基地认定和管理办法")
    publish("science", "返回舱是怎样安全回家的", cover={"motif": "rocket", "palette": "night",
                                                      "text": "返回舱"})  # fmt: skip
    publish("science", "冬季呼吸道疾病防护要点")
    poster = drawn_cover(spec={"motif": "star", "palette": "purple", "text": "科技嘉年华"},
                         label="科普活动", by=writer, seed=2)  # fmt: skip
    photo = drawn_cover(spec={"motif": "rocket", "palette": "night", "text": "航天科普馆"},
                        label="科普阵地", by=writer, seed=3)  # fmt: skip
    EventFactory(title="科技嘉年华：奇妙的光", cover=poster, starts_at=now + timedelta(days=4))
    VenueFactory(name="中国航天科普馆", kind=Venue.Kind.SPACE_MUSEUM, picture=photo)
    science = Article.objects.get(title="返回舱是怎样安全回家的")
    return {
        "home": "/",
        "article_index": reverse("content:index"),
        "notices": reverse("content:column", args=["notices"]),
        "article": science.get_absolute_url(),
    }


def test_home_page_at_390_and_1366_px(browser, live_server, portal, shoot):
    for name, viewport, mobile in (("390", PHONE, True), ("1366", DESKTOP, False)):
        context = browser.new_context(
            base_url=live_server.url, locale="zh-CN", viewport=viewport, is_mobile=mobile
        )
        page = context.new_page()
        page.goto("/")
        _show_every_picture(page)
        shoot(page, f"home-{name}")
        assert page.get_by_role("heading", name="工作动态").is_visible()
        assert page.get_by_role("heading", name="通知公告").is_visible()
        assert page.get_by_text("已截止").first.is_visible()
        _thumbnails_only(page)
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{overflow}px wider than the window at {name}"
        context.close()


@pytest.mark.parametrize("name", ["home", "article_index", "notices", "article"])
def test_content_pages_have_no_serious_accessibility_violations(page, portal, name):
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        page.goto(portal[name])
        violations = axe_violations(page)
        assert not violations, (viewport, violations)


def test_content_pages_have_valid_html(client, portal):
    from tests.browser.test_public_pages_markup import HTML_DIR, VNU_JAR

    java = shutil.which("java")
    if java is None or not VNU_JAR.exists():
        pytest.skip("the Nu HTML checker needs Java and vnu.jar (make browser-deps)")
    HTML_DIR.mkdir(parents=True, exist_ok=True)
    files = []
    for name, url in portal.items():
        response = client.get(url)
        assert response.status_code == 200, name
        path = HTML_DIR / f"content-{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))
    run = subprocess.run(  # noqa: S603 - fixed arguments, no shell
        [java, "-Xss1024k", "-jar", str(VNU_JAR), "--format", "json", "--errors-only", *files],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    errors = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") in ("error", "non-document-error") or m.get("subType") == "fatal"
    ]
    assert not errors, "\n".join(errors)
