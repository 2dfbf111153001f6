"""Issue 18, finding 2: nothing a stranger types goes into a message to another
person. A public form that sends is limited per network address and per
recipient, and sends to a number nobody has proven at most one fixed text."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail

from kexie.platform.outbox.models import Notification
from outreach.models import LectureRequest, Registration
from tests.factories import TownFactory
from tests.helpers import sent_emails, sent_sms
from tests.outreach.factories import AudienceFactory, EventFactory, LectureTopicFactory

NOW = datetime.datetime(2026, 6, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
PHISH = "补贴发放通知：请于今日登录 http://kexie-butie.example/l 领取科普补贴"
VICTIM = "13955556666"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def team():
    return LectureTopicFactory(title="走近北斗导航").team


def _lecture_form(team, **overrides):
    return {
        "topic_text": PHISH,
        "organisation": PHISH,
        "town": TownFactory().pk,
        "contact_name": PHISH[:20],
        "contact_phone": VICTIM,
        "preferred_date": "2026-06-20",
        "audience": AudienceFactory().pk,
        "expected_attendance": 30,
        "place": PHISH,
        "note": PHISH,
        **overrides,
    }


def _no_phish(texts):
    for text in texts:
        assert "kexie-butie" not in text and "补贴" not in text, text


def test_finding_02_lecture_request_receipt_is_one_fixed_text(client, team):
    response = client.post(team.get_absolute_url(), _lecture_form(team))
    assert response.status_code == 302
    [(phone, text)] = sent_sms()
    assert phone == VICTIM
    # The one thing that varies: the link to the portal's own status page.
    link = settings.SITE_URL + LectureRequest.objects.get().get_absolute_url()
    assert text == (
        "【平湖市科学技术协会】已收到您的科普讲座点单申请，工作人员会尽快与您联系。"
        f"查看进度：{link} 如非本人操作，请忽略本短信。"
    )


def test_finding_02_lecture_request_decisions_quote_nothing_typed(client, team, staff_user):
    from outreach.services.speakers import lecture_request_accept, lecture_request_decline

    client.post(team.get_absolute_url(), _lecture_form(team))
    client.post(team.get_absolute_url(), _lecture_form(team, contact_phone="13955557777"))
    first, second = LectureRequest.objects.order_by("pk")
    lecture_request_accept(
        request=first,
        by=staff_user,
        starts_at=NOW + datetime.timedelta(days=19),
        ends_at=NOW + datetime.timedelta(days=19, hours=1),
    )
    lecture_request_decline(request=second, by=staff_user, reason="讲师档期已满")
    texts = [text for _, text in sent_sms()]
    assert len(texts) == 4
    _no_phish(texts)
    assert f"编号{first.pk}" in texts[2] and "讲师档期已满" in texts[3]


def test_finding_02_lecture_requests_are_limited_per_address(client, team, settings):
    settings.LIMIT_LECTURE_REQUEST = "3/h"
    statuses = [
        client.post(
            team.get_absolute_url(), _lecture_form(team, contact_phone=f"1395555{n:04d}")
        ).status_code
        for n in range(30)
    ]
    assert statuses.count(302) == 3 and statuses.count(429) == 27
    assert len(sent_sms()) == 3
    assert LectureRequest.objects.count() == 3


def test_finding_02_lecture_requests_are_limited_per_recipient(client, team, settings):
    settings.LIMIT_LECTURE_REQUEST_PER_RECIPIENT = "2/d"
    for n in range(2):
        response = client.post(
            team.get_absolute_url(), _lecture_form(team), REMOTE_ADDR=f"192.0.2.{n}"
        )
        assert response.status_code == 302
    response = client.post(
        team.get_absolute_url(),
        _lecture_form(team, contact_phone="139 5555 6666"),
        REMOTE_ADDR="192.0.2.9",
    )
    assert response.status_code == 429
    body = response.content.decode()
    assert "点单申请提交太频繁了" in body
    assert 'value="139 5555 6666"' in body  # what was typed stays
    assert len(sent_sms()) == 2


def test_finding_02_lecture_requests_refused_while_the_limit_cannot_be_counted(
    client, team, monkeypatch
):
    from django.core.cache import caches

    def broken(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(caches["default"], "add", broken)
    response = client.post(team.get_absolute_url(), _lecture_form(team))
    assert response.status_code == 429
    assert "服务暂时繁忙" in response.content.decode()
    assert sent_sms() == [] and not LectureRequest.objects.exists()


def test_finding_02_sign_up_messages_quote_no_typed_name(client):
    event = EventFactory(title="航天科普讲座", capacity=10)
    response = client.post(
        event.get_absolute_url(),
        {"name": PHISH[:50], "phone": VICTIM, "party_size": 1, "email": "victim@example.cn"},
    )
    assert response.status_code == 302
    texts = [text for _, text in sent_sms()] + [e.subject + e.body for e in mail.outbox]
    assert len(texts) == 2
    _no_phish(texts)
    from outreach.services.registrations import registration_cancel

    registration = Registration.objects.get()

    registration_cancel(registration=registration, by_registrant=True)
    _no_phish([e.body for e in sent_emails("victim@example.cn")])


def test_finding_02_sign_ups_are_limited_per_recipient_mailbox(client, settings):
    settings.LIMIT_SIGNUP_PER_RECIPIENT = "2/d"
    events = [EventFactory(capacity=10) for _ in range(3)]
    for n, event in enumerate(events):
        response = client.post(
            event.get_absolute_url(),
            {"name": "王", "phone": f"1390000{n:04d}", "party_size": 1, "email": "v@example.cn"},
            REMOTE_ADDR=f"192.0.2.{n}",
        )
        assert response.status_code == (302 if n < 2 else 429)
    assert len(sent_emails("v@example.cn")) == 2
    assert Notification.objects.filter(recipient="v@example.cn").count() == 2


def test_finding_02_no_message_template_quotes_what_a_visitor_typed():
    """Every SMS and e-mail template, rendered with every field a visitor or
    another account types holding a phishing text: none of it comes out."""
    from pathlib import Path
    from types import SimpleNamespace as O

    from django.conf import settings as django_settings
    from django.template.loader import render_to_string

    when = NOW + datetime.timedelta(days=3)
    event = O(
        title="航天科普讲座",
        starts_at=when,
        ends_at=when,
        venue=O(name="平湖科技馆", address="当湖街道"),
        online_url="",
        cancel_reason="场地维修",
    )
    need = O(title="储能电池寿命", summary="公开摘要", enterprise=O(name=PHISH))
    context = {
        "site_name": "平湖市科学技术协会",
        "site_url": "https://kexie.test",
        "link": "https://kexie.test/r/x/",
        "qr_link": "https://kexie.test/r/x/qr.svg",
        "event": event,
        "registration": O(name=PHISH, party_size=2, email="v@example.cn"),
        "request": O(
            pk=7,
            topic_title=PHISH,
            topic_text=PHISH,
            contact_name=PHISH,
            organisation=PHISH,
            place=PHISH,
            note=PHISH,
            created_at=NOW,
            team=O(name="博士科普团"),
            event=event,
            decline_reason="讲师档期已满",
        ),
        # The recipient's own name (an account proves its address when it is opened).
        "user": O(name="市民"),
        "need": need,
        "need_url": "https://kexie.test/bang/needs/1/",
        "board_url": "https://kexie.test/bang/",
        "reason": "信息不完整",
        "expert": O(name="张储能"),
        "response": O(expert=O(name="张储能", organisation="浙江大学")),
        "rating": O(overall=5, comment=PHISH),
        "needs": [],
        "enterprise": O(name=PHISH),
        "achievement": O(title="液冷板"),
        "interest": O(message=PHISH),
        "message": O(body=PHISH),
        "invitation": O(message=""),
        "uid": "MQ",
        "token": "SECRET-HIDDEN",
        "protocol": "https",
        "domain": "kexie.test",
        "minutes": 10,
        "secret": "SECRET-HIDDEN",
        "text": "测试",
        "waitlisted": False,
    }
    root = Path(django_settings.BASE_DIR) / "templates"
    names = sorted(f"sms/{p.name}" for p in (root / "sms").glob("*.txt")) + sorted(
        f"emails/{p.name}" for p in (root / "emails").glob("*.txt")
    )
    assert len(names) > 60
    for name in names:
        text = render_to_string(name, context)
        assert "kexie-butie" not in text and "补贴" not in text, name
