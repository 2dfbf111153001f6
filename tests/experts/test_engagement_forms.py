"""The forms of the engagement page: a refused entry comes back with what was
typed and the reason beside the field, and nothing is saved."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from experts.models import Rating, TechNeed

S = TechNeed.Status


@pytest.fixture
def engaged(draft_need, advance, enterprise_user, expert):
    return advance(draft_need, S.IN_SERVICE, owner=enterprise_user, expert=expert)


@pytest.fixture
def rated(draft_need, advance, enterprise_user, expert):
    return advance(draft_need, S.RATED, owner=enterprise_user, expert=expert)


def _log(client, need, occurred_on):
    return client.post(
        reverse("experts:engagement_log", args=[need.pk]),
        {"kind": "visit", "occurred_on": occurred_on.isoformat(), "summary": "上门检测样品的黄变"},
    )


def test_a_service_log_entry_is_added(engaged, expert, login):
    response = _log(login(expert.user), engaged, timezone.localdate())

    assert response.status_code == 302
    assert engaged.engagement.log_entries.latest("pk").summary == "上门检测样品的黄变"


def test_a_log_entry_dated_tomorrow_keeps_what_was_typed_and_says_why_at_the_date(
    engaged, expert, login
):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    before = engaged.engagement.log_entries.count()

    response = _log(login(expert.user), engaged, tomorrow)

    page = response.content.decode()
    assert response.status_code == 400
    assert "上门检测样品的黄变</textarea>" in page
    date_field = page.split('id="div_id_occurred_on"')[1].split("</div>\n</div>")[0]
    assert "日期不能晚于今天。" in date_field
    assert f'value="{tomorrow.isoformat()}"' in date_field
    assert engaged.engagement.log_entries.count() == before


def test_resolving_without_an_outcome_asks_for_it_beside_the_field(engaged, enterprise_user, login):
    response = login(enterprise_user).post(
        reverse("experts:engagement_resolve", args=[engaged.pk]), {"outcome": "  "}
    )

    assert response.status_code == 400
    outcome_field = response.content.decode().split('id="div_id_outcome"')[1]
    assert "请简要说明服务成效。" in outcome_field.split("</div>\n</div>")[0]
    engaged.refresh_from_db()
    assert engaged.status == S.IN_SERVICE


def test_an_empty_reply_to_a_rating_is_refused_beside_the_field(rated, expert, login):
    response = login(expert.user).post(
        reverse("experts:rating_reply", args=[rated.pk]), {"reply": ""}
    )

    assert response.status_code == 400
    assert "请填写回复内容。" in response.content.decode().split('id="div_id_reply"')[1]
    assert Rating.objects.get(engagement__need=rated).expert_reply == ""


def test_the_rating_page_of_a_rated_service_says_so_instead_of_an_empty_form(
    rated, enterprise_user, login
):
    response = login(enterprise_user).get(reverse("experts:rate", args=[rated.pk]), follow=True)

    assert response.redirect_chain == [(reverse("experts:engagement", args=[rated.pk]), 302)]
    page = response.content.decode()
    assert "该服务已经评价过了。" in page
    assert 'name="overall"' not in page
    assert Rating.objects.filter(engagement__need=rated).count() == 1


def test_the_rating_page_before_resolution_says_what_comes_first(engaged, enterprise_user, login):
    response = login(enterprise_user).get(reverse("experts:rate", args=[engaged.pk]), follow=True)

    assert response.redirect_chain == [(reverse("experts:engagement", args=[engaged.pk]), 302)]
    assert "只有已解决的需求可以评价。" in response.content.decode()


def test_the_experts_reply_to_a_rating_comes_back_in_its_box_to_be_edited(rated, expert, login):
    client = login(expert.user)
    client.post(reverse("experts:rating_reply", args=[rated.pk]), {"reply": "谢谢认可"})

    page = client.get(reverse("experts:engagement", args=[rated.pk])).content.decode()

    reply_box = page.split('id="div_id_reply"')[1].split("</textarea>")[0]
    assert reply_box.endswith("谢谢认可")
