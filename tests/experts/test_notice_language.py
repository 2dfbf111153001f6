"""Experts and enterprises are written to in their account's language."""

import pytest

from experts.services import matching, responses
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
