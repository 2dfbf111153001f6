"""Races that only a real database can show: two requests at the same moment."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from experts.models import Engagement, Response, TechNeed
from experts.services import matching, responses
from tests.conftest import requires_postgres

S = TechNeed.Status


def _race(*calls):
    """Run the calls in threads released together; return what each raised."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            call()
        except Exception as exc:
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_responses_accepted_at_once_start_one_engagement(
    matched_need, expert, other_expert, enterprise_user
):
    matching.confidentiality_accept(need=matched_need, expert=other_expert, by=other_expert.user)
    first = responses.response_create(
        need=matched_need, expert=expert, by=expert.user, approach="方案甲", duration="1个月"
    )
    second = responses.response_create(
        need=matched_need,
        expert=other_expert,
        by=other_expert.user,
        approach="方案乙",
        duration="2个月",
    )
    outcomes = _race(
        lambda: responses.response_accept(response=first, by=enterprise_user),
        lambda: responses.response_accept(response=second, by=enterprise_user),
    )
    errors = [o for o in outcomes if o is not None]
    assert len(errors) == 1 and isinstance(errors[0], ValidationError)
    assert Engagement.objects.filter(need=matched_need).count() == 1
    assert Response.objects.filter(need=matched_need, status="accepted").count() == 1
    matched_need.refresh_from_db()
    assert matched_need.status == S.ACCEPTED
    assert matched_need.transitions.filter(to_status=S.ACCEPTED).count() == 1


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_staff_publishing_at_once_record_one_transition(
    draft_need, enterprise_user, staff_user
):
    from experts.services import needs

    needs.need_submit(need=draft_need, by=enterprise_user)
    outcomes = _race(
        lambda: needs.need_publish(need=TechNeed.objects.get(pk=draft_need.pk), by=staff_user),
        lambda: needs.need_publish(need=TechNeed.objects.get(pk=draft_need.pk), by=staff_user),
    )
    errors = [o for o in outcomes if o is not None]
    assert [e.messages for e in errors] == [["不能将需求从「已发布」改为「已发布」。"]]
    assert draft_need.transitions.filter(to_status=S.PUBLISHED).count() == 1
