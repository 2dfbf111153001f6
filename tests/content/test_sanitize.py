"""Rich text cannot carry a script: the allow-list runs on every save."""

import pytest
from django.core.exceptions import ValidationError

from kexie.portal.content import services
from kexie.portal.content.sanitize import clean_html

pytestmark = pytest.mark.django_db

ATTACKS = {
    "script": '<p>通知</p><script>alert("x")</script>',
    "event handler": '<p onmouseover="alert(1)">通知</p><img src="/media/pictures/a/b.webp" '
    'alt="海报" onerror="alert(1)">',
    "javascript link": '<p><a href="javascript:alert(1)">报名</a>'
    '<a href="JaVaScRiPt&#58;alert(1)">报名</a></p>',
    "style attack": '<p style="background:url(javascript:alert(1))">通知</p>'
    "<style>body{display:none}</style>"
    '<div style="position:fixed;top:0;left:0;width:100%;height:100%">遮挡</div>',
}


@pytest.mark.parametrize("attack", ATTACKS.values(), ids=ATTACKS.keys())
def test_attack_in_pasted_text_is_removed_on_save(attack, write):
    article = write(body=attack)
    article.refresh_from_db()
    body = article.body.lower()
    for needle in ("<script", "alert(", "onmouseover", "onerror", "javascript", "style", "<div"):
        assert needle not in body
    assert "通知" in article.body or "报名" in article.body


def test_pasted_word_content_comes_out_clean(write):
    word = (
        "<!--[if gte mso 9]><xml><w:WordDocument></w:WordDocument></xml><![endif]-->"
        '<p class="MsoNormal" style="text-indent:2em;mso-line-height-rule:exactly">'
        '<span lang="EN-US" style="font-family:宋体;mso-bidi-font-family:Arial">'
        "各镇街道科协：<o:p></o:p></span></p>"
        '<p class="MsoNormal"><b><span style="font-size:16pt">一、活动时间</span></b></p>'
        '<table class="MsoTableGrid" border="1" style="border-collapse:collapse">'
        '<tr><td width="200" style="padding:0cm">镇街道</td><td>名额</td></tr></table>'
    )
    article = write(body=word)
    article.refresh_from_db()
    assert article.body == (
        "<p>各镇街道科协：</p><p><b>一、活动时间</b></p>"
        "<table><tbody><tr><td>镇街道</td><td>名额</td></tr></tbody></table>"
    )


def test_links_and_own_pictures_stay_outside_pictures_go():
    html = clean_html(
        '<p><a href="https://www.zast.org.cn/">省科协</a></p>'
        '<figure><img src="/media/pictures/ab/cd.webp" alt="展馆"><figcaption>展馆</figcaption>'
        '</figure><img src="https://tracker.example/p.gif" alt="外链">'
    )
    assert '<a href="https://www.zast.org.cn/" rel="noopener noreferrer">省科协</a>' in html
    assert '<img src="/media/pictures/ab/cd.webp" alt="展馆">' in html
    assert "tracker.example" not in html


def test_picture_without_alternative_text_is_refused(write):
    with pytest.raises(ValidationError) as error:
        write(body='<p><img src="/media/pictures/ab/cd.webp"></p>')
    assert error.value.messages == ["正文中的每张图片都要填写替代文本（图片说明），方便视障读者。"]


def test_a_correction_is_sanitised_too(published, staff_user):
    article = published()
    article.body = '<p>更正后的正文</p><img src="x" onerror="alert(1)">'
    services.article_correct(article=article, by=staff_user, note="修正参会人数")
    article.refresh_from_db()
    assert article.body == "<p>更正后的正文</p>"
