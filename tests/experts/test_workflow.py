import pytest
import time_machine
from django.core.exceptions import ValidationError

from experts import workflow
from experts.models import NeedTransition, TechNeed
from experts.services import needs

S = TechNeed.Status


def test_every_transition_records_who_when_from_to_and_reason(
    draft_need, enterprise_user, staff_user
):
    with time_machine.travel("2026-03-02 09:00 +0800", tick=False):
        needs.need_submit(need=draft_need, by=enterprise_user)
    with time_machine.travel("2026-03-03 10:00 +0800", tick=False):
        needs.need_reject(need=draft_need, by=staff_user, reason="请补充技术指标")

    rows = list(draft_need.transitions.order_by("pk"))
    assert [(r.from_status, r.to_status, r.by) for r in rows] == [
        ("", S.DRAFT, None),
        (S.DRAFT, S.SUBMITTED, enterprise_user),
        (S.SUBMITTED, S.REJECTED, staff_user),
    ]
    assert rows[2].reason == "请补充技术指标"
    assert rows[2].at.isoformat() == "2026-03-03T02:00:00+00:00"
    draft_need.refresh_from_db()
    assert draft_need.status == S.REJECTED
    assert draft_need.status_changed_at == rows[2].at


def test_illegal_transition_is_refused_and_changes_nothing(draft_need, staff_user):
    before = NeedTransition.objects.count()
    with pytest.raises(ValidationError) as error:
        needs.need_transition(need=draft_need, to_status=S.RESOLVED, by=staff_user)
    assert error.value.messages == ["不能将需求从「草稿」改为「已解决」。"]
    draft_need.refresh_from_db()
    assert draft_need.status == S.DRAFT
    assert NeedTransition.objects.count() == before


def test_enterprise_cannot_publish_its_own_need(draft_need, enterprise_user):
    needs.need_submit(need=draft_need, by=enterprise_user)
    with pytest.raises(ValidationError) as error:
        needs.need_publish(need=draft_need, by=enterprise_user)
    assert error.value.messages == ["您不能将需求改为「已发布」。"]
    draft_need.refresh_from_db()
    assert draft_need.status == S.SUBMITTED


def test_rejection_needs_a_reason(draft_need, enterprise_user, staff_user):
    needs.need_submit(need=draft_need, by=enterprise_user)
    with pytest.raises(ValidationError) as error:
        needs.need_reject(need=draft_need, by=staff_user, reason="  ")
    assert error.value.messages == ["将需求改为「未通过审核」时请填写原因。"]
    draft_need.refresh_from_db()
    assert draft_need.status == S.SUBMITTED


def test_user_of_another_enterprise_cannot_change_the_status(
    draft_need, other_enterprise_user, other_enterprise
):
    with pytest.raises(ValidationError) as error:
        needs.need_submit(need=draft_need, by=other_enterprise_user)
    assert error.value.messages == ["您不能更改这条需求的状态。"]


@pytest.mark.parametrize("status", [S.PUBLISHED, S.MATCHED])
def test_owner_may_withdraw_before_acceptance(draft_need, advance, enterprise_user, expert, status):
    advance(draft_need, status, owner=enterprise_user, expert=expert)
    needs.need_withdraw(need=draft_need, by=enterprise_user, reason="已自行解决")
    draft_need.refresh_from_db()
    assert draft_need.status == S.WITHDRAWN


@pytest.mark.parametrize("status", [S.ACCEPTED, S.IN_SERVICE, S.RESOLVED])
def test_withdrawal_after_acceptance_is_refused(
    draft_need, advance, enterprise_user, expert, status
):
    advance(draft_need, status, owner=enterprise_user, expert=expert)
    with pytest.raises(ValidationError) as error:
        needs.need_withdraw(need=draft_need, by=enterprise_user)
    assert error.value.messages == ["需求已确定对接专家，不能再撤回。"]
    draft_need.refresh_from_db()
    assert draft_need.status == status


def test_full_closed_loop_ends_closed_with_ten_history_rows(
    draft_need, advance, enterprise_user, expert
):
    advance(draft_need, S.CLOSED, owner=enterprise_user, expert=expert)
    assert list(
        draft_need.transitions.order_by("at", "pk").values_list("to_status", flat=True)
    ) == [
        S.DRAFT,
        S.SUBMITTED,
        S.PUBLISHED,
        S.MATCHED,
        S.ACCEPTED,
        S.IN_SERVICE,
        S.RESOLVED,
        S.RATED,
        S.CLOSED,
    ]


def test_every_state_can_be_reached_and_every_table_entry_names_real_states():
    states = {to for (_frm, to) in workflow.TRANSITIONS} | {S.DRAFT}
    assert states == set(S.values)
    for (frm, to), rule in workflow.TRANSITIONS.items():
        assert frm in S.values and to in S.values and rule.actors


def test_system_only_transition_is_refused_to_people(matched_need, enterprise_user):
    # Acceptance happens by accepting a response, never by setting the status.
    with pytest.raises(ValidationError) as error:
        needs.need_transition(need=matched_need, to_status=S.ACCEPTED, by=enterprise_user)
    assert error.value.messages == ["您不能将需求改为「已确定专家」。"]
