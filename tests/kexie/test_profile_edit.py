"""A member edits their own profile: the name changes at once; a new mobile
number or mailbox is kept pending until a code proves it, then replaces the
old one (before, an account's name and addresses could not be changed at
all: a mistyped mailbox, or a phone-only account wanting an e-mail, had no
way forward)."""

import pytest
from django.urls import reverse

from kexie.platform.accounts.models import User
from kexie.platform.outbox.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROFILE = "/accounts/profile/"


@pytest.fixture
def member(client):
    user = UserFactory(name="李爸爸", phone="13912345678", email=None)
    client.force_login(user)
    return user


def test_the_profile_page_is_where_the_account_page_links(client, member):
    assert reverse("accounts:profile") == PROFILE
    assert PROFILE in client.get(reverse("privacy:account")).content.decode()


def test_the_form_shows_the_account_as_it_is(client, member):
    form = client.get(PROFILE).context["form"]
    assert (form["name"].value(), form["phone"].value(), form["email"].value()) == (
        "李爸爸",
        "13912345678",
        "",
    )


def test_a_new_name_is_saved_at_once(client, member):
    response = client.post(PROFILE, {"name": "李建国", "phone": "13912345678", "email": ""})
    assert response["Location"] == reverse("privacy:account")
    member.refresh_from_db()
    assert (member.name, member.phone, member.pending_phone) == ("李建国", "13912345678", "")
    assert not Notification.objects.exists()


def test_a_new_mailbox_waits_for_its_code_and_the_page_goes_to_verify(client, member):
    response = client.post(
        PROFILE, {"name": "李爸爸", "phone": "13912345678", "email": " Dad@Example.cn "}
    )
    assert response["Location"] == reverse("accounts:verify")
    member.refresh_from_db()
    assert (member.email, member.pending_email) == (None, "dad@example.cn")
    assert "dad@example.cn" in client.get(reverse("accounts:verify")).content.decode()
    # Nothing is sent until the member asks for the code.
    assert not Notification.objects.exists()


def test_a_new_number_keeps_the_proven_one_until_it_is_proven(client, member):
    client.post(PROFILE, {"name": "李爸爸", "phone": "138 0000 1111", "email": ""})
    member.refresh_from_db()
    assert (member.phone, member.pending_phone) == ("13912345678", "13800001111")


def test_a_number_back_to_the_proven_one_drops_the_pending_one(client, member):
    client.post(PROFILE, {"name": "李爸爸", "phone": "13800001111", "email": ""})
    client.post(PROFILE, {"name": "李爸爸", "phone": "13912345678", "email": ""})
    member.refresh_from_db()
    assert (member.phone, member.pending_phone) == ("13912345678", "")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": " ", "phone": "13912345678", "email": ""}, "name", "请填写姓名。"),
        (
            {"name": "李爸爸", "phone": "1391234", "email": ""},
            "phone",
            "请输入有效的11位手机号码。",
        ),
        ({"name": "李爸爸", "phone": "", "email": "dad@"}, "email", "请输入有效的电子邮箱。"),
    ],
)
def test_bad_input_is_refused_in_words_and_kept(client, member, data, field, message):
    response = client.post(PROFILE, data)
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors[field] == [message]
    assert form[field].value() == data[field]
    member.refresh_from_db()
    assert member.name == "李爸爸"


def test_a_visitor_is_sent_to_log_in(client):
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert User.objects.count() == 0
