"""Experts and enterprises are written to in their account's language."""

import pytest
from django.urls import reverse

from experts.services import catalogue, matching, responses
from tests.experts.factories import ExpertFactory
from tests.helpers import sent_emails


@pytest.mark.parametrize(
    ("language", "subject"),
    [("en", "Invitation to a technical need: {}"), ("zh-hans", "邀请您对接技术需求：{}")],
)
def test_an_expert_is_invited_in_the_accounts_language(
    language, subject, published_need, expert, staff_user, django_capture_on_commit_callbacks
):
    expert.user.language = language
    expert.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        matching.invitation_create(need=published_need, expert=expert, by=staff_user)
    assert [mail.subject for mail in sent_emails(expert.user.email)] == [
        subject.format(published_need.title)
    ]


def test_each_user_of_the_enterprise_reads_a_response_in_their_own_language(
    matched_need, expert, enterprise_user, django_capture_on_commit_callbacks
):
    enterprise_user.language = "en"
    enterprise_user.save()
    with django_capture_on_commit_callbacks(execute=True):
        responses.response_create(
            need=matched_need,
            expert=expert,
            by=expert.user,
            approach="先做电芯失效分析",
            duration="3个月",
            cost_min=5,
            cost_max=10,
        )
    assert [mail.subject for mail in sent_emails(enterprise_user.email)] == [
        f"An expert has responded to your need: {matched_need.title}"
    ]


@pytest.mark.parametrize(
    ("language", "subject"),
    [("en", "Invitation to a technical need: {}"), ("zh-hans", "邀请您对接技术需求：{}")],
)
def test_an_expert_without_an_account_is_invited_in_the_language_staff_set(
    language, subject, published_need, staff_user, materials, django_capture_on_commit_callbacks
):
    expert = ExpertFactory(
        user=None, contact_email="overseas@example.org", language=language, fields=[materials]
    )
    with django_capture_on_commit_callbacks(execute=True):
        matching.invitation_create(need=published_need, expert=expert, by=staff_user)
    assert [mail.subject for mail in sent_emails("overseas@example.org")] == [
        subject.format(published_need.title)
    ]


def test_staff_set_the_language_in_the_experts_admin_and_a_profile_edit_keeps_it(
    staff_client, expert, materials
):
    page = staff_client.get(reverse("admin:experts_expert_change", args=[expert.pk]))
    assert 'name="language"' in page.content.decode()
    expert.language = "en"
    expert.save()
    catalogue.expert_profile_update(
        expert=expert,
        by=expert.user,
        title=expert.title,
        organisation="浙江大学",
        region=expert.region,
        fields=[materials],
        keywords=[],
        biography="",
        availability=expert.availability,
        is_public=True,
    )
    expert.refresh_from_db()
    assert expert.language == "en" and expert.organisation == "浙江大学"
