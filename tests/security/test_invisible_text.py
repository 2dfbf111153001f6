"""A name or title made only of characters nobody sees (zero-width spaces, a
byte-order mark, direction marks) is no name: it is refused like an empty
one, and invisible characters around a real one are dropped, so a greeting,
a sign-up list or a need's title never shows a blank."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from experts.models import Enterprise, TechNeed
from kexie.platform.accounts.models import User
from outreach.models import Registration
from tests.experts.factories import EnterpriseFactory
from tests.experts.test_enterprise_start import enterprise_data, need_data
from tests.factories import UserFactory
from tests.helpers import register_through_the_form
from tests.outreach.factories import EventFactory

pytestmark = pytest.mark.django_db

INVISIBLE = "\u200b\ufeff\u200e\u2060\u202e"


def test_an_invisible_name_opens_no_account(client):
    response = register_through_the_form(
        client, name=INVISIBLE, contact="ghost@example.cn", role="public"
    )
    assert response.status_code == 200
    assert "请填写姓名。" in response.content.decode()
    assert not User.objects.filter(pending_email="ghost@example.cn").exists()


def test_invisible_characters_around_a_name_are_dropped(client):
    register_through_the_form(
        client, name=f"{INVISIBLE}王小明{INVISIBLE}", contact="wang@example.cn", role="public"
    )
    assert User.objects.get(pending_email="wang@example.cn").name == "王小明"


def test_an_invisible_name_signs_nobody_up(client):
    starts = timezone.now() + timedelta(days=7)
    event = EventFactory(capacity=10, starts_at=starts, ends_at=starts + timedelta(hours=2))
    response = client.post(
        event.get_absolute_url(), {"name": INVISIBLE, "phone": "13912345678", "party_size": "1"}
    )
    assert response.status_code == 400
    assert "请填写姓名。" in response.content.decode()
    assert not Registration.objects.exists()


def test_an_enterprise_needs_a_visible_name_and_contact(login):
    newcomer = UserFactory(name="新企业用户", role="enterprise")
    response = login(newcomer).post(
        reverse("experts:enterprise_register"),
        enterprise_data(name=INVISIBLE, contact_name=INVISIBLE),
    )
    assert response.content.decode().count("这个字段是必填项。") == 2
    assert not Enterprise.objects.exists()


def test_a_need_needs_a_visible_title(login):
    owner = UserFactory(name="陈经理", role="enterprise")
    EnterpriseFactory(users=[owner])
    response = login(owner).post(reverse("experts:need_create"), need_data(title=INVISIBLE))
    assert "这个字段是必填项。" in response.content.decode()
    assert not TechNeed.objects.exists()
