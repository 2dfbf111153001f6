"""A signed-in member of the public finds their sign-ups under "我的报名" in
the menu: those made while signed in and those of the account's proven
number, each a link to its private page, with no code to type again (before,
a signed-in member had no such page; the sign-ups showed only as a record in
the privacy dump, without their links)."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import UserFactory
from tests.outreach.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

MINE = "/events/find/mine/"


@pytest.fixture
def member():
    return UserFactory(phone="13912345678", email="mum@example.cn")


def test_a_signed_in_member_sees_their_sign_ups_without_a_code(client, member):
    by_account = RegistrationFactory(user=member, phone="13600001111")
    by_number = RegistrationFactory(phone=member.phone)
    stranger = RegistrationFactory(phone="13800002222")
    client.force_login(member)
    response = client.get(MINE)
    assert response.status_code == 200
    body = response.content.decode()
    assert by_account.get_absolute_url() in body
    assert by_number.get_absolute_url() in body
    assert stranger.get_absolute_url() not in body
    assert "您账户的报名" in body


def test_a_member_without_a_proven_number_sees_the_account_s_own_sign_ups(client):
    member = UserFactory(phone=None, pending_phone="13912345678", email="mum@example.cn")
    mine = RegistrationFactory(user=member, phone="13912345678")
    not_proven = RegistrationFactory(phone="13912345678")
    client.force_login(member)
    body = client.get(MINE).content.decode()
    assert mine.get_absolute_url() in body
    assert not_proven.get_absolute_url() not in body


def test_a_member_with_no_sign_ups_is_told_so_and_sent_to_the_events(client, member):
    client.force_login(member)
    body = client.get(MINE).content.decode()
    assert "您还没有报名记录。" in body
    assert reverse("outreach:event_list") in body


def test_a_visitor_still_proves_a_number_first(client):
    response = client.get(MINE)
    assert response["Location"] == reverse("outreach:recover_start")


def test_the_menu_of_a_signed_in_member_leads_to_their_sign_ups(client, member):
    client.force_login(member)
    assert f'href="{MINE}"' in client.get("/events/").content.decode()
    client.logout()
    assert f'href="{MINE}"' not in client.get("/events/").content.decode()


@pytest.mark.parametrize("rows", [5, 60])
def test_the_member_s_list_costs_the_same_at_any_length(
    client, member, rows, django_assert_max_num_queries
):
    event = EventFactory()
    for n in range(rows):
        RegistrationFactory(event=event if n % 2 else EventFactory(), user=member)
    client.force_login(member)
    # session, user, the sign-ups with their events and venues
    with django_assert_max_num_queries(3):
        assert client.get(MINE).status_code == 200


def test_the_list_is_headed_in_the_plural_in_english_as_the_menu_names_it(client, member):
    # One private sign-up page is "My sign-up"; the list of them is not (engineer public13).
    RegistrationFactory(user=member)
    RegistrationFactory(user=member)
    client.force_login(member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(MINE).content.decode()
    assert '<h1 class="h4">My sign-ups</h1>' in body
    assert "<title>My sign-ups · " in body
